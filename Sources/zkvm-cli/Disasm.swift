import ArgumentParser
import Foundation
import ZKVM

struct Disasm: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Disassemble a guest ELF's executable segments (llvm-objdump's no-aliases syntax), with its function names.")

    @Argument(help: "Path to the guest ELF.") var elf: String
    @OptionGroup var vm: VMOption
    @Option(help: "Only this function (a name from the ELF's symbol table).") var function: String?

    func run() throws {
        let program: Program
        do { program = try loadProgram(elf, vm: vm.vm) } catch let error as CLIFailure { Self.fail(error) }
        var ranges = program.segments.filter(\.executable).map { $0.address..<($0.address + $0.memorySize) }
        if let function {
            guard let index = program.symbols.firstIndex(where: { $0.name == function }) else {
                Self.fail(CLIFailure(program.symbols.isEmpty ? "\(elf) has no symbols (stripped?)"
                                                             : "no function named \(function) in \(elf)"))
            }
            let symbol = program.symbols[index]
            let end = symbol.size > 0 ? symbol.address + symbol.size
                : index + 1 < program.symbols.count ? program.symbols[index + 1].address : symbol.address + 4
            ranges = [symbol.address..<end]
        }
        let names = Dictionary(program.symbols.map { ($0.address, $0.name) }, uniquingKeysWith: { first, _ in first })
        var out = ""
        for range in ranges {
            var pc = range.lowerBound & ~3
            while pc + 4 <= range.upperBound, let word = program.word(at: pc) {
                if let name = names[pc] { out += "\n\(String(format: "%08llx", pc)) <\(name)>:\n" }
                out += String(format: "%10llx: %08x  ", pc, word) + Disassembler.text(of: word, at: pc, isa: program.isa) + "\n"
                pc += 4
            }
        }
        FileHandle.standardOutput.write(Data(out.utf8))
    }
}
