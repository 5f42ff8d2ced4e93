import ArgumentParser
import Foundation
import ZKVM

@main
struct ZKVMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zkvm",
        abstract: "Run, identify and inspect guest programs: SP1 RV32IM (v3-v5) and RV64IM (v6), RISC Zero 1.x RV32IM.",
        subcommands: [Run.self, ID.self, Inspect.self, Disasm.self, ProfileCommand.self, DebugCommand.self]
    )
}

extension GuestVM: ExpressibleByArgument {}
extension Engine: ExpressibleByArgument {}

/// `--vm`: which guest ABI an ELF is for (the ELF cannot tell).
struct VMOption: ParsableArguments {
    @Option(help: "The guest VM: sp1 (SP1 v3/v4) or risc0 (RISC Zero 1.x, as its 1.0.5 executor runs it).")
    var vm: GuestVM = .sp1
}

/// Loads an ELF from disk, turning failures into a clean message and exit status.
func loadProgram(_ path: String, vm: GuestVM) throws -> Program {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw ValidationError("cannot read \(path)")
    }
    do {
        return try Program(elf: [UInt8](data), vm: vm)
    } catch {
        throw CLIFailure("\(path): invalid program: \(error.message)")
    }
}

/// A failure already described for the user: printed to stderr, exit status 1.
struct CLIFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension ParsableCommand {
    static func fail(_ error: CLIFailure) -> Never {
        FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
        Foundation.exit(1)
    }
}

func parseHex(_ text: String) -> [UInt8]? {
    var s = Substring(text)
    if s.hasPrefix("0x") || s.hasPrefix("0X") { s = s.dropFirst(2) }
    guard s.count % 2 == 0 else { return nil }
    var out = [UInt8]()
    out.reserveCapacity(s.count / 2)
    var index = s.startIndex
    while index < s.endIndex {
        let next = s.index(index, offsetBy: 2)
        guard let byte = UInt8(s[index..<next], radix: 16) else { return nil }
        out.append(byte)
        index = next
    }
    return out
}

func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
