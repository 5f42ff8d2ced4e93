/// Runs `body`, then `cleanup`, whether `body` returns or throws.
public func withCleanup<T>(_ body: () async throws -> T, cleanup: () async -> Void) async throws -> T {
    let result: T
    do {
        result = try await body()
    } catch {
        await cleanup()
        throw error
    }
    await cleanup()
    return result
}

/// Runs `servers` as child tasks while `body` runs; then `stop` asks them to finish and they are
/// waited for. If `body` throws, they are cancelled instead.
public func whileServing<T>(_ servers: [@Sendable () async throws -> Void], stop: () async -> Void,
                            _ body: () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: Void.self) { group in
        for server in servers { group.addTask { try await server() } }
        do {
            let result = try await body()
            await stop()
            try await group.waitForAll()
            return result
        } catch {
            group.cancelAll()
            throw error
        }
    }
}

/// SplitMix64: a small seeded generator, so a failing random case can be replayed.
public struct SeededGenerator: RandomNumberGenerator {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
