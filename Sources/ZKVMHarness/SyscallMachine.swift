import CZKVM
import ZKVM

/// A failed syscall on a `SyscallMachine`.
public struct SyscallError: Error, Sendable, CustomStringConvertible {
    public let kind: ExecutionError.Kind
    public let message: String
    public var description: String { message }
}

/// A bare machine with no program: write guest memory, invoke one syscall as an ECALL would, read
/// the result back. A harness for the engine's tests and precompile benchmarks, in its own product
/// (`ZKVMHarness`), not in `ZKVM`'s API. It runs under SP1 v4's ABI (RV32) unless given another:
/// `.sp1v6` has 64-bit registers, 8-byte words and v6's table; `.risc0v1` RISC Zero's window and
/// ecalls.
public final class SyscallMachine {
    private let arena: OpaquePointer
    private let machine: OpaquePointer

    public init(abi: GuestABI = .sp1v4) throws(SyscallError) {
        let id: zkvm_abi = switch abi {
        case .sp1v3: ZKVM_ABI_V3
        case .sp1v6: ZKVM_ABI_V6
        case .sp1v4, .unknown: ZKVM_ABI_V4
        case .risc0v1: ZKVM_ABI_RISC0_V1
        }
        guard let arena = zkvm_arena_create() else { throw SyscallError(kind: .host, message: "could not reserve guest memory") }
        guard let machine = zkvm_machine_create_abi(arena, id) else {
            zkvm_arena_free(arena)
            throw SyscallError(kind: .host, message: "could not reserve guest memory")
        }
        self.arena = arena
        self.machine = machine
    }

    deinit {
        zkvm_machine_free(machine)
        zkvm_arena_free(arena)
    }

    public func write(_ bytes: [UInt8], at address: UInt64) throws(SyscallError) {
        guard zkvm_machine_write(machine, address, bytes, bytes.count) == 0 else {
            throw SyscallError(kind: .memoryAccess, message: "[0x\(String(address, radix: 16)), +\(bytes.count)) is outside guest memory")
        }
    }

    public func read(count: Int, at address: UInt64) throws(SyscallError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        guard zkvm_machine_read(machine, address, &out, count) == 0 else {
            throw SyscallError(kind: .memoryAccess, message: "[0x\(String(address, radix: 16)), +\(count)) is outside guest memory")
        }
        return out
    }

    /// Registers at the machine's width (RV32: truncated to 32 bits).
    public func setRegister(_ index: Int, _ value: UInt64) { zkvm_machine_set_reg(machine, UInt32(index), value) }
    public func register(_ index: Int) -> UInt64 { zkvm_machine_get_reg(machine, UInt32(index)) }

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

    /// Runs syscall `code` with a0..a4; its result register is t0 (`register(5)`).
    public func syscall(_ code: UInt32, a0: UInt64 = 0, a1: UInt64 = 0, a2: UInt64 = 0, a3: UInt64 = 0, a4: UInt64 = 0)
        throws(SyscallError)
    {
        var message = [CChar](repeating: 0, count: 512)
        let status = zkvm_machine_syscall(machine, code, a0, a1, a2, a3, a4, &message, message.count)
        guard status == ZKVM_OK else {
            throw SyscallError(kind: ExecutionError.kind(of: status),
                               message: String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) },
                                               as: UTF8.self))
        }
    }

    /// SP1 name of a syscall code, if it has one.
    public static func name(of code: UInt32) -> String? { zkvm_syscall_name(code).map { String(cString: $0) } }
}
