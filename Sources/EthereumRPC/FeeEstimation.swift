import Ethereum

/// EIP-1559 fees for a transaction about to be signed.
public struct FeeSuggestion: Hashable, Sendable, CustomStringConvertible {
    public var maxPriorityFeePerGas: UInt256
    public var maxFeePerGas: UInt256
    /// The base fee the suggestion was built on (the next block's, when the node reports it).
    public var baseFee: UInt256

    public init(maxPriorityFeePerGas: UInt256, maxFeePerGas: UInt256, baseFee: UInt256) {
        self.maxPriorityFeePerGas = maxPriorityFeePerGas
        self.maxFeePerGas = maxFeePerGas
        self.baseFee = baseFee
    }

    public var description: String {
        "maxFeePerGas \(maxFeePerGas) wei, maxPriorityFeePerGas \(maxPriorityFeePerGas) wei (base fee \(baseFee))"
    }
}

/// How `suggestFees` turns chain data into fees.
public struct FeePolicy: Hashable, Sendable {
    /// maxFeePerGas = baseFee × this + tip. 2 keeps a transaction valid through six full blocks
    /// of 12.5 % base fee increases, the usual wallet choice.
    public var baseFeeMultiplier: UInt64
    /// Blocks of `eth_feeHistory` to read, and the tip percentile to take from each.
    public var historyBlocks: UInt64
    public var rewardPercentile: Double
    /// The tip when the node has no `eth_maxPriorityFeePerGas` and the history shows no tips.
    public var fallbackPriorityFee: UInt256
    /// Tips below this are raised to it (some nodes suggest 0 on idle chains).
    public var minimumPriorityFee: UInt256
    /// An upper bound for maxFeePerGas (and so the tip); nil for none.
    public var maxFeeCap: UInt256?

    public static let oneGwei = UInt256(1_000_000_000)

    public init(
        baseFeeMultiplier: UInt64 = 2, historyBlocks: UInt64 = 10, rewardPercentile: Double = 50,
        fallbackPriorityFee: UInt256 = FeePolicy.oneGwei, minimumPriorityFee: UInt256 = .zero, maxFeeCap: UInt256? = nil
    ) {
        self.baseFeeMultiplier = baseFeeMultiplier
        self.historyBlocks = historyBlocks
        self.rewardPercentile = rewardPercentile
        self.fallbackPriorityFee = fallbackPriorityFee
        self.minimumPriorityFee = minimumPriorityFee
        self.maxFeeCap = maxFeeCap
    }
}

extension EthereumClient {
    /// Fees for a type-2 transaction.
    ///
    /// Base fee: the next block's from `eth_feeHistory`; if the node has no fee history (a JSON-RPC
    /// error), `eth_gasPrice` stands in. Tip: `eth_maxPriorityFeePerGas`; if the node lacks it, the
    /// median over recent blocks of the history's `rewardPercentile` tip; if there is none,
    /// `fallbackPriorityFee`. Transport failures are not papered over: they are thrown.
    public func suggestFees(policy: FeePolicy = FeePolicy()) async throws(EthereumClientError) -> FeeSuggestion {
        var history: FeeHistory?
        do {
            history = try await feeHistory(blocks: policy.historyBlocks, newest: .latest, percentiles: [policy.rewardPercentile])
        } catch let error where Self.isUnsupported(error) {
            history = nil
        }

        let baseFee: UInt256
        if let next = history?.nextBaseFee {
            baseFee = next
        } else {
            do {
                baseFee = try await gasPrice()
            } catch let error where Self.isUnsupported(error) {
                throw .feeEstimationFailed("the node has neither eth_feeHistory base fees nor eth_gasPrice: \(error)")
            }
        }

        var tip: UInt256
        do {
            tip = try await maxPriorityFeePerGas()
        } catch let error where Self.isUnsupported(error) {
            tip = Self.medianReward(history) ?? policy.fallbackPriorityFee
        }
        tip = max(tip, policy.minimumPriorityFee)

        var maxFee = baseFee.saturatingMultiply(by: policy.baseFeeMultiplier).saturatingAdd(tip)
        if let cap = policy.maxFeeCap {
            maxFee = min(maxFee, cap)
            tip = min(tip, maxFee)
        }
        return FeeSuggestion(maxPriorityFeePerGas: tip, maxFeePerGas: maxFee, baseFee: baseFee)
    }

    /// `eth_estimateGas` plus `headroomPercent` percent (saturating), since the estimate is exact
    /// for the state it ran on and the state can move before the transaction is mined.
    public func estimateGas(_ call: CallRequest, headroomPercent: UInt64, block: BlockTag? = nil) async throws(EthereumClientError) -> UInt64 {
        let estimate = try await estimateGas(call, block: block)
        return Self.addingHeadroom(estimate, percent: headroomPercent)
    }

    public static func addingHeadroom(_ gas: UInt64, percent: UInt64) -> UInt64 {
        let (high, low) = gas.multipliedFullWidth(by: percent)
        guard high < 100 else { return .max }  // the quotient would not fit in 64 bits
        let (extra, _) = UInt64(100).dividingFullWidth((high: high, low: low))
        let (total, carry) = gas.addingReportingOverflow(extra)
        return carry ? .max : total
    }

    /// A node that answered with a JSON-RPC error (method missing, not supported on this chain)
    /// rather than a transport failure.
    static func isUnsupported(_ error: EthereumClientError) -> Bool {
        switch error {
        case .rpc(.rpc), .rpc(.invalidResponse): return true
        default: return false
        }
    }

    /// The median, over the blocks of `history`, of the first requested percentile's tip,
    /// ignoring empty blocks (which report 0).
    static func medianReward(_ history: FeeHistory?) -> UInt256? {
        let tips = (history?.reward ?? []).compactMap(\.first).filter { !$0.isZero }.sorted()
        return tips.isEmpty ? nil : tips[tips.count / 2]
    }
}
