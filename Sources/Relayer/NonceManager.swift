import Coprocessor
import Ethereum
import EthereumRPC
import Metrics

/// The relayer account's next nonce, kept locally so consecutive transactions do not wait for
/// the chain. It is derived, never persisted on its own: from the chain's pending count and the
/// highest nonce of a recorded relay transaction. A nonce taken but never recorded (a crash, a
/// failed signature) is therefore reused after a restart or a resync instead of leaving a gap
/// that would stall every later transaction.
actor NonceManager {
    private let address: Address
    private let client: EthereumClient
    private let store: RelayStore
    private var next: UInt64?
    /// The next nonce the relayer will use.
    private let nextNonce = Gauge(label: "coprocessor_relayer_nonce")

    init(address: Address, client: EthereumClient, store: RelayStore) {
        self.address = address
        self.client = client
        self.store = store
    }

    /// Takes the next nonce.
    func allocate() async throws -> UInt64 {
        if next == nil { next = try await derive() }
        let nonce = next!
        next = nonce + 1
        nextNonce.record(Int64(clamping: nonce + 1))
        return nonce
    }

    /// Forgets the local value; the next allocation derives it again (after "nonce too low", or
    /// when a taken nonce was not broadcast).
    func resync() { next = nil }

    private func derive() async throws -> UInt64 {
        let chain = try await client.transactionCount(address, block: .pending)
        let recorded = try await store.highestInFlightNonce().map { $0 + 1 } ?? 0
        return max(chain, recorded)
    }
}
