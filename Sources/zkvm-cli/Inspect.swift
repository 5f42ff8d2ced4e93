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
        abstract: "Show a guest ELF's ISA (from its ELF class), guest ABI (SP1: the detected generation), segments, entry point and size.")

    @Argument(help: "Path to the guest ELF.") var elf: String
    @OptionGroup var vm: VMOption
    @Flag(help: "Also translate the program for the JIT and report the translation (time, code size).") var jit = false
    @Flag(help: "Print as JSON.") var json = false

    func run() throws {
        let program: Program
        do { program = try loadProgram(elf, vm: vm.vm) } catch let error as CLIFailure { Self.fail(error) }
        let translation = jit ? program.prepareJIT() : nil
        let jitLine = translation.map { info in
            info.state == .ready
                ? String(format: "translated in %.3f ms: %d bytes of x86-64 code, %d guest registers in host registers",
                         seconds(info.translationTime) * 1e3, info.codeBytes, info.pinnedRegisters)
                : "unavailable: \(info.reason ?? "unknown")"
        }
        func h(_ v: UInt64) -> String { "0x" + String(format: "%08llx", v) }
        func flags(_ s: Segment) -> String {
            (s.readable ? "R" : "-") + (s.writable ? "W" : "-") + (s.executable ? "X" : "-") + (s.untrusted ? "U" : "")
        }
        let untrusted = program.untrustedMode.map { mode in
            "heap \(h(mode.heapStart))..\(h(mode.heapEnd)), trap context " + (mode.trapContext.map(h) ?? "none")
        }
        if json {
            var object: [String: Any] = [
                "programId": program.id.hex, "vm": program.vm.rawValue, "entry": h(program.entry), "elfBytes": program.elfSize,
                "isa": program.isa.rawValue, "abi": "\(program.abi)", "textBase": h(program.textBase),
                "instructions": program.instructionCount,
                "segments": program.segments.map {
                    ["address": h($0.address), "memorySize": $0.memorySize, "fileSize": $0.fileSize, "flags": flags($0)]
                },
            ]
            if let untrusted { object["untrustedMode"] = untrusted }
            if let translation {
                object["jit"] = ["state": translation.state.rawValue, "translationSeconds": seconds(translation.translationTime),
                                 "codeBytes": translation.codeBytes, "pinnedRegisters": translation.pinnedRegisters,
                                 "reason": translation.reason ?? NSNull()] as [String: Any]
            }
            printJSON(object)
            return
        }
        print("program id:   \(program.id.hex)\(program.vm == .risc0 ? " (RISC Zero v1 image ID)" : "")")
        print("VM:           \(program.vm)")
        print("ISA:          \(program.isa) (ELF\(program.isa == .rv64im ? 64 : 32))")
        print("ABI:          \(program.abi)")
        if let untrusted { print("untrusted:    \(untrusted)") }
        print("entry:        \(h(program.entry))")
        print("ELF size:     \(program.elfSize) bytes")
        print("text:         \(program.instructionCount) instructions from \(h(program.textBase))")
        if let jitLine { print("JIT:          \(jitLine)") }
        print("segments:")
        print("  address     mem size    file size   flags")
        for s in program.segments {
            print("  \(h(s.address))  \(String(s.memorySize).padding(toLength: 10, withPad: " ", startingAt: 0))  \(String(s.fileSize).padding(toLength: 10, withPad: " ", startingAt: 0))  \(flags(s))")
        }
    }
}
