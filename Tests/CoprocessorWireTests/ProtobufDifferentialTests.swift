import CoprocessorWire
import Foundation
import TestSupport
import Testing

/// Our protobuf codec against Google's (the Python runtime, with modules generated at test time
/// from the committed .proto by grpc_tools.protoc): random messages of every type, encoded on one
/// side and decoded on the other, compared field by field; and each side's re-encoding of what it
/// decoded must be the other's bytes exactly. The Python side is protobuf_peer.py.
@Suite("Differential against Python's protobuf", .enabled(if: Peers.grpc.isRequired, Comment(rawValue: Peers.grpc.detail)))
struct ProtobufDifferentialTests {
    /// Runs protobuf_peer.py with `arguments` (OUT.json is added last) and returns what it wrote.
    func runPeer(_ arguments: [String]) async throws -> [TestJSON] {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("peer-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: output) }
        let script = Repo.path("Tests/CoprocessorWireTests/protobuf_peer.py").path
        let run = try await Subprocess.run(try Peers.grpc.require(), [script] + arguments + [output.path])
        guard run.status == 0 else { throw TestFailure("protobuf_peer.py failed (\(run.status)): \(run.stderr)") }
        guard case .array(let cases) = try TestJSON(parsing: try Data(contentsOf: output)) else {
            throw TestFailure("protobuf_peer.py did not write a JSON array")
        }
        return cases
    }

    /// Our JSON of a `message`, with each field the schema writes as an integer array turned into
    /// hex, as the Python side spells every bytes field (the .proto does not carry the JSON shape).
    /// Nested messages are left as they are: none of them has an integer-array field (checked).
    func hexForIntegerArrays(_ json: TestJSON, message: String) throws -> TestJSON {
        guard var object = json.object else { return json }
        let descriptor = try #require(CoprocessorNodeService.messages.first { $0.name == message })
        for field in descriptor.fields {
            if case .message(let nested) = field.type {
                #expect(!nested.fields.contains { $0.type == .bytes(.integerArray) }, "\(nested.name): convert nested fields too")
            }
            guard field.type == .bytes(.integerArray), case .array(let values)? = object[field.jsonName] else { continue }
            object[field.jsonName] = .string(hexString(try values.map { value in
                guard case .int(let byte) = value, let b = UInt8(exactly: byte) else {
                    throw TestFailure("\(message).\(field.jsonName): \(value) is not a byte")
                }
                return b
            }))
        }
        return .object(object)
    }

    /// Records an issue for each field whose values differ (at most `limit` issues in all).
    func compareFields(swift: TestJSON, python: TestJSON?, _ context: String, issues: inout Int, limit: Int = 25) {
        guard let ours = swift.object, let theirs = python?.object else {
            issues += 1
            if issues <= limit { Issue.record("\(context): not JSON objects: \(swift) vs \(String(describing: python))") }
            return
        }
        for key in Set(ours.keys).union(theirs.keys).sorted() where ours[key] != theirs[key] {
            issues += 1
            if issues <= limit {
                let swiftValue = ours[key].map(\.description) ?? "absent"
                let pythonValue = theirs[key].map(\.description) ?? "absent"
                Issue.record("\(context): field \(key): Swift \(swiftValue), Python \(pythonValue)")
            }
        }
    }

    @Test("Swift encodes, Python decodes: the same fields; Python re-encodes the same bytes")
    func swiftToPython() async throws {
        let seed: UInt64 = 0xD1FF_0001
        let messages = Messages.random(count: 50, seed: seed)
        let cases: [[String: String]] = messages.map { ["message": $0.name, "protobuf": hexString($0.protobuf)] }
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("cases-\(UUID().uuidString).json")
        try JSONSerialization.data(withJSONObject: cases).write(to: input)
        defer { try? FileManager.default.removeItem(at: input) }

        let decoded = try await runPeer(["check", input.path])
        try #require(decoded.count == messages.count)
        var issues = 0
        for (index, (message, python)) in zip(messages, decoded).enumerated() {
            let context = "seed \(seed) case \(index) \(message.name)"
            compareFields(swift: try hexForIntegerArrays(try TestJSON(parsing: message.json), message: message.name),
                          python: python["json"], context, issues: &issues)
            if python["protobuf"]?.string != hexString(message.protobuf) {
                issues += 1
                Issue.record("\(context): Python re-encodes \(python["protobuf"]?.string ?? "-"), Swift wrote \(hexString(message.protobuf))")
            }
        }
        #expect(issues == 0, "\(issues) differences in \(messages.count) messages")
    }

    @Test("Python encodes, Swift decodes: the same fields; Swift re-encodes the same bytes")
    func pythonToSwift() async throws {
        let perType = 50
        let encoded = try await runPeer(["random", "20260101", "\(perType)"])
        #expect(encoded.count == perType * Messages.types.count, "Python generated every message type")
        var issues = 0
        for (index, python) in encoded.enumerated() {
            let name = try #require(python["message"]?.string)
            let type = try #require(Messages.type(named: name), "Python has a message Swift does not: \(name)")
            let bytes = hexBytes(try #require(python["protobuf"]?.string))
            func recode<M: WireMessage>(_: M.Type) throws -> (protobuf: [UInt8], json: [UInt8]) {
                let message = try ProtobufReader.decode(M.self, from: bytes)
                return (ProtobufWriter.encode(message), JSONWriter.encode(message))
            }
            let context = "Python case \(index) \(name) \(hexString(bytes).prefix(80))"
            let ours = try recode(type)
            compareFields(swift: try hexForIntegerArrays(try TestJSON(parsing: ours.json), message: name),
                          python: python["json"], context, issues: &issues)
            if ours.protobuf != bytes {
                issues += 1
                Issue.record("\(context): Swift re-encodes \(hexString(ours.protobuf))")
            }
        }
        #expect(issues == 0, "\(issues) differences in \(encoded.count) messages")
    }
}
