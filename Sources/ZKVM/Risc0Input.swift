extension Risc0 {
    /// Several inputs as one RISC Zero stdin byte stream: `LE32(len) ‖ bytes` for each item in
    /// order, as a host writes them with `ExecutorEnv::write(&u32)` (one little-endian word in
    /// risc0 serde) then `write_slice`, no padding. A guest reads each back with
    /// `env::read::<u32>()` and `env::read_slice`.
    public static func framedInput(_ items: [[UInt8]]) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(items.reduce(0) { $0 + 4 + $1.count })
        for item in items {
            let n = UInt32(item.count)
            out += [UInt8(truncatingIfNeeded: n), UInt8(truncatingIfNeeded: n >> 8), UInt8(truncatingIfNeeded: n >> 16),
                    UInt8(truncatingIfNeeded: n >> 24)]
            out += item
        }
        return out
    }
}
