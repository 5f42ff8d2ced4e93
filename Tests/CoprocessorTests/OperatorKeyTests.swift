import Coprocessor
import Ethereum
import TestSupport
import Testing

/// The operator key from the environment: InfinityVM's seed variable name and its later one.
@Suite("Operator key source")
struct OperatorKeyTests {
    static let keyHex = "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba"
    static let otherHex = "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6"

    func address(_ environment: [String: String]) throws -> Address? {
        try OperatorKeySource.fromEnvironment(environment)?.address
    }

    @Test("either name works; neither (or empty values) is no key")
    func eitherName() throws {
        let expected = try PrivateKey(hex: Self.keyHex).address
        #expect(try address(["ZKVM_OPERATOR_PRIV_KEY": Self.keyHex]) == expected)
        #expect(try address(["ZKVM_OPERATOR_PRIVATE_KEY": Self.keyHex]) == expected)
        #expect(try address(["ZKVM_OPERATOR_PRIV_KEY": "", "ZKVM_OPERATOR_PRIVATE_KEY": Self.keyHex]) == expected)
        #expect(try address([:]) == nil)
        #expect(try address(["ZKVM_OPERATOR_PRIV_KEY": "", "ZKVM_OPERATOR_PRIVATE_KEY": ""]) == nil)
        #expect(OperatorKeySource.environmentVariables == ["ZKVM_OPERATOR_PRIV_KEY", "ZKVM_OPERATOR_PRIVATE_KEY"])
    }

    @Test("both set: the same key (however spelled) is fine, different keys are refused")
    func both() throws {
        let expected = try PrivateKey(hex: Self.keyHex).address
        let unprefixed = String(Self.keyHex.dropFirst(2)).uppercased()
        #expect(try address(["ZKVM_OPERATOR_PRIV_KEY": Self.keyHex, "ZKVM_OPERATOR_PRIVATE_KEY": " \(unprefixed)\n"])
            == expected)
        let error = #expect(throws: ConfigurationError.self) {
            try OperatorKeySource.fromEnvironment(["ZKVM_OPERATOR_PRIV_KEY": Self.keyHex,
                                                   "ZKVM_OPERATOR_PRIVATE_KEY": Self.otherHex])
        }
        #expect(error?.description == "ZKVM_OPERATOR_PRIV_KEY and ZKVM_OPERATOR_PRIVATE_KEY hold different keys; set one of them")
    }

    @Test("an invalid value names its variable and does not echo the secret")
    func invalid() throws {
        let error = #expect(throws: ConfigurationError.self) {
            try OperatorKeySource.fromEnvironment(["ZKVM_OPERATOR_PRIVATE_KEY": "0x1234"])
        }
        #expect(error?.description == "ZKVM_OPERATOR_PRIVATE_KEY: invalid private key: invalid private key: expected 32 bytes, got 2")
    }
}
