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

    /// A failed run of `program`: its kind and message, and where it failed when the ELF has symbols.
    init(_ error: ExecutionError, program: Program) {
        let location = program.location(of: error.pc).map { "\n  at \($0)" } ?? ""
        self.init("execution failed (\(error.kind.rawValue)): \(error.description)\(location)")
    }
}

extension ParsableCommand {
    static func fail(_ error: CLIFailure) -> Never {
        FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
        Foundation.exit(1)
    }
}

/// Hex text with an optional 0x prefix (--stdin-hex, --random-seed).
func parseHex(_ text: String) -> [UInt8]? {
    var digits = Array(text.utf8)[...]
    if digits.starts(with: "0x".utf8) || digits.starts(with: "0X".utf8) { digits = digits.dropFirst(2) }
    return decodeHex(digits)
}

/// Bytes from pairs of hex digits (strict: an odd count or a non-hex digit is nil).
func decodeHex(_ digits: ArraySlice<UInt8>) -> [UInt8]? {
    guard digits.count % 2 == 0 else { return nil }
    var out: [UInt8] = []
    out.reserveCapacity(digits.count / 2)
    var i = digits.startIndex
    while i < digits.endIndex {
        guard let high = hexValue(digits[i]), let low = hexValue(digits[i + 1]) else { return nil }
        out.append(high << 4 | low)
        i += 2
    }
    return out
}

/// The value of one hex digit.
func hexValue(_ c: UInt8) -> UInt8? {
    switch c {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
    default: nil
    }
}

func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
