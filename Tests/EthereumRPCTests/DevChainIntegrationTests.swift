import Dispatch
import Ethereum
import EthereumRPC
import Foundation
import Logging
import Synchronization
import Testing

/// devchain/server.py (py-evm behind a loopback JSON-RPC server), run by the tests themselves.
enum DevChain {
    static let repoRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let server = repoRoot.appendingPathComponent("devchain/server.py")

    /// `$DEVCHAIN_PYTHON`, else the repository's `.venv`, else `python3` on PATH: the first that can
    /// import the dev chain's requirements (alysis, vyper).
    static let python: String? = {
        guard FileManager.default.fileExists(atPath: server.path) else { return nil }
        let candidates: [String?] = [
            ProcessInfo.processInfo.environment["DEVCHAIN_PYTHON"],
            repoRoot.appendingPathComponent(".venv/bin/python3").path,
            "/usr/bin/python3", "/usr/local/bin/python3",
        ]
        for candidate in candidates.compactMap({ $0 }) where FileManager.default.isExecutableFile(atPath: candidate) {
            let probe = Process()
            probe.executableURL = URL(fileURLWithPath: candidate)
            probe.arguments = ["-c", "import alysis, vyper"]
            probe.standardOutput = FileHandle.nullDevice
            probe.standardError = FileHandle.nullDevice
            guard (try? probe.run()) != nil else { continue }
            probe.waitUntilExit()
            if probe.terminationStatus == 0 { return candidate }
        }
        return nil
    }()

    static let skipReason: Comment =
        "no dev chain: needs devchain/server.py and a Python with devchain/requirements.txt (set DEVCHAIN_PYTHON or create .venv)"

    /// What server.py prints once it serves.
    struct Info: Decodable {
        let rpcURL: String
        let chainID: UInt64
        let jobManager: String?
        let relayer: String
        enum CodingKeys: String, CodingKey { case rpcURL = "rpc_url", chainID = "chain_id", jobManager = "job_manager", relayer }
    }

    /// A running server process; `stop()` sends SIGTERM and waits.
    final class Instance: Sendable {
        let process: Process
        let info: Info
        let logURL: URL

        init(process: Process, info: Info, logURL: URL) {
            self.process = process
            self.info = info
            self.logURL = logURL
        }

        /// SIGTERM, then SIGKILL if the server is still up after `grace`.
        func stop(grace: Duration = .seconds(10)) {
            if process.isRunning { process.terminate() }
            let clock = ContinuousClock()
            let deadline = clock.now.advanced(by: grace)
            while process.isRunning && clock.now < deadline { usleep(20_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            try? FileManager.default.removeItem(at: logURL)
        }
    }

    static func start(startupTimeout: Duration = .seconds(90)) async throws -> Instance {
        let python = try #require(python, "no Python for the dev chain")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        // Foundation.Process spawns from a thread whose signal mask blocks SIGTERM and SIGINT, and
        // the child inherits that mask, so server.py would never see `terminate()`. Unblock them
        // in the child before it becomes the server.
        process.arguments = [
            "-c", "import os, signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, set()); os.execv(sys.executable, [sys.executable] + sys.argv[1:])",
            server.path, "--port", "0", "--deploy", "--watch-parent",
        ]
        process.currentDirectoryURL = repoRoot
        let stdout = Pipe()
        process.standardOutput = stdout
        // The server logs to stderr; a file never fills up and blocks it like an unread pipe would.
        let logURL = FileManager.default.temporaryDirectory.appendingPathComponent("devchain-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: logURL)
        try process.run()

        // If the server never prints its line, kill it: the blocked read below then sees EOF.
        let watchdog = Task {
            try await Task.sleep(for: startupTimeout)
            if process.isRunning { process.terminate() }
        }
        defer { watchdog.cancel() }
        let line = await withCheckedContinuation { (continuation: CheckedContinuation<Data, Never>) in
            let handle = stdout.fileHandleForReading
            DispatchQueue.global().async {
                var data = Data()
                while !data.contains(UInt8(ascii: "\n")) {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    data.append(chunk)
                }
                continuation.resume(returning: data)
            }
        }
        guard let newline = line.firstIndex(of: UInt8(ascii: "\n")),
              let info = try? JSONDecoder().decode(Info.self, from: line[..<newline])
        else {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
            let log = (try? String(contentsOf: logURL, encoding: .utf8)) ?? ""
            try? FileManager.default.removeItem(at: logURL)
            throw DevChainError.didNotStart(stdout: String(decoding: line, as: UTF8.self), log: String(log.suffix(2000)))
        }
        return Instance(process: process, info: info, logURL: logURL)
    }

    enum DevChainError: Error, CustomStringConvertible {
        case didNotStart(stdout: String, log: String)
        var description: String {
            switch self {
            case .didNotStart(let stdout, let log): return "dev chain did not start; stdout: \(stdout)\nlog: \(log)"
            }
        }
    }
}

@Suite(.enabled(if: DevChain.python != nil, DevChain.skipReason), .serialized)
struct DevChainIntegrationTests {
    /// anvil dev account #1, the dev chain's relayer (a public test key).
    static let relayerKey = try! PrivateKey(hex: "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d")

    @Test func signedSelfTransferIsMinedAndConfirmed() async throws {
        let chain = try await DevChain.start()
        defer { chain.stop() }
        try await withClient(chain.info.rpcURL, timeout: .seconds(30), retry: .default) { client async throws in
            let relayer = Self.relayerKey.address
            #expect(relayer == (try Address(hex: chain.info.relayer)))
            let chainID = try await client.chainID()
            #expect(chainID == chain.info.chainID)

            let nonce = try await client.transactionCount(relayer, block: .pending)
            let fees = try await client.suggestFees()
            #expect(fees.maxFeePerGas >= fees.maxPriorityFeePerGas)
            #expect(fees.maxFeePerGas >= fees.baseFee)
            let value = UInt256(1_000_000_007)
            let gas = try await client.estimateGas(CallRequest(from: relayer, to: relayer, value: value), headroomPercent: 20)
            #expect(gas == 25_200)  // a plain transfer costs 21000, plus 20 %

            let transaction = EIP1559Transaction(
                chainID: chainID, nonce: nonce, maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
                maxFeePerGas: fees.maxFeePerGas, gasLimit: gas, to: relayer, value: value)
            let signed = try transaction.sign(with: Self.relayerKey)
            #expect(try SignedTransaction(raw: signed.raw).recoverSender() == relayer)
            let hash = try await client.send(signed)
            #expect(hash == signed.hash)

            let receipt = try await client.waitForReceipt(hash, confirmations: 1, pollInterval: .milliseconds(100), timeout: .seconds(60))
            #expect(receipt.succeeded)
            #expect(receipt.transactionHash == hash)
            #expect(receipt.from == relayer && receipt.to == relayer)
            #expect(receipt.gasUsed == 21_000)
            if let price = receipt.effectiveGasPrice {
                #expect(price <= fees.maxFeePerGas)
            }
            #expect(try await client.transactionCount(relayer, block: .pending) == nonce + 1)
            #expect(try await client.blockNumber() >= receipt.blockNumber)

            // Resending the very same bytes may be refused ("already known", "nonce too low") or
            // accepted as a no-op; either way it must not be executed twice.
            _ = try? await client.sendRawTransaction(signed.raw)
            #expect(try await client.transactionCount(relayer, block: .pending) == nonce + 1)
        }
    }

    /// eth_call of `submitResult` from an account that is not the relayer: the contract's
    /// `Error(string)` reason comes back decoded, from eth_call and eth_estimateGas alike.
    @Test func revertReasonFromTheJobManager() async throws {
        let chain = try await DevChain.start()
        defer { chain.stop() }
        let jobManager = try Address(hex: try #require(chain.info.jobManager, "server.py --deploy prints job_manager"))
        let stranger = try Address(hex: "0x90F79bf6EB2c4f870365E785982E1f101E93b906")  // anvil #3, not the relayer
        let call = CallRequest(
            from: stranger, to: jobManager, data: JobManager.submitResultCalldata(resultWithMetadata: [1, 2, 3], signature: [4]))
        try await withClient(chain.info.rpcURL, timeout: .seconds(30)) { client async throws in
            let callError = await clientError { try await client.call(call) }
            let estimateError = await clientError { try await client.estimateGas(call) }
            for error in [callError, estimateError] {
                guard case .reverted(let revert)? = error else {
                    Issue.record("expected a revert, got \(String(describing: error))")
                    continue
                }
                #expect(revert.reason == "JobManager.submitResult: caller is not the relayer")
            }
        }
    }
}
