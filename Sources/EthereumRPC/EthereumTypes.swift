import Ethereum

/// A block parameter.
public enum BlockTag: Hashable, Sendable, CustomStringConvertible {
    case latest
    /// Includes the node's pending transactions (`transactionCount(_, block: .pending)` is the next nonce).
    case pending
    case earliest
    case safe
    case finalized
    case number(UInt64)

    public var json: JSONValue {
        switch self {
        case .latest: return "latest"
        case .pending: return "pending"
        case .earliest: return "earliest"
        case .safe: return "safe"
        case .finalized: return "finalized"
        case .number(let number): return .string(Quantity.encode(number))
        }
    }

    public var description: String { json.stringValue ?? "" }
}

/// The call object of `eth_call` and `eth_estimateGas`. Unset fields are omitted.
public struct CallRequest: Hashable, Sendable {
    public var from: Address?
    public var to: Address?
    public var gas: UInt64?
    public var maxFeePerGas: UInt256?
    public var maxPriorityFeePerGas: UInt256?
    public var value: UInt256?
    public var data: [UInt8]

    public init(
        from: Address? = nil, to: Address?, data: [UInt8] = [], value: UInt256? = nil, gas: UInt64? = nil,
        maxFeePerGas: UInt256? = nil, maxPriorityFeePerGas: UInt256? = nil
    ) {
        self.from = from
        self.to = to
        self.gas = gas
        self.maxFeePerGas = maxFeePerGas
        self.maxPriorityFeePerGas = maxPriorityFeePerGas
        self.value = value
        self.data = data
    }

    /// The same call as a transaction would make it (for estimating gas or replaying a revert).
    public init(_ transaction: EIP1559Transaction, from: Address) {
        self.init(
            from: from, to: transaction.to, data: transaction.data, value: transaction.value, gas: transaction.gasLimit,
            maxFeePerGas: transaction.maxFeePerGas, maxPriorityFeePerGas: transaction.maxPriorityFeePerGas)
    }

    public var json: JSONValue {
        var object: [String: JSONValue] = [:]
        if let from { object["from"] = .string(from.lowercaseHex) }
        if let to { object["to"] = .string(to.lowercaseHex) }
        if let gas { object["gas"] = .string(Quantity.encode(gas)) }
        if let maxFeePerGas { object["maxFeePerGas"] = .string(Quantity.encode(maxFeePerGas)) }
        if let maxPriorityFeePerGas { object["maxPriorityFeePerGas"] = .string(Quantity.encode(maxPriorityFeePerGas)) }
        if let value { object["value"] = .string(Quantity.encode(value)) }
        // "data" is the name every client accepts; geth also knows it as "input".
        object["data"] = .string(Hex.encode(data))
        return .object(object)
    }
}

/// An event log, from a receipt or `eth_getLogs` (mined blocks only, so positions are present).
public struct Log: Hashable, Sendable, Decodable {
    public var address: Address
    public var topics: [Bytes32]
    public var data: [UInt8]
    public var blockNumber: UInt64
    public var blockHash: Bytes32
    public var transactionHash: Bytes32
    public var transactionIndex: UInt64
    public var logIndex: UInt64
    /// True when a reorganisation removed the log (only seen with filters and subscriptions).
    public var removed: Bool

    public init(
        address: Address, topics: [Bytes32], data: [UInt8], blockNumber: UInt64, blockHash: Bytes32,
        transactionHash: Bytes32, transactionIndex: UInt64, logIndex: UInt64, removed: Bool = false
    ) {
        self.address = address
        self.topics = topics
        self.data = data
        self.blockNumber = blockNumber
        self.blockHash = blockHash
        self.transactionHash = transactionHash
        self.transactionIndex = transactionIndex
        self.logIndex = logIndex
        self.removed = removed
    }

    enum CodingKeys: String, CodingKey {
        case address, topics, data, blockNumber, blockHash, transactionHash, transactionIndex, logIndex, removed
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        address = try container.decode(Address.self, forKey: .address)
        let topicTexts = try container.decode([String].self, forKey: .topics)
        topics = []
        for text in topicTexts {
            do {
                topics.append(try Quantity.parseBytes32(text))
            } catch {
                throw DecodingError.dataCorruptedError(forKey: .topics, in: container, debugDescription: error.description)
            }
        }
        data = try container.decodeData(.data)
        blockNumber = try container.decodeQuantity(.blockNumber)
        blockHash = try container.decodeBytes32(.blockHash)
        transactionHash = try container.decodeBytes32(.transactionHash)
        transactionIndex = try container.decodeQuantity(.transactionIndex)
        logIndex = try container.decodeQuantity(.logIndex)
        removed = try container.decodeIfPresent(Bool.self, forKey: .removed) ?? false
    }
}

/// A transaction receipt.
public struct Receipt: Hashable, Sendable, Decodable {
    public var transactionHash: Bytes32
    public var transactionIndex: UInt64
    public var blockHash: Bytes32
    public var blockNumber: UInt64
    public var from: Address
    public var to: Address?
    public var contractAddress: Address?
    /// 1 for success, 0 for a revert (post-Byzantium receipts always have it).
    public var status: UInt64
    public var gasUsed: UInt64
    public var cumulativeGasUsed: UInt64
    /// What each unit of gas cost: base fee plus the tip actually paid.
    public var effectiveGasPrice: UInt256?
    public var logs: [Log]

    public var succeeded: Bool { status == 1 }

    enum CodingKeys: String, CodingKey {
        case transactionHash, transactionIndex, blockHash, blockNumber, from, to, contractAddress, status, gasUsed
        case cumulativeGasUsed, effectiveGasPrice, logs
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        transactionHash = try container.decodeBytes32(.transactionHash)
        transactionIndex = try container.decodeQuantity(.transactionIndex)
        blockHash = try container.decodeBytes32(.blockHash)
        blockNumber = try container.decodeQuantity(.blockNumber)
        from = try container.decode(Address.self, forKey: .from)
        to = try container.decodeIfPresent(Address.self, forKey: .to)
        contractAddress = try container.decodeIfPresent(Address.self, forKey: .contractAddress)
        status = try container.decodeQuantity(.status)
        gasUsed = try container.decodeQuantity(.gasUsed)
        cumulativeGasUsed = try container.decodeQuantity(.cumulativeGasUsed)
        effectiveGasPrice = try container.decodeQuantity256IfPresent(.effectiveGasPrice)
        logs = try container.decode([Log].self, forKey: .logs)
    }
}

/// An `eth_getLogs` filter. Topics are positional: `nil` matches anything, several values any of them.
public struct LogFilter: Hashable, Sendable {
    public var fromBlock: BlockTag?
    public var toBlock: BlockTag?
    /// Empty matches every address.
    public var addresses: [Address]
    public var topics: [[Bytes32]?]

    public init(fromBlock: BlockTag? = nil, toBlock: BlockTag? = nil, addresses: [Address] = [], topics: [[Bytes32]?] = []) {
        self.fromBlock = fromBlock
        self.toBlock = toBlock
        self.addresses = addresses
        self.topics = topics
    }

    public init(fromBlock: BlockTag? = nil, toBlock: BlockTag? = nil, address: Address, topics: [[Bytes32]?] = []) {
        self.init(fromBlock: fromBlock, toBlock: toBlock, addresses: [address], topics: topics)
    }

    public var json: JSONValue {
        var object: [String: JSONValue] = [:]
        if let fromBlock { object["fromBlock"] = fromBlock.json }
        if let toBlock { object["toBlock"] = toBlock.json }
        switch addresses.count {
        case 0: break
        case 1: object["address"] = .string(addresses[0].lowercaseHex)
        default: object["address"] = .array(addresses.map { .string($0.lowercaseHex) })
        }
        if !topics.isEmpty {
            object["topics"] = .array(topics.map { alternatives -> JSONValue in
                guard let alternatives else { return .null }
                return alternatives.count == 1
                    ? .string(alternatives[0].hexString) : .array(alternatives.map { .string($0.hexString) })
            })
        }
        return .object(object)
    }
}

/// The answer of `eth_feeHistory`.
public struct FeeHistory: Hashable, Sendable, Decodable {
    public var oldestBlock: UInt64
    /// One entry per block of the range plus one: the last is the base fee of the next block.
    public var baseFeePerGas: [UInt256]
    public var gasUsedRatio: [Double]
    /// Per block, the tip at each requested percentile (absent when no percentiles were asked).
    public var reward: [[UInt256]]

    /// The base fee of the block after the newest one in the range.
    public var nextBaseFee: UInt256? { baseFeePerGas.last }

    enum CodingKeys: String, CodingKey { case oldestBlock, baseFeePerGas, gasUsedRatio, reward }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        oldestBlock = try container.decodeQuantity(.oldestBlock)
        func parse(_ text: String, _ key: CodingKeys) throws -> UInt256 {
            do {
                return try Quantity.parseUInt256(text)
            } catch {
                throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: error.description)
            }
        }
        baseFeePerGas = try (container.decodeIfPresent([String].self, forKey: .baseFeePerGas) ?? []).map { try parse($0, .baseFeePerGas) }
        gasUsedRatio = try container.decodeIfPresent([Double].self, forKey: .gasUsedRatio) ?? []
        reward = try (container.decodeIfPresent([[String]].self, forKey: .reward) ?? []).map { try $0.map { try parse($0, .reward) } }
    }
}
