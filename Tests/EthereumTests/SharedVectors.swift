import Foundation
import Testing
import Ethereum

/// `../shared` next to the repository (present for the project's developers and CI, absent in a
/// user's clone). Tests that need it are gated with `.enabled(if: SharedFixtures.isAvailable, ...)`
/// so that they show up as skipped, with the reason, rather than failing or silently passing.
enum SharedFixtures {
    /// <repo>/Tests/EthereumTests/SharedVectors.swift → <repo>/../shared
    static let directory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Tests/EthereumTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // repository root
        .deletingLastPathComponent()  // its parent
        .appendingPathComponent("shared")

    static var isAvailable: Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    static let skipReason: Comment =
        "../shared is absent (a user's clone has none); skipping the shared Ethereum vectors"

    /// Loads eth/vectors.json. Throws (fails the test) when ../shared exists but the file is missing or malformed.
    static func ethVectors() throws -> EthVectors {
        let data = try Data(contentsOf: directory.appendingPathComponent("eth/vectors.json"))
        return try JSONDecoder().decode(EthVectors.self, from: data)
    }
}

/// A uint64 that the vector file writes as a decimal string (so large values survive JSON) or a number.
struct DecimalUInt64: Decodable, Equatable {
    let value: UInt64

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(UInt64.self) {
            value = number
        } else {
            let text = try container.decode(String.self)
            guard let number = UInt64(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a uint64: \(text)")
            }
            value = number
        }
    }
}

/// The parts of ../shared/eth/vectors.json the tests use.
struct EthVectors: Decodable {
    struct Key: Decodable {
        let privateKey: String
        let address: String
        enum CodingKeys: String, CodingKey { case privateKey = "private_key", address }
    }

    struct KeccakCase: Decodable {
        let inputHex: String?
        let hash: String?
        let sha3_256Empty: String?
        enum CodingKeys: String, CodingKey { case inputHex = "input_hex", hash, sha3_256Empty = "sha3_256_empty" }
    }

    struct Request: Decodable {
        let nonce: DecimalUInt64
        let maxCycles: DecimalUInt64
        let consumer: String
        let programID: String
        let onchainInput: String
        let offchainInputHash: String
        let stateHash: String
        enum CodingKeys: String, CodingKey {
            case nonce, maxCycles = "max_cycles", consumer, programID = "program_id", onchainInput = "onchain_input"
            case offchainInputHash = "offchain_input_hash", stateHash = "state_hash"
        }
    }

    struct SignatureCase: Decodable {
        let eip191PrefixHex: String
        let eip191Hash: String
        let signature: String
        let r: String
        let s: String
        let v: UInt8
        let signer: String
        let recoveredAddress: String
        let negativeSignatureV01: String
        enum CodingKeys: String, CodingKey {
            case eip191PrefixHex = "eip191_prefix_hex", eip191Hash = "eip191_hash", signature, r, s, v, signer
            case recoveredAddress = "recovered_address", negativeSignatureV01 = "negative_signature_v_0_1"
        }
    }

    struct OffchainResult: Decodable {
        let jobID: String
        let onchainInputHash: String
        let offchainInputHash: String
        let stateHash: String
        let maxCycles: DecimalUInt64
        let programID: String
        let result: String
        enum CodingKeys: String, CodingKey {
            case jobID = "job_id", onchainInputHash = "onchain_input_hash", offchainInputHash = "offchain_input_hash"
            case stateHash = "state_hash", maxCycles = "max_cycles", programID = "program_id", result
        }
    }

    struct OffchainJob: Decodable {
        let name: String
        let request: Request
        let offchainInput: String
        let state: String
        let requestABIEncoding: String
        let requestABIEncodingLength: Int
        let requestParamsStyleEncodingNegative: String
        let jobIDPreimage: String
        let jobID: String
        let requestSignature: SignatureCase
        let rawOutput: String
        let offchainResult: OffchainResult
        let offchainResultABIEncoding: String
        let operatorSignature: SignatureCase
        let calldata: String
        enum CodingKeys: String, CodingKey {
            case name, request, offchainInput = "offchain_input", state
            case requestABIEncoding = "request_abi_encoding", requestABIEncodingLength = "request_abi_encoding_len"
            case requestParamsStyleEncodingNegative = "request_params_style_encoding_NEGATIVE"
            case jobIDPreimage = "job_id_preimage_encode_packed", jobID = "job_id"
            case requestSignature = "request_signature", rawOutput = "raw_output"
            case offchainResult = "offchain_result_with_metadata", offchainResultABIEncoding = "offchain_result_abi_encoding"
            case operatorSignature = "operator_signature", calldata = "submitResultForOffchainJob_calldata"
        }
    }

    struct OnchainResult: Decodable {
        let jobID: String
        let onchainInputHash: String
        let maxCycles: DecimalUInt64
        let programID: String
        let result: String
        enum CodingKeys: String, CodingKey {
            case jobID = "job_id", onchainInputHash = "onchain_input_hash", maxCycles = "max_cycles"
            case programID = "program_id", result
        }
    }

    struct OnchainJob: Decodable {
        let name: String
        let jobID: String
        let nonce: DecimalUInt64
        let consumer: String
        let result: OnchainResult
        let resultABIEncoding: String
        let operatorSignature: SignatureCase
        let calldata: String
        enum CodingKeys: String, CodingKey {
            case name, jobID = "job_id", nonce, consumer, result = "result_with_metadata"
            case resultABIEncoding = "result_abi_encoding", operatorSignature = "operator_signature"
            case calldata = "submitResult_calldata"
        }
    }

    struct JobCreatedLog: Decodable {
        struct Decoded: Decodable {
            let jobID: String
            let nonce: String
            let consumer: String
            let maxCycles: String
            let programID: String
            let onchainInput: String
        }
        let name: String
        let topics: [String]
        let data: String
        let decoded: Decoded
    }

    struct EIP1559Transaction: Decodable {
        struct Tx: Decodable { let data: String; let to: String }
        let kind: String
        let tx: Tx
        let rawTransaction: String
        let txHash: String
        let sender: String
        enum CodingKeys: String, CodingKey {
            case kind, tx, rawTransaction = "raw_transaction", txHash = "tx_hash", sender
        }
    }

    struct InvalidRequest: Decodable {
        let name: String
        let requestABIEncoding: String
        let offchainInput: String?
        let state: String?
        let expect: String
        enum CodingKeys: String, CodingKey {
            case name = "case", requestABIEncoding = "request_abi_encoding", offchainInput = "offchain_input", state, expect
        }
    }

    let keys: [String: Key]
    let keccak256: [KeccakCase]
    let selectorsAndTopics: [String: String]
    let offchainJobs: [OffchainJob]
    let onchainJobs: [OnchainJob]
    let jobCreatedLogs: [JobCreatedLog]
    let eip1559Transactions: [EIP1559Transaction]
    let invalidRequests: [InvalidRequest]

    enum CodingKeys: String, CodingKey {
        case keys, keccak256, selectorsAndTopics = "selectors_and_topics", offchainJobs = "offchain_jobs"
        case onchainJobs = "onchain_jobs", jobCreatedLogs = "job_created_logs"
        case eip1559Transactions = "eip1559_transactions", invalidRequests = "invalid_requests"
    }
}

/// Hex → bytes for fixtures; a malformed fixture fails the test rather than being skipped.
func bytes(_ hex: String) throws -> [UInt8] { try Hex.decode(hex) }
