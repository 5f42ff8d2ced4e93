import ZKVM

extension GuestVM {
    /// A job's three inputs as this VM's guests read them: SP1 guests read three stdin items
    /// (`read_vec` each; each pushed even when empty); RISC Zero guests read one byte stream, which
    /// InfinityVM's seed node wrote as `LE32(len) ‖ bytes` for onchain input, offchain input and
    /// state (`Risc0.framedInput`).
    func jobInput(onchain: [UInt8], offchain: [UInt8], state: [UInt8]) -> [[UInt8]] {
        switch self {
        case .sp1: [onchain, offchain, state]
        case .risc0: [Risc0.framedInput([onchain, offchain, state])]
        }
    }
}
