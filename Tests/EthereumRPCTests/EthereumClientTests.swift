import Ethereum
import EthereumRPC
import Foundation
import Synchronization
import Testing

private let relayer = try! Address(hex: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8")
private let jobManager = try! Address(hex: "0xBb2180ebd78ce97360503434eD37fcf4a1Df61c3")
private let txHash = "0x" + String(repeating: "ab", count: 32)
private let blockHash = "0x" + String(repeating: "cd", count: 32)
private let topic0 = "0x6746f3d160e2aee55f5b75a72021b8b806113443f64eed235b5f69af10d4890b"
private let topic1 = "0x" + String(repeating: "01", count: 32)

private func logJSON(index: Int) -> JSONValue {
    [
        "address": .string(jobManager.lowercaseHex), "topics": [.string(topic0), .string(topic1)], "data": "0xdeadbeef",
        "blockNumber": "0x10", "blockHash": .string(blockHash), "transactionHash": .string(txHash),
        "transactionIndex": "0x0", "logIndex": .string("0x" + String(index, radix: 16)), "removed": false,
    ]
}

private func receiptJSON(blockNumber: UInt64 = 0x10, status: String = "0x1") -> JSONValue {
    [
        "transactionHash": .string(txHash), "transactionIndex": "0x0", "blockHash": .string(blockHash),
        "blockNumber": .string(Quantity.encode(blockNumber)), "from": .string(relayer.lowercaseHex),
        "to": .string(jobManager.lowercaseHex), "contractAddress": nil, "status": .string(status), "gasUsed": "0x5208",
        "cumulativeGasUsed": "0xa410", "effectiveGasPrice": "0x3b9aca07", "logs": [logJSON(index: 0), logJSON(index: 1)],
        "logsBloom": .string("0x" + String(repeating: "00", count: 256)), "type": "0x2",
    ]
}

/// ABI of `Error(string)` with `reason`.
private func errorStringRevertData(_ reason: String) -> [UInt8] {
    Revert.errorSelector + ABI.encode([.bytes(Array(reason.utf8))])
}

/// Each typed call: the request it sends and how it reads the answer.
@Suite struct EthereumClientCallTests {
    @Test func simpleQuantities() async throws {
        try await withFakeNode(handler: { call in
            switch call.method {
            case "eth_chainId": return .result("0x7a69")
            case "eth_blockNumber": return .result("0x0")
            case "eth_getTransactionCount": return .result("0x1f")
            case "eth_gasPrice": return .result("0x77359400")
            case "eth_maxPriorityFeePerGas": return .result("0x3b9aca00")
            case "eth_getBalance": return .result(.string("0x" + String(repeating: "f", count: 64)))
            default: return .error(code: -32601, message: "method not found")
            }
        }) { node, client async throws in
            #expect(try await client.chainID() == 31337)
            #expect(try await client.blockNumber() == 0)
            #expect(try await client.transactionCount(relayer) == 31)
            #expect(try await client.transactionCount(relayer, block: .latest) == 31)
            #expect(try await client.gasPrice() == UInt256(2_000_000_000))
            #expect(try await client.maxPriorityFeePerGas() == UInt256(1_000_000_000))
            #expect(try await client.balance(relayer, block: .number(255)) == .max)

            let calls = node.calls
            #expect(calls.map(\.method) == [
                "eth_chainId", "eth_blockNumber", "eth_getTransactionCount", "eth_getTransactionCount", "eth_gasPrice",
                "eth_maxPriorityFeePerGas", "eth_getBalance",
            ])
            #expect(calls[2].params == [.string(relayer.lowercaseHex), "pending"])
            #expect(calls[3].params == [.string(relayer.lowercaseHex), "latest"])
            #expect(calls[6].params == [.string(relayer.lowercaseHex), "0xff"])
        }
    }

    @Test func feeHistoryRequestAndDecoding() async throws {
        let history: JSONValue = [
            "oldestBlock": "0x5", "baseFeePerGas": ["0x3b9aca00", "0x3b9aca01", "0x3b9aca02"],
            "gasUsedRatio": [0.5, .integer(0)], "reward": [["0x1", "0x2"], ["0x3", "0x4"]],
        ]
        try await withFakeNode(handler: { _ in .result(history) }) { node, client async throws in
            let decoded = try await client.feeHistory(blocks: 2, newest: .latest, percentiles: [25, 75])
            #expect(decoded.oldestBlock == 5)
            #expect(decoded.baseFeePerGas == [UInt256(1_000_000_000), UInt256(1_000_000_001), UInt256(1_000_000_002)])
            #expect(decoded.nextBaseFee == UInt256(1_000_000_002))
            #expect(decoded.gasUsedRatio == [0.5, 0])
            #expect(decoded.reward == [[UInt256(1), UInt256(2)], [UInt256(3), UInt256(4)]])
            let call = try #require(node.calls.first)
            #expect(call.method == "eth_feeHistory")
            #expect(call.params.count == 3)
            #expect(call.params[0] == "0x2")
            #expect(call.params[1] == "latest")
            guard case .array(let percentiles) = call.params[2], percentiles.count == 2 else {
                Issue.record("percentiles: \(call.params[2])")
                return
            }
        }
    }

    @Test func callAndEstimateGasEncodeTheCallObject() async throws {
        try await withFakeNode(handler: { call in
            call.method == "eth_call" ? .result("0x00ff") : .result("0x186a0")
        }) { node, client async throws in
            let request = CallRequest(
                from: relayer, to: jobManager, data: [0xea, 0x25, 0x34, 0x87], value: UInt256(0), gas: 1_000_000,
                maxFeePerGas: UInt256(3_000_000_000), maxPriorityFeePerGas: UInt256(1_000_000_000))
            #expect(try await client.call(request) == [0x00, 0xff])
            #expect(try await client.call(request, block: .number(16)) == [0x00, 0xff])
            #expect(try await client.estimateGas(request) == 100_000)
            #expect(try await client.estimateGas(request, headroomPercent: 20) == 120_000)

            let expected: JSONValue = [
                "from": .string(relayer.lowercaseHex), "to": .string(jobManager.lowercaseHex), "data": "0xea253487",
                "value": "0x0", "gas": "0xf4240", "maxFeePerGas": "0xb2d05e00", "maxPriorityFeePerGas": "0x3b9aca00",
            ]
            let calls = node.calls
            #expect(calls[0].params == [expected, "latest"])
            #expect(calls[1].params == [expected, "0x10"])
            #expect(calls[2].params == [expected])
            #expect(calls[3].method == "eth_estimateGas")
            // Unset fields are left out rather than sent as zero.
            let minimal = CallRequest(to: jobManager)
            #expect(minimal.json == ["to": .string(jobManager.lowercaseHex), "data": "0x"])
        }
    }

    @Test func sendRawTransactionSendsHexAndReturnsTheHash() async throws {
        let key = try PrivateKey(hex: "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d")
        let signed = try EIP1559Transaction(
            chainID: 31337, nonce: 0, maxPriorityFeePerGas: UInt256(1), maxFeePerGas: UInt256(2), gasLimit: 21000, to: relayer
        ).sign(with: key)
        try await withFakeNode(handler: { call in
            // Echo keccak256 of the raw bytes, as a node does.
            guard case .string(let rawHex)? = call.params.first, let raw = try? Hex.decode(rawHex) else {
                return .error(code: -32602, message: "invalid params")
            }
            return .result(.string(Keccak256.hash(raw).hexString))
        }) { node, client async throws in
            #expect(try await client.sendRawTransaction(signed.raw) == signed.hash)
            #expect(try await client.send(signed) == signed.hash)
            #expect(node.calls.first?.params == [.string(signed.rawHex)])
        }
        // A node that disagrees about the hash is reported.
        try await withFakeNode(handler: { _ in .result(.string(txHash)) }) { _, client async throws in
            let error = try #require(await clientError { try await client.send(signed) })
            guard case .transactionHashMismatch = error else {
                Issue.record("unexpected error \(error)")
                return
            }
        }
    }

    @Test func receiptDecodingAndNullForPending() async throws {
        let pending = Counter()
        try await withFakeNode(handler: { _ in pending.increment() == 1 ? .result(nil) : .result(receiptJSON()) }) { node, client async throws in
            let hash = try Bytes32(hex: txHash)
            #expect(try await client.transactionReceipt(hash) == nil)
            let receipt = try #require(try await client.transactionReceipt(hash))
            #expect(node.calls.first?.params == [.string(txHash)])
            #expect(receipt.transactionHash == hash)
            #expect(receipt.blockNumber == 16)
            #expect(receipt.blockHash == (try Bytes32(hex: blockHash)))
            #expect(receipt.from == relayer)
            #expect(receipt.to == jobManager)
            #expect(receipt.contractAddress == nil)
            #expect(receipt.succeeded && receipt.status == 1)
            #expect(receipt.gasUsed == 21000)
            #expect(receipt.cumulativeGasUsed == 42000)
            #expect(receipt.effectiveGasPrice == UInt256(1_000_000_007))
            #expect(receipt.logs.count == 2)
            let log = receipt.logs[1]
            #expect(log.address == jobManager)
            #expect(log.topics == [try Bytes32(hex: topic0), try Bytes32(hex: topic1)])
            #expect(log.data == [0xde, 0xad, 0xbe, 0xef])
            #expect(log.blockNumber == 16 && log.logIndex == 1 && log.transactionIndex == 0)
            #expect(log.transactionHash == hash)
        }
    }

    @Test func revertedReceiptHasStatusZero() async throws {
        try await withFakeNode(handler: { _ in .result(receiptJSON(status: "0x0")) }) { _, client async throws in
            let receipt = try #require(try await client.transactionReceipt(try Bytes32(hex: txHash)))
            #expect(!receipt.succeeded)
        }
    }

    @Test func getLogsEncodesTheFilter() async throws {
        try await withFakeNode(handler: { _ in .result([logJSON(index: 0), logJSON(index: 3)]) }) { node, client async throws in
            let filter = LogFilter(
                fromBlock: .number(100), toBlock: .latest, address: jobManager,
                topics: [[try Bytes32(hex: topic0)], nil, [try Bytes32(hex: topic1), .zero]])
            let logs = try await client.getLogs(filter)
            #expect(logs.map(\.logIndex) == [0, 3])
            let expected: JSONValue = [
                "fromBlock": "0x64", "toBlock": "latest", "address": .string(jobManager.lowercaseHex),
                "topics": [.string(topic0), nil, [.string(topic1), .string(Bytes32.zero.hexString)]],
            ]
            #expect(node.calls.first?.params == [expected])
            #expect(LogFilter(addresses: [jobManager, relayer]).json == [
                "address": [.string(jobManager.lowercaseHex), .string(relayer.lowercaseHex)],
            ])
        }
    }
}

/// Reverts of eth_call / eth_estimateGas as nodes report them.
@Suite struct RevertTests {
    @Test func errorStringRevertIsDecoded() async throws {
        let data = errorStringRevertData("JobManager: caller is not the relayer")
        try await withFakeNode(handler: { _ in
            .error(code: 3, message: "execution reverted: JobManager: caller is not the relayer", data: .string(Hex.encode(data)))
        }) { _, client async throws in
            let error = try #require(await clientError { try await client.call(CallRequest(to: jobManager)) })
            guard case .reverted(let revert) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(revert.data == data)
            #expect(revert.reason == "JobManager: caller is not the relayer")
            #expect(revert.message.hasPrefix("execution reverted"))
            #expect(revert.panicCode == nil)
            // estimateGas maps reverts the same way.
            await #expect(throws: EthereumClientError.self) { try await client.estimateGas(CallRequest(to: jobManager)) }
        }
    }

    @Test func revertShapesOfOtherNodes() {
        let data = errorStringRevertData("nope")
        // Hardhat style: -32603 with the hex nested in an object.
        let nested = Revert(rpcError: .rpc(code: -32603, message: "Error: VM Exception while processing transaction: reverted with reason string 'nope'", data: ["message": "x", "data": .string(Hex.encode(data))]))
        #expect(nested?.reason == "nope")
        // geth, bare revert(): -32000 without data.
        let bare = Revert(rpcError: .rpc(code: -32000, message: "execution reverted", data: nil))
        #expect(bare?.data == [] && bare?.reason == nil)
        // A custom error: data kept, no string reason.
        let custom = Revert(rpcError: .rpc(code: 3, message: "execution reverted", data: "0x12345678"))
        #expect(custom?.data == [0x12, 0x34, 0x56, 0x78] && custom?.reason == nil)
        // Panic(0x11): arithmetic overflow.
        let panic = Revert(rpcError: .rpc(code: 3, message: "execution reverted", data: .string(Hex.encode(Revert.panicSelector + ABI.encode([.uint256(UInt256(0x11))])))))
        #expect(panic?.panicCode == UInt256(0x11))
        // Not a revert at all.
        #expect(Revert(rpcError: .rpc(code: -32000, message: "nonce too low", data: nil)) == nil)
        #expect(Revert(rpcError: .timeout) == nil)
        // Malformed Error(string) data: kept as data, no reason.
        #expect(Revert.decodeReason(Revert.errorSelector + [0x00]) == nil)
    }

    @Test func nonRevertErrorsOfCallStayRPCErrors() async throws {
        try await withFakeNode(handler: { _ in .error(code: -32602, message: "invalid argument 0") }) { _, client async throws in
            let error = try #require(await clientError { try await client.call(CallRequest(to: jobManager)) })
            guard case .rpc(.rpc(-32602, _, _)) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
        }
    }
}

@Suite struct FeeEstimationTests {
    static let history: JSONValue = [
        "oldestBlock": "0x1", "baseFeePerGas": ["0x3b9aca00", "0x3b9aca00", "0x3b9aca00", "0x77359400"],
        "gasUsedRatio": [0.5, 0.5, 0.5], "reward": [["0x0"], ["0x5f5e100"], ["0xbebc200"]],
    ]

    @Test func usesFeeHistoryBaseFeeAndNodeTip() async throws {
        try await withFakeNode(handler: { call in
            call.method == "eth_feeHistory" ? .result(Self.history) : .result("0x3b9aca00")
        }) { node, client async throws in
            let fees = try await client.suggestFees()
            #expect(fees.baseFee == UInt256(2_000_000_000))  // the next block's base fee: the last entry
            #expect(fees.maxPriorityFeePerGas == UInt256(1_000_000_000))
            #expect(fees.maxFeePerGas == UInt256(5_000_000_000))  // 2 × 2 gwei + 1 gwei
            #expect(node.methods == ["eth_feeHistory", "eth_maxPriorityFeePerGas"])
            #expect(node.calls[0].params.prefix(2) == ["0xa", "latest"])
        }
    }

    @Test func fallsBackToHistoryMedianTipThenToDefault() async throws {
        try await withFakeNode(handler: { call in
            call.method == "eth_feeHistory" ? .result(Self.history) : .error(code: -32601, message: "the method eth_maxPriorityFeePerGas does not exist")
        }) { _, client async throws in
            let fees = try await client.suggestFees()
            // Non-zero tips 0.1 and 0.2 gwei: the median picks the upper middle.
            #expect(fees.maxPriorityFeePerGas == UInt256(200_000_000))
            #expect(fees.maxFeePerGas == UInt256(4_200_000_000))
        }
        let noRewards: JSONValue = ["oldestBlock": "0x1", "baseFeePerGas": ["0x7", "0x8"], "gasUsedRatio": [0.0]]
        try await withFakeNode(handler: { call in
            call.method == "eth_feeHistory" ? .result(noRewards) : .error(code: -32601, message: "no such method")
        }) { _, client async throws in
            let fees = try await client.suggestFees(policy: FeePolicy(fallbackPriorityFee: UInt256(3)))
            #expect(fees.maxPriorityFeePerGas == UInt256(3))
            #expect(fees.maxFeePerGas == UInt256(19))
        }
    }

    @Test func withoutFeeHistoryUsesGasPrice() async throws {
        try await withFakeNode(handler: { call in
            switch call.method {
            case "eth_gasPrice": return .result("0x64")
            case "eth_maxPriorityFeePerGas": return .result("0xa")
            default: return .error(code: -32601, message: "method not found")
            }
        }) { node, client async throws in
            let fees = try await client.suggestFees(policy: FeePolicy(minimumPriorityFee: UInt256(20), maxFeeCap: UInt256(150)))
            #expect(fees.baseFee == UInt256(100))
            #expect(fees.maxPriorityFeePerGas == UInt256(20))  // raised to the minimum
            #expect(fees.maxFeePerGas == UInt256(150))  // 2 × 100 + 20, capped
            #expect(node.methods == ["eth_feeHistory", "eth_gasPrice", "eth_maxPriorityFeePerGas"])
        }
    }

    @Test func transportFailuresAreNotPaperedOver() async throws {
        let port = try await reserveFreePort()
        try await withClient("http://127.0.0.1:\(port)") { client async throws in
            let error = try #require(await clientError { try await client.suggestFees() })
            #expect(error.isTransportFailure, "\(error)")
        }
    }

    @Test func headroomArithmetic() {
        #expect(EthereumClient.addingHeadroom(100_000, percent: 20) == 120_000)
        #expect(EthereumClient.addingHeadroom(21_001, percent: 20) == 25_201)  // rounds down
        #expect(EthereumClient.addingHeadroom(5, percent: 0) == 5)
        #expect(EthereumClient.addingHeadroom(.max - 1, percent: 20) == .max)
        #expect(EthereumClient.addingHeadroom(.max, percent: .max) == .max)
    }
}

/// A chain whose head moves one block per `eth_blockNumber` call and whose receipt appears
/// after a few polls.
private final class MovingChain: Sendable {
    private let state = Mutex((head: UInt64(10), receiptPolls: 0))
    let receiptBlock: UInt64
    let pendingPolls: Int

    init(receiptBlock: UInt64, pendingPolls: Int) {
        self.receiptBlock = receiptBlock
        self.pendingPolls = pendingPolls
    }

    func reply(_ call: ReceivedCall) -> FakeReply {
        state.withLock { state in
            switch call.method {
            case "eth_blockNumber":
                state.head += 1
                return .result(.string(Quantity.encode(state.head)))
            case "eth_getTransactionReceipt":
                state.receiptPolls += 1
                return state.receiptPolls <= pendingPolls ? .result(nil) : .result(receiptJSON(blockNumber: receiptBlock))
            default:
                return .error(code: -32601, message: "method not found")
            }
        }
    }
}

@Suite struct ReceiptWaitingTests {
    @Test func waitsForTheRequestedConfirmations() async throws {
        let chain = MovingChain(receiptBlock: 12, pendingPolls: 2)
        try await withFakeNode(handler: { chain.reply($0) }) { node, client async throws in
            let receipt = try await client.waitForReceipt(
                try Bytes32(hex: txHash), confirmations: 3, pollInterval: .milliseconds(20), timeout: .seconds(60))
            #expect(receipt.blockNumber == 12)
            // Heads 11, 12, 13, 14: block 12 has 3 confirmations at head 14.
            #expect(node.methods.filter { $0 == "eth_blockNumber" }.count == 4)
            #expect(node.methods.filter { $0 == "eth_getTransactionReceipt" }.count == 6)
        }
    }

    @Test func oneConfirmationReturnsAsSoonAsMined() async throws {
        let chain = MovingChain(receiptBlock: 12, pendingPolls: 1)
        try await withFakeNode(handler: { chain.reply($0) }) { node, client async throws in
            let receipt = try await client.waitForReceipt(try Bytes32(hex: txHash), confirmations: 1, pollInterval: .milliseconds(20))
            #expect(receipt.succeeded)
            #expect(node.methods == ["eth_getTransactionReceipt", "eth_getTransactionReceipt"])
        }
    }

    @Test func timesOutWhenNeverMined() async throws {
        let clock = ContinuousClock()
        try await withFakeNode(handler: { _ in .result(nil) }) { _, client async throws in
            let start = clock.now
            let error = try #require(await clientError { try await client.waitForReceipt(try Bytes32(hex: txHash), pollInterval: .milliseconds(50), timeout: .milliseconds(300)) })
            guard case .receiptTimeout(_, let last, let lastError) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(last == nil && lastError == nil)
            let elapsed = clock.now - start
            #expect(elapsed >= .milliseconds(300) && elapsed < .seconds(10))
        }
    }

    @Test func toleratesTheNodeGoingAwayWhilePolling() async throws {
        let polls = Counter()
        // The first polls time out (node overloaded), then the receipt is there.
        try await withFakeNode(timeout: .milliseconds(250), handler: { _ in
            polls.increment() <= 2 ? .delayed(.seconds(1), .result(nil)) : .result(receiptJSON())
        }) { _, client async throws in
            let receipt = try await client.waitForReceipt(try Bytes32(hex: txHash), pollInterval: .milliseconds(20), timeout: .seconds(30))
            #expect(receipt.blockNumber == 16)
        }
    }

    @Test func jsonRPCErrorsStopTheWait() async throws {
        try await withFakeNode(handler: { _ in .error(code: -32000, message: "transaction indexing is in progress") }) { _, client async throws in
            let error = try #require(await clientError { try await client.waitForReceipt(try Bytes32(hex: txHash), pollInterval: .milliseconds(20), timeout: .seconds(5)) })
            guard case .rpc(.rpc(-32000, _, _)) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
        }
    }
}
