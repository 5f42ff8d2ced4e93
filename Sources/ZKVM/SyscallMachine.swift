import CZKVM

/// A failed syscall on a `SyscallMachine`.
public struct SyscallError: Error, Sendable, CustomStringConvertible {
    public let kind: ExecutionError.Kind
    public let message: String
    public var description: String { message }
}

/// A bare machine with no program: write guest memory, invoke one syscall as an ECALL would, read
/// the result back. For precompile tests and throughput benchmarks.
public final class SyscallMachine {
    private let arena: Arena
    private let machine: OpaquePointer

    public init() throws(SyscallError) {
        guard let arena = Arena(), let machine = zkvm_machine_create(arena.handle) else {
            throw SyscallError(kind: .host, message: "could not reserve guest memory")
        }
        self.arena = arena
        self.machine = machine
    }

    deinit {
        zkvm_machine_free(machine)
        arena.free()
    }

    public func write(_ bytes: [UInt8], at address: UInt32) throws(SyscallError) {
        guard zkvm_machine_write(machine, address, bytes, bytes.count) == 0 else {
            throw SyscallError(kind: .memoryAccess, message: "[0x\(String(address, radix: 16)), +\(bytes.count)) is outside guest memory")
        }
    }

    public func read(count: Int, at address: UInt32) throws(SyscallError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        guard zkvm_machine_read(machine, address, &out, count) == 0 else {
            throw SyscallError(kind: .memoryAccess, message: "[0x\(String(address, radix: 16)), +\(count)) is outside guest memory")
        }
        return out
    }

    public func setRegister(_ index: Int, _ value: UInt32) { zkvm_machine_set_reg(machine, UInt32(index), value) }
    public func register(_ index: Int) -> UInt32 { zkvm_machine_get_reg(machine, UInt32(index)) }

    public func pushInput(_ bytes: [UInt8]) { _ = zkvm_machine_push_input(machine, bytes, bytes.count) }

    /// The input stream, front (next to be read) first.
    public var inputItems: [[UInt8]] {
        (0..<zkvm_machine_input_count(machine)).map { i in
            let n = zkvm_machine_input_item(machine, i, nil, 0)
            var out = [UInt8](repeating: 0, count: n)
            _ = zkvm_machine_input_item(machine, i, &out, n)
            return out
        }
    }

    /// Runs syscall `code` with a0..a3; its result register is t0 (`register(5)`).
    public func syscall(_ code: UInt32, a0: UInt32 = 0, a1: UInt32 = 0, a2: UInt32 = 0, a3: UInt32 = 0)
        throws(SyscallError)
    {
        var message = [CChar](repeating: 0, count: 512)
        let status = zkvm_machine_syscall(machine, code, a0, a1, a2, a3, &message, message.count)
        guard status == ZKVM_OK else {
            throw SyscallError(kind: ExecutionError.kind(of: status),
                               message: String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) },
                                               as: UTF8.self))
        }
    }

    /// SP1 name of a syscall code, if it has one.
    public static func name(of code: UInt32) -> String? { zkvm_syscall_name(code).map { String(cString: $0) } }
}
