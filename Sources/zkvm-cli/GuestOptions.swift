import ArgumentParser
import Foundation
import ZKVM

/// The guest and its input, as `run`, `profile` and `debug` take them.
struct GuestOptions: ParsableArguments {
    @Argument(help: "Path to the guest ELF.") var elf: String
    @Option(name: .customLong("stdin-hex"), help: "A stdin item as hex (0x optional; '' for an empty item).")
    var stdinHex: [String] = []
    @Option(name: .customLong("stdin-file"), help: "A stdin item read from a file.") var stdinFile: [String] = []
    @Option(name: .customLong("max-cycles"), help: "Fail if the program needs more cycles than this.")
    var maxCycles: UInt64 = 100_000_000_000
    @OptionGroup var vm: VMOption
    @Flag(help: "RISC Zero: frame each stdin item as LE32(len) ‖ bytes (a job's input stream).") var framed = false

    /// The stdin items in command-line order (with --framed, one LE32(len)-framed stream).
    func stdin() throws -> [[UInt8]] {
        let items = try stdinItems(hex: stdinHex, files: stdinFile)
        return framed ? [Risc0.framedInput(items)] : items
    }
}

/// The stdin items of --stdin-hex and --stdin-file, in command-line order.
func stdinItems(hex: [String], files: [String]) throws -> [[UInt8]] {
    var hexItems = hex.makeIterator(), fileItems = files.makeIterator()
    var items: [[UInt8]] = []
    for argument in CommandLine.arguments.dropFirst() {
        let flag = argument.split(separator: "=", maxSplits: 1).first.map(String.init) ?? argument
        if flag == "--stdin-hex", let text = hexItems.next() {
            guard let bytes = parseHex(text) else { throw ValidationError("--stdin-hex \(text.debugDescription) is not hex") }
            items.append(bytes)
        } else if flag == "--stdin-file", let path = fileItems.next() {
            guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("cannot read \(path)") }
            items.append([UInt8](data))
        }
    }
    return items
}
