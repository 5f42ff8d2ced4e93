import AsyncHTTPClient
import BenchSupport
import CoprocessorClient
import CoprocessorGRPC
import CoprocessorWire
import Ethereum
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import NIOCore

/// One pre-signed SubmitJob request in both wire forms, built before any measured window.
struct SignedJob: Sendable {
    let jobID: [UInt8]
    let grpc: SubmitJobRequest
    let httpBody: ByteBuffer
    let grpcGetResult: GetResultRequest
    let httpGetResultBody: ByteBuffer
}

enum JobFactory {
    /// The vectors' public dev signer (anvil #5), as `make-job` uses; the node runs with `--signer-policy any`.
    static let signer = try! PrivateKey(hex: "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba")
    /// abi.encode(address 0x4545…45): mock-consumer's onchain input.
    static let onchainInput = [UInt8](repeating: 0, count: 12) + [UInt8](repeating: 0x45, count: 20)

    static func make(nonce: UInt64, consumer: Address, programID: [UInt8]) -> SignedJob {
        let job = JobRequest(nonce: nonce, maxCycles: 1_000_000, consumer: consumer, programID: programID,
                             onchainInput: onchainInput)
        let grpc = try! job.signed(by: signer)
        let id = job.jobID
        let getResult = GetResultRequest(jobID: id)
        return SignedJob(jobID: id, grpc: grpc, httpBody: ByteBuffer(bytes: JSONWriter.encode(grpc)),
                         grpcGetResult: getResult, httpGetResultBody: ByteBuffer(bytes: JSONWriter.encode(getResult)))
    }

    /// Signs `count` jobs with consecutive nonces on all cores (outside any measured window).
    static func makeMany(count: Int, firstNonce: UInt64, consumer: Address, programID: [UInt8]) async -> [SignedJob] {
        let chunks = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let per = (count + chunks - 1) / chunks
        return await withTaskGroup(of: (Int, [SignedJob]).self) { group in
            for c in 0..<chunks {
                let lo = c * per, hi = min(count, lo + per)
                guard lo < hi else { continue }
                group.addTask {
                    (c, (lo..<hi).map { make(nonce: firstNonce + UInt64($0), consumer: consumer, programID: programID) })
                }
            }
            var parts: [(Int, [SignedJob])] = []
            for await p in group { parts.append(p) }
            return parts.sorted { $0.0 < $1.0 }.flatMap { $0.1 }
        }
    }
}

/// What a GetResult told us.
enum JobState: Sendable { case pending, done, failed, other }

/// The calls a load phase makes, over one transport.
protocol Driver: Sendable {
    var transport: String { get }
    /// nil on success, else an error label.
    func submit(_ job: SignedJob) async -> String?
    func getResult(_ job: SignedJob) async -> Result<JobState, LabelledError>
}

struct LabelledError: Error { let label: String }

struct GRPCDriver: Driver {
    let clients: [GRPCClient<HTTP2ClientTransport.Posix>]
    var port = 0
    var transport: String { "grpc" }

    private func client(for job: SignedJob) -> GRPCClient<HTTP2ClientTransport.Posix> {
        clients.count == 1 ? clients[0] : clients[Int(job.jobID[31]) % clients.count]
    }

    func submit(_ job: SignedJob) async -> String? {
        do {
            _ = try await client(for: job).call(CoprocessorNodeService.submitJob, job.grpc)
            return nil
        } catch let error as RPCError {
            return "grpc \(error.code)"
        } catch {
            return "grpc transport"
        }
    }

    func getResult(_ job: SignedJob) async -> Result<JobState, LabelledError> {
        do {
            let response = try await client(for: job).call(CoprocessorNodeService.getResult, job.grpcGetResult)
            switch response.jobResult?.status?.status ?? .unspecified {
            case .pending: return .success(.pending)
            case .done: return .success(.done)
            case .failed: return .success(.failed)
            default: return .success(.other)
            }
        } catch let error as RPCError {
            return .failure(LabelledError(label: "grpc \(error.code)"))
        } catch {
            return .failure(LabelledError(label: "grpc transport"))
        }
    }

    func submitProgram(_ elf: [UInt8]) async throws -> [UInt8] {
        let response = try await clients[0].call(CoprocessorNodeService.submitProgram,
                                                 SubmitProgramRequest(programELF: elf, vmType: .sp1))
        return response.programID
    }

    /// The raw protobuf GetResultResponse, for the ceiling server's canned answer.
    func rawGetResult(_ job: SignedJob) async throws -> [UInt8] {
        ProtobufWriter.encode(try await clients[0].call(CoprocessorNodeService.getResult, job.grpcGetResult))
    }
}

struct HTTPDriver: Driver {
    let client: HTTPClient
    let base: String  // http://127.0.0.1:port/v1/coprocessor_node/
    var transport: String { "http" }

    private func post(_ method: String, _ body: ByteBuffer) async throws -> (UInt, ByteBuffer) {
        var request = HTTPClientRequest(url: base + method)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.body = .bytes(body)
        let response = try await client.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 4 << 20)
        return (response.status.code, bytes)
    }

    func submit(_ job: SignedJob) async -> String? {
        do {
            let (status, _) = try await post("submit_job", job.httpBody)
            return status == 200 ? nil : "http \(status)"
        } catch {
            return "http transport"
        }
    }

    func getResult(_ job: SignedJob) async -> Result<JobState, LabelledError> {
        do {
            let (status, body) = try await post("get_result", job.httpGetResultBody)
            guard status == 200 else { return .failure(LabelledError(label: "http \(status)")) }
            return .success(Self.jobState(in: body))
        } catch {
            return .failure(LabelledError(label: "http transport"))
        }
    }

    /// The digit after `"status":{"status":` (whitespace tolerated) without a JSON parse: the
    /// client's CPU is shared with the node, so it stays cheap. It reads nothing else of the body,
    /// so it does not care how other fields are spelled (uint64 as numbers or strings, bytes as hex
    /// or arrays, failureReason null or absent).
    static func jobState(in body: ByteBuffer) -> JobState {
        let bytes = body.readableBytesView
        let key = Array("\"status\"".utf8)
        var i = bytes.startIndex, seen = 0
        while i < bytes.endIndex {
            if bytes[i] == key[0], bytes.endIndex - i >= key.count, bytes[i..<i + key.count].elementsEqual(key) {
                seen += 1
                i += key.count
                if seen == 2 {  // the inner "status": number
                    while i < bytes.endIndex, bytes[i] == UInt8(ascii: ":") || bytes[i] == UInt8(ascii: " ") { i += 1 }
                    guard i < bytes.endIndex else { return .other }
                    switch bytes[i] {
                    case UInt8(ascii: "1"): return .pending
                    case UInt8(ascii: "2"): return .done
                    case UInt8(ascii: "3"): return .failed
                    default: return .other
                    }
                }
                continue
            }
            i += 1
        }
        return .other
    }
}

/// Several nodes behind one driver, as a load balancer would spread them: a job's calls all go to
/// the node its ID picks.
struct SpreadDriver: Driver {
    let drivers: [any Driver]
    var transport: String { drivers[0].transport }

    private func driver(for job: SignedJob) -> any Driver { drivers[Int(job.jobID[30]) % drivers.count] }
    func submit(_ job: SignedJob) async -> String? { await driver(for: job).submit(job) }
    func getResult(_ job: SignedJob) async -> Result<JobState, LabelledError> { await driver(for: job).getResult(job) }
}
