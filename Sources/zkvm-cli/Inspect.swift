import ArgumentParser
import Foundation
import ZKVM

struct ID: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "id", abstract: "Print a guest ELF's program ID (RISC Zero: its v1 image ID).")

    @Argument(help: "Path to the guest ELF.") var elf: String
    @OptionGroup var vm: VMOption

    func run() throws {
        do { print(try loadProgram(elf, vm: vm.vm).id.hex) } catch let error as CLIFailure { Self.fail(error) }
    }
}

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show a guest ELF's segments, entry point, size and guest ABI (SP1: the detected generation).")

    @Argument(help: "Path to the guest ELF.") var elf: String
    @OptionGroup var vm: VMOption
    @Flag(help: "Print as JSON.") var json = false

    func run() throws {
        let program: Program
        do { program = try loadProgram(elf, vm: vm.vm) } catch let error as CLIFailure { Self.fail(error) }
        func h(_ v: UInt32) -> String { "0x" + String(format: "%08x", v) }
        func flags(_ s: Segment) -> String { (s.readable ? "R" : "-") + (s.writable ? "W" : "-") + (s.executable ? "X" : "-") }
        if json {
            printJSON([
                "programId": program.id.hex, "vm": program.vm.rawValue, "entry": h(program.entry), "elfBytes": program.elfSize,
                "abi": "\(program.abi)", "textBase": h(program.textBase), "instructions": program.instructionCount,
                "segments": program.segments.map {
                    ["address": h($0.address), "memorySize": $0.memorySize, "fileSize": $0.fileSize, "flags": flags($0)]
                },
            ])
            return
        }
        print("program id:   \(program.id.hex)\(program.vm == .risc0 ? " (RISC Zero v1 image ID)" : "")")
        print("VM:           \(program.vm)")
        print("entry:        \(h(program.entry))")
        print("ELF size:     \(program.elfSize) bytes")
        print("ABI:          \(program.abi)")
        print("text:         \(program.instructionCount) instructions from \(h(program.textBase))")
        print("segments:")
        print("  address     mem size    file size   flags")
        for s in program.segments {
            print("  \(h(s.address))  \(String(s.memorySize).padding(toLength: 10, withPad: " ", startingAt: 0))  \(String(s.fileSize).padding(toLength: 10, withPad: " ", startingAt: 0))  \(flags(s))")
        }
    }
}
