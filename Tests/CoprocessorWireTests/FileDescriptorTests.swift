import CoprocessorWire
import Foundation
import TestSupport
import Testing

/// The FileDescriptorProtos server reflection hands out, against what protoc makes of the `.proto`
/// text rendered from the same description; and the text of the standard files.
@Suite("File descriptors")
struct FileDescriptorTests {
    static let files = [CoprocessorNodeService.protoFile, HealthService.protoFile]
        + ReflectionService.packages.map(ReflectionService.protoFile)

    @Test("each served FileDescriptorProto equals protoc's for the rendered .proto (the node's, health, reflection v1 and v1alpha)",
          .enabled(if: Peers.grpc.isRequired, Comment(rawValue: Peers.grpc.detail)))
    func equalsProtoc() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("descriptors-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        for file in Self.files {
            let url = folder.appendingPathComponent(file.path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try ProtoFile.render(file).write(to: url, atomically: true, encoding: .utf8)
            try Data(FileDescriptorEncoder.encode(file)).write(to: url.appendingPathExtension("pb"))
        }
        let result = try await Peers.runDiscoveryClient(["descriptors", "--dir", folder.path], peer: Peers.grpc)
        #expect(result.object?.count == Self.files.count)
        for file in Self.files {
            #expect(result[file.path] == "equal", "\(file.path): \(result[file.path]?.description ?? "missing")")
        }
    }

    @Test("the node's file: name, package, services and the proto3 optional failure_reason, byte for byte where it matters")
    func nodeDescriptorBytes() {
        let bytes = FileDescriptorEncoder.encode(CoprocessorNodeService.protoFile)
        let name = Array("coprocessor_node/v1/coprocessor_node.proto".utf8)
        #expect(Array(bytes.prefix(2 + name.count)) == [0x0A, UInt8(name.count)] + name)
        let package = Array("coprocessor_node.v1".utf8)
        #expect(Array(bytes[(2 + name.count)...].prefix(2 + package.count)) == [0x12, UInt8(package.count)] + package)
        #expect(Array(bytes.suffix(8)) == [0x62, 0x06] + Array("proto3".utf8))
        // failure_reason: label optional (1), type string (9), oneof_index 0 (its synthetic oneof), proto3_optional.
        let field: [UInt8] = [0x0A, 0x0E] + Array("failure_reason".utf8) + [0x18, 0x02, 0x20, 0x01, 0x28, 0x09, 0x48, 0x00,
                                                                            0x52, 0x0D] + Array("failureReason".utf8) + [0x88, 0x01, 0x01]
        #expect(bytes.firstRange(of: field) != nil)
        #expect(bytes.firstRange(of: [0x42, 0x11, 0x0A, 0x0F] + Array("_failure_reason".utf8)) != nil)
    }

    @Test("health and reflection .proto text: nested enum, oneofs, streaming")
    func standardText() {
        let health = ProtoFile.render(HealthService.protoFile)
        #expect(health.contains("package grpc.health.v1;"))
        #expect(health.contains("  rpc Watch(HealthCheckRequest) returns (stream HealthCheckResponse);"))
        #expect(health.contains("message HealthCheckResponse {\n  // Whether a service can take requests.\n  enum ServingStatus {\n    UNKNOWN = 0;"))
        #expect(health.contains("  ServingStatus status = 1;"))
        let reflection = ProtoFile.render(ReflectionService.protoFile(package: "grpc.reflection.v1alpha"))
        #expect(reflection.contains("package grpc.reflection.v1alpha;"))
        #expect(reflection.contains("rpc ServerReflectionInfo(stream ServerReflectionRequest) returns (stream ServerReflectionResponse);"))
        #expect(reflection.contains("  oneof message_request {\n    // A file by its name"))
        #expect(reflection.contains("    string list_services = 7;\n  }"))
        #expect(reflection.contains("  repeated ServiceResponse service = 1;"))
        #expect(reflection.contains("  repeated bytes file_descriptor_proto = 1;"))
        #expect(reflection.contains("  repeated int32 extension_number = 2;"))
        #expect(ReflectionService.protoFile(package: "grpc.reflection.v1").path == "grpc/reflection/v1/reflection.proto")
    }

    @Test("symbols: services, methods, messages, fields, oneofs, enums and values are found in their file")
    func symbols() {
        let node = CoprocessorNodeService.protoFile.symbols
        for symbol in ["coprocessor_node.v1.CoprocessorNode", "coprocessor_node.v1.CoprocessorNode.GetResult",
                       "coprocessor_node.v1.JobResult", "coprocessor_node.v1.JobResult.relay_tx_hash",
                       "coprocessor_node.v1.VmType", "coprocessor_node.v1.Sp1", "coprocessor_node.v1.JOB_STATUS_TYPE_DONE"] {
            #expect(node.contains(symbol), "\(symbol)")
        }
        #expect(!node.contains("coprocessor_node.v1.HealthCheckRequest"))
        let health = HealthService.protoFile.symbols
        #expect(health.contains("grpc.health.v1.HealthCheckResponse.ServingStatus"))
        #expect(health.contains("grpc.health.v1.HealthCheckResponse.SERVING"))
        #expect(ReflectionService.protoFile(package: "grpc.reflection.v1").symbols.contains("grpc.reflection.v1.ServerReflectionRequest.message_request"))
    }

    @Test("the new field kinds in JSON: strings, int32, repeated bytes and messages, oneof members with presence")
    func json() throws {
        var response = ServerReflectionResponse()
        response.validHost = "h\"1"
        response.listServicesResponse = ListServiceResponse(service: [ServiceResponse(name: "a.B")])
        response.errorResponse = ReflectionErrorResponse(errorCode: -3, errorMessage: "")
        response.fileDescriptorResponse = FileDescriptorResponse(fileDescriptorProto: [[0xAB], []])
        let text = String(decoding: JSONWriter.encode(response), as: UTF8.self)
        #expect(text == #"{"validHost":"h\"1","originalRequest":null,"fileDescriptorResponse":{"fileDescriptorProto":["ab",""]},"allExtensionNumbersResponse":null,"listServicesResponse":{"service":[{"name":"a.B"}]},"errorResponse":{"errorCode":-3,"errorMessage":""}}"#)
        #expect(try JSONReader.decode(ServerReflectionResponse.self, from: Array(text.utf8)) == response)
        let numbers = try JSONReader.decode(ExtensionNumberResponse.self,
                                            from: Array(#"{"base_type_name":"x","extensionNumber":[1,"-2",2147483647]}"#.utf8))
        #expect(numbers == ExtensionNumberResponse(baseTypeName: "x", extensionNumber: [1, -2, 2_147_483_647]))
        #expect(throws: WireDecodingError.self) {
            try JSONReader.decode(ExtensionNumberResponse.self, from: Array(#"{"extensionNumber":[2147483648]}"#.utf8))
        }
        let request = try JSONReader.decode(ServerReflectionRequest.self, from: Array(#"{"listServices":""}"#.utf8))
        #expect(request.listServices == "")
        #expect(request.fileByFilename == nil)
    }
}
