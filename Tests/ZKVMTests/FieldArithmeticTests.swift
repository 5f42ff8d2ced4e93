import CZKVM
import Testing

/// The precompiles' fixed-width field arithmetic (CSources/CZKVM/precompiles/field.c) against the
/// GMP implementation it replaced (field_gmp.c), through the core's differential check
/// (precompiles/field_check.c): every operation on random and edge operands, one test per field.
@Suite struct FieldArithmeticTests {
    /// The core's fields, numbered from 0 until zkvm_field_name runs out.
    static let fields: [String] = (0...).lazy.map { zkvm_field_name(UInt32($0)) }.prefix { $0 != nil }.map { String(cString: $0!) }

    @Test(arguments: fields.indices)
    func matchesGMP(_ field: Int) {
        let casesPerOperation: UInt64 = 100_000
        var result = zkvm_field_check_result()
        #expect(zkvm_field_check(UInt32(field), casesPerOperation, 0x5EED_F1E1D, &result) == 0)
        let firstMismatch = withUnsafeBytes(of: result.first_mismatch) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        #expect(result.mismatches == 0, "\(Self.fields[field]): first mismatch: \(firstMismatch)")
        #expect(result.operations == 12)  // import/export, reduce, mul, sqr, add, sub, neg, inv, sqrt, parity, fp2 mul, limbs
        #expect(result.min_cases == casesPerOperation)
        #expect(result.cases == casesPerOperation * UInt64(result.operations))
    }

    /// The parameterized test covers every precompile field (an empty list would pass vacuously).
    @Test func fieldsAreThePrecompileFields() {
        #expect(Self.fields == ["secp256k1", "secp256r1", "bn254", "bls12-381", "ed25519"])
    }
}
