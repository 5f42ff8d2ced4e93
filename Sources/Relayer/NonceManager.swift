import Coprocessor
import Ethereum
import EthereumRPC

/// The relayer account's next nonce, kept locally so consecutive transactions do not wait for
/// the chain, persisted so a restart does not reuse a nonce, and resynchronised from the chain's
/// pending count when a node says "nonce too low".
actor NonceManager {
    private let address: Address
    private let client: EthereumClient
    private let store: RelayStore
    private var next: UInt64?

    init(address: Address, client: EthereumClient, store: RelayStore) {
        self.address = address
        self.client = client
        self.store = store
    }

    private var key: String { "relayer_nonce:\(address.lowercaseHex)" }

    /// Takes the next nonce (persisting the one after it).
    func allocate() async throws -> UInt64 {
        if next == nil {
            let chain = try await client.transactionCount(address, block: .pending)
            let persisted = try await store.chainValue(key) ?? 0
            next = max(chain, persisted)
        }
        let nonce = next!
        next = nonce + 1
        try await store.setChainValue(key, nonce + 1)
        return nonce
    }

    /// Forgets the local value: the next allocation reads the chain again (after "nonce too low",
    /// or after a transaction that was never sent).
    func resync() async throws {
        let chain = try await client.transactionCount(address, block: .pending)
        next = chain
        try await store.setChainValue(key, chain)
    }
}
