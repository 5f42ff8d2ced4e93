import Synchronization

/// The bytes of request bodies the gateway may hold at once, across all connections: each body
/// takes its bytes as they arrive and gives them back when its request is answered. A body that
/// would go over the budget is refused (429), so many concurrent large uploads cannot exhaust the
/// node's memory; small requests take a few hundred bytes and never notice.
final class BodyBudget: Sendable {
    let limit: Int
    private let used = Mutex(0)

    init(limit: Int) { self.limit = limit }

    /// Takes `bytes`; false (nothing taken) if that would exceed the limit.
    func take(_ bytes: Int) -> Bool {
        used.withLock { used in
            guard bytes <= limit - used else { return false }
            used += bytes
            return true
        }
    }

    func give(_ bytes: Int) { used.withLock { $0 -= bytes } }

    /// Bytes held now.
    var inUse: Int { used.withLock { $0 } }
}
