import Ethereum
import EthereumRPC
import Foundation
import TestSupport
import Testing

/// The RPC client against devchain/server.py (py-evm behind a loopback JSON-RPC server), which the
/// tests start themselves (TestSupport's launcher).
@Suite(.enabled(if: Peers.devChain.isRequired, Comment(rawValue: Peers.devChain.detail)), .serialized)
struct DevChainIntegrationTests {
    @Test func signedSelfTransferIsMinedAndConfirmed() async throws {
        try await DevChain.with { chain in
            try await withClient(chain.rpcURL, timeout: .seconds(30), retry: .default) { client async throws in
                let relayer = DevChain.relayerKey.address
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
                let signed = try transaction.sign(with: DevChain.relayerKey)
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
    }

    /// eth_call of `submitResult` from an account that is not the relayer: the contract's
    /// `Error(string)` reason comes back decoded, from eth_call and eth_estimateGas alike.
    @Test func revertReasonFromTheJobManager() async throws {
        try await DevChain.with { chain in
            let stranger = try Address(hex: "0x90F79bf6EB2c4f870365E785982E1f101E93b906")  // anvil #3, not the relayer
            let call = CallRequest(from: stranger, to: chain.jobManager,
                                   data: JobManager.submitResultCalldata(resultWithMetadata: [1, 2, 3], signature: [4]))
            try await withClient(chain.rpcURL, timeout: .seconds(30)) { client async throws in
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
}
