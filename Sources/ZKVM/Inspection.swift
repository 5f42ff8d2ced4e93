import CZKVM

/// A function of a program's ELF symbol table.
public struct FunctionSymbol: Sendable, Equatable {
    public let name: String
    public let address: UInt64
    /// 0 for a label without a size (such as `_start`): it extends to the next symbol.
    public let size: UInt64

    public init(name: String, address: UInt64, size: UInt64) {
        self.name = name
        self.address = address
        self.size = size
    }

    /// The functions of `elf`'s symbol table, sorted by address, one per address.
    static func read(elf: [UInt8]) -> [FunctionSymbol] {
        var table = zkvm_symbol_table()
        let status = elf.withUnsafeBufferPointer { zkvm_symbols_read($0.baseAddress, $0.count, &table) }
        defer { zkvm_symbols_free(&table) }
        guard status == 0, let symbols = table.symbols else { return [] }
        return (0..<table.count).map { i in
            FunctionSymbol(name: String(cString: symbols[i].name), address: symbols[i].address, size: symbols[i].size)
        }
    }
}

/// RV32IM / RV64IM instructions as text, in llvm-objdump's `-M no-aliases` form ("addi a0, a1,
/// -0x10", "lw a0, 0x8(sp)", branch and jump targets as absolute addresses); FENCE, ECALL,
/// EBREAK, MRET, WFI and CSR instructions too; "<unknown>" for anything else.
public enum Disassembler {
    public static func text(of word: UInt32, at pc: UInt64, isa: ISA) -> String {
        var buffer = [CChar](repeating: 0, count: 96)
        let length = zkvm_disassemble(word, pc, isa == .rv64im ? 64 : 32, &buffer, buffer.count)
        return String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self).replacingTabs()
    }
}

extension Program {
    /// The function holding `address`, as "name" or "name+0x1c"; nil when no symbol covers it
    /// (a stripped ELF, or past the end of a sized function).
    public func symbolize(_ address: UInt64) -> String? {
        // The last symbol at or below the address.
        var low = 0, high = symbols.count
        while low < high {
            let mid = (low + high) / 2
            if symbols[mid].address <= address { low = mid + 1 } else { high = mid }
        }
        guard low > 0 else { return nil }
        let symbol = symbols[low - 1]
        let offset = address - symbol.address
        if symbol.size > 0 && offset >= symbol.size { return nil }
        return offset == 0 ? symbol.name : "\(symbol.name)+0x\(String(offset, radix: 16))"
    }

    /// The instruction word at `address` of the program's memory image, or nil outside its segments.
    public func word(at address: UInt64) -> UInt32? {
        var word: UInt32 = 0
        return zkvm_program_word(handle, address, &word) == 0 ? word : nil
    }

    /// Where a run stopped, for people: "main+0x34: lw a0, 0x8(a1)" (the function when the ELF has
    /// symbols, else the address; the instruction when `pc` holds one), nil if `pc` is outside the
    /// program.
    public func location(of pc: UInt64) -> String? {
        guard let word = word(at: pc) else { return nil }
        let place = symbolize(pc) ?? "0x\(String(pc, radix: 16))"
        return "\(place): \(Disassembler.text(of: word, at: pc, isa: isa))"
    }
}

extension String {
    /// The disassembler separates the mnemonic with a tab; a space reads better in one line.
    func replacingTabs() -> String { String(map { $0 == "\t" ? " " : $0 }) }
}
