import CZKVM
import Testing

/// The precompiles' fixed-width field arithmetic (CSources/CZKVM/precompiles/field.c) against the
/// GMP implementation it replaced (field_gmp.c), through the core's differential check
/// (precompiles/field_check.c): every operation of every precompile field on random and edge
/// operands.
@Suite struct FieldArithmeticTests {
    @Test func matchesGMP() {
        let casesPerOperation: UInt64 = 100_000
        var result = zkvm_field_check_result()
        zkvm_field_check(casesPerOperation, 0x5EED_F1E1D, &result)
        let firstMismatch = withUnsafeBytes(of: result.first_mismatch) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        #expect(result.mismatches == 0, "first mismatch: \(firstMismatch)")
        #expect(result.min_cases == casesPerOperation)
        #expect(result.cases == casesPerOperation * 5 * 11)  // 5 fields, 11 operations
    }
}
