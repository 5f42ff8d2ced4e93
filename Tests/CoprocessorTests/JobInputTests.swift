@testable import Coprocessor
import Testing
import ZKVM

@Suite("A job's inputs as each VM's guests read them")
struct JobInputTests {
    @Test("three items for SP1 (empty ones kept); one LE32(len)-framed stream for RISC Zero")
    func jobInput() {
        let on: [UInt8] = [1, 2], off: [UInt8] = [], st: [UInt8] = [3]
        #expect(GuestVM.sp1.jobInput(onchain: on, offchain: off, state: st) == [on, off, st])
        #expect(GuestVM.risc0.jobInput(onchain: on, offchain: off, state: st)
            == [[2, 0, 0, 0, 1, 2, 0, 0, 0, 0, 1, 0, 0, 0, 3]])
    }
}
