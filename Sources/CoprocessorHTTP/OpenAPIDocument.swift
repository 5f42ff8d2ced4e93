import CoprocessorWire

/// The gateway's OpenAPI 3.1 document (`GET /openapi.json`, `coprocessor-node schema openapi`),
/// generated from the wire description: one POST operation per method of the service, its
/// request schema as the JSON reader accepts it (bytes as hex or integer arrays, integers as
/// numbers or decimal strings, enums as numbers or names, `null` for a default, unknown fields
/// ignored) and its response schema as the JSON writer emits it (each bytes field in its declared
/// shape, integers and enums as numbers, every field present, absent optional values `null`), the
/// error body with every HTTP status the gateway answers with, and the health probes.
public enum OpenAPIDocument {
    /// The document as JSON bytes.
    public static let json: [UInt8] = {
        var writer = JSONWriter(capacity: 32 * 1024)
        document.write(to: &writer)
        return writer.bytes
    }()

    static var document: JSONValue {
        var paths: [(String, JSONValue)] = []
        var schemas: [(String, JSONValue)] = []
        var schemaNames = Set<String>()
        func addSchema(_ name: String, _ make: () -> JSONValue) {
            guard schemaNames.insert(name).inserted else { return }
            schemas.append((name, make()))
        }
        // Every message reachable from a request, in its input shape; from a response, in its output shape.
        func addInput(_ message: WireMessageDescriptor) {
            addSchema(inputName(message)) { inputSchema(message) }
            for field in message.fields { if let nested = field.type.messageType { addInput(nested) } }
        }
        func addOutput(_ message: WireMessageDescriptor) {
            addSchema(message.name) { outputSchema(message) }
            for field in message.fields { if let nested = field.type.messageType { addOutput(nested) } }
        }
        for service in CoprocessorNodeService.protoFile.services {
            for method in service.methods {
                addInput(method.input)
                addOutput(method.output)
            }
        }
        struct Operations: WireMethodVisitor {
            var paths: [(String, JSONValue)] = []
            mutating func visit<Request, Response>(_ method: WireMethod<Request, Response>) {
                paths.append((method.httpPath, .object([("post", OpenAPIDocument.operation(method, Request.self, Response.self))])))
            }
        }
        var operations = Operations()
        CoprocessorNodeService.visitMethods(&operations)
        paths += operations.paths
        paths += probePaths
        schemas += [
            ("Error", errorSchema),
            ("Readiness", readinessSchema),
        ]
        return .object([
            ("openapi", "3.1.0"),
            ("info", .object([
                ("title", "zkVM coprocessor node: JSON/HTTP gateway"),
                ("version", .string(CoprocessorNodeService.package)),
                ("description", """
                    The gateway of the coprocessor node's \(CoprocessorNodeService.fullName) service (the same calls \
                    as gRPC, in InfinityVM's JSON shapes), generated from the wire description. Requests: field \
                    names in lowerCamelCase or snake_case; bytes as hex (any case, optional 0x) or arrays of \
                    integers 0-255; 64-bit integers as numbers or decimal strings; enums as numbers or value \
                    names; null or a missing field is the default; unknown fields are ignored; an empty body is \
                    the empty message. Responses: every field present; bytes in each field's declared shape \
                    (lowercase hex, or an integer array); integers and enums as numbers; unset optional values \
                    null. Errors: {code, grpc_code, message}, code and grpc_code both the gRPC status code.
                    """),
            ])),
            ("paths", .object(paths)),
            ("components", .object([
                ("schemas", .object(schemas)),
                ("securitySchemes", .object([
                    ("operatorToken", .object([
                        ("type", "http"), ("scheme", "bearer"),
                        ("description", "The node's operator token (--admin-token-file); operator-only methods need it when the node has one."),
                    ])),
                ])),
            ])),
        ])
    }

    // MARK: - Operations

    static func operation<Request: WireMessage, Response: WireMessage>(
        _ method: WireMethod<Request, Response>, _: Request.Type, _: Response.Type
    ) -> JSONValue {
        var responses: [(String, JSONValue)] = [
            ("200", .object([
                ("description", .string(Response.wireDoc)),
                ("content", jsonContent(ref(Response.wireName))),
            ])),
        ]
        for (status, meaning) in errorStatuses(operatorOnly: method.operatorOnly) {
            responses.append((String(status), .object([
                ("description", .string(meaning)),
                ("content", jsonContent(ref("Error"))),
            ])))
        }
        var operation: [(String, JSONValue)] = [
            ("operationId", .string(method.name)),
            ("summary", .string(method.doc)),
            ("description", .string("gRPC: \(method.grpcPath). \(Request.wireDoc)")),
            ("requestBody", .object([
                ("required", false),
                ("description", "The request as JSON (an empty body is the empty message)."),
                ("content", jsonContent(ref(inputName(WireMessageDescriptor(Request.self))))),
            ])),
            ("responses", .object(responses)),
        ]
        if method.operatorOnly {
            // Open when the node has no operator token: both alternatives.
            operation.append(("security", .array([.object([("operatorToken", .array([]))]), .object([])])))
        }
        return .object(operation)
    }

    /// The HTTP statuses of error answers, each with the gRPC codes behind it: the core's codes
    /// through the gateway's gRPC→HTTP mapping, plus the gateway's own refusals.
    static func errorStatuses(operatorOnly: Bool) -> [(Int, String)] {
        var meanings: [Int: [String]] = [:]
        for code in StatusCode.allCases where operatorOnly || code != .unauthenticated {
            meanings[code.httpStatus, default: []].append("\(code.grpcName) (\(code.rawValue)) from the node")
        }
        for refusal in GatewayError.gatewayRefusals {
            meanings[refusal.httpStatus, default: []].append(refusal.meaning)
        }
        return meanings.keys.sorted().map { ($0, meanings[$0]!.joined(separator: "; ")) }
    }

    static let probePaths: [(String, JSONValue)] = [
        ("/healthz", .object([("get", .object([
            ("operationId", "Healthz"),
            ("summary", "The process is alive: always 200 while it answers."),
            ("responses", .object([("200", .object([
                ("description", "Alive."),
                ("content", jsonContent(.object([
                    ("type", "object"),
                    ("properties", .object([("status", .object([("const", "ok")]))])),
                    ("required", .array(["status"])),
                    ("additionalProperties", false),
                ]))),
            ]))])),
        ]))])),
        ("/readyz", .object([("get", .object([
            ("operationId", "Readyz"),
            ("summary", "Ready to serve: the database takes a write and, when relaying is on, the chain answers. 503 names what failed."),
            ("responses", .object([
                ("200", .object([("description", "Every check passed."), ("content", jsonContent(ref("Readiness")))])),
                ("503", .object([("description", "A check failed (or the node is shutting down): see failed and checks."),
                                 ("content", jsonContent(ref("Readiness")))])),
            ])),
        ]))])),
        ("/openapi.json", .object([("get", .object([
            ("operationId", "OpenAPI"),
            ("summary", "This document."),
            ("responses", .object([("200", .object([
                ("description", "The OpenAPI 3.1 document of the gateway."),
                ("content", jsonContent(.object([("type", "object")]))),
            ]))])),
        ]))])),
    ]

    // MARK: - Schemas

    static func inputName(_ message: WireMessageDescriptor) -> String { message.name + "Input" }

    /// What the reader accepts for a message: each field under its JSON name or its proto name.
    static func inputSchema(_ message: WireMessageDescriptor) -> JSONValue {
        var properties: [(String, JSONValue)] = []
        for field in message.fields {
            var schema = inputSchema(field.type)
            if !field.doc.isEmpty { schema = schema.adding("description", .string(field.doc)) }
            properties.append((field.jsonName, schema))
            if field.name != field.jsonName { properties.append((field.name, schema)) }
        }
        return .object([
            ("type", "object"),
            ("description", .string("\(message.doc) (As a request: lowerCamelCase or snake_case names; unknown fields are ignored.)")),
            ("properties", .object(properties)),
            ("additionalProperties", true),
        ])
    }

    static func inputSchema(_ type: WireFieldType) -> JSONValue {
        switch type {
        case .bytes: nullable(bytesInput)
        case .uint64: nullable(unsignedInput(max: UInt64.max))
        case .uint32: nullable(unsignedInput(max: UInt64(UInt32.max)))
        case .int32: nullable(int32Input)
        case .bool: .object([("type", .array(["boolean", "null"]))])
        case .string, .optionalString: .object([("type", .array(["string", "null"]))])
        case .repeatedUInt64: nullable(.object([("type", "array"), ("items", unsignedInput(max: UInt64.max))]))
        case .repeatedInt32: nullable(.object([("type", "array"), ("items", int32Input)]))
        case .repeatedBytes: nullable(.object([("type", "array"), ("items", bytesInput)]))
        case .enumeration(let e):
            nullable(.object([
                ("anyOf", .array([
                    int32Schema,
                    .object([("type", "string"), ("enum", .array(e.values.map(JSONValue.string)))]),
                    .object([("type", "string"), ("pattern", "^-?[0-9]+$")]),
                ])),
                ("description", .string(enumDescription(e))),
            ]))
        case .message(let m): nullable(ref(inputName(m)))
        case .repeatedMessage(let m): nullable(.object([("type", "array"), ("items", ref(inputName(m)))]))
        }
    }

    /// What the writer emits for a message: every field, nothing else.
    static func outputSchema(_ message: WireMessageDescriptor) -> JSONValue {
        var properties: [(String, JSONValue)] = []
        for field in message.fields {
            var schema = outputSchema(field.type)
            if !field.doc.isEmpty { schema = schema.adding("description", .string(field.doc)) }
            properties.append((field.jsonName, schema))
        }
        return .object([
            ("type", "object"),
            ("description", .string(message.doc)),
            ("properties", .object(properties)),
            ("required", .array(message.fields.map { .string($0.jsonName) })),
            ("additionalProperties", false),
        ])
    }

    static func outputSchema(_ type: WireFieldType) -> JSONValue {
        switch type {
        case .bytes(let shape): bytesOutput(shape)
        case .uint64: unsignedOutput(max: UInt64.max)
        case .uint32: unsignedOutput(max: UInt64(UInt32.max))
        case .int32: int32Schema
        case .bool: .object([("type", "boolean")])
        case .string: .object([("type", "string")])
        case .optionalString: .object([("type", .array(["string", "null"]))])
        case .repeatedUInt64: .object([("type", "array"), ("items", unsignedOutput(max: UInt64.max))])
        case .repeatedInt32: .object([("type", "array"), ("items", int32Schema)])
        case .repeatedBytes(let shape): .object([("type", "array"), ("items", bytesOutput(shape))])
        case .enumeration(let e):
            .object([("type", "integer"), ("enum", .array(e.numbers.map { .int(Int($0)) })),
                     ("description", .string(enumDescription(e)))])
        case .message(let m): nullable(ref(m.name))
        case .repeatedMessage(let m): .object([("type", "array"), ("items", ref(m.name))])
        }
    }

    static let bytesInput: JSONValue = .object([
        ("anyOf", .array([
            .object([("type", "string"), ("pattern", "^(0[xX])?([0-9a-fA-F]{2})*$"),
                     ("description", "Hex, any case, with or without 0x.")]),
            .object([("type", "array"), ("items", byteValue), ("description", "Byte values.")]),
        ])),
    ])

    static func bytesOutput(_ shape: JSONBytes) -> JSONValue {
        switch shape {
        case .hex: .object([("type", "string"), ("pattern", "^([0-9a-f]{2})*$"), ("description", "Lowercase hex without 0x.")])
        case .integerArray: .object([("type", "array"), ("items", byteValue), ("description", "Byte values.")])
        }
    }

    static let byteValue: JSONValue = .object([("type", "integer"), ("minimum", 0), ("maximum", 255)])

    static func unsignedInput(max: UInt64) -> JSONValue {
        .object([("anyOf", .array([
            unsignedOutput(max: max),
            .object([("type", "string"), ("pattern", "^[0-9]+$"), ("description", "Decimal, at most \(max).")]),
        ]))])
    }

    static func unsignedOutput(max: UInt64) -> JSONValue {
        .object([("type", "integer"), ("minimum", 0), ("maximum", .unsigned(max))])
    }

    static let int32Schema: JSONValue = .object([("type", "integer"), ("minimum", .int(Int(Int32.min))), ("maximum", .int(Int(Int32.max)))])

    static let int32Input: JSONValue = .object([("anyOf", .array([
        int32Schema, .object([("type", "string"), ("pattern", "^-?[0-9]+$")]),
    ]))])

    static func enumDescription(_ e: WireEnumDescriptor) -> String {
        "\(e.doc) " + zip(e.numbers, e.values).map { "\($0) = \($1)" }.joined(separator: ", ") + "."
    }

    static let errorSchema: JSONValue = .object([
        ("type", "object"),
        ("description", "An error: code and grpc_code are the gRPC status code a gRPC client would get; message says why."),
        ("properties", .object([
            ("code", .object([("type", "integer")])),
            ("grpc_code", .object([("type", "integer")])),
            ("message", .object([("type", "string")])),
        ])),
        ("required", .array(["code", "grpc_code", "message"])),
        ("additionalProperties", false),
    ])

    static let readinessSchema: JSONValue = .object([
        ("type", "object"),
        ("description", "Each readiness check (database, chain when relaying is on, shutdown while stopping) and what failed."),
        ("properties", .object([
            ("status", .object([("enum", .array(["ok", "unavailable"]))])),
            ("failed", .object([("type", "array"), ("items", .object([("type", "string")]))])),
            ("checks", .object([
                ("type", "object"),
                ("additionalProperties", .object([
                    ("type", "object"),
                    ("properties", .object([
                        ("ok", .object([("type", "boolean")])),
                        ("error", .object([("type", .array(["string", "null"]))])),
                    ])),
                    ("required", .array(["ok", "error"])),
                    ("additionalProperties", false),
                ])),
            ])),
        ])),
        ("required", .array(["status", "failed", "checks"])),
        ("additionalProperties", false),
    ])

    static func ref(_ name: String) -> JSONValue { .object([("$ref", .string("#/components/schemas/\(name)"))]) }

    static func nullable(_ schema: JSONValue) -> JSONValue {
        .object([("anyOf", .array([schema, .object([("type", "null")])]))])
    }

    static func jsonContent(_ schema: JSONValue) -> JSONValue {
        .object([("application/json", .object([("schema", schema)]))])
    }
}

extension WireFieldType {
    /// The message a field holds, if it holds messages.
    var messageType: WireMessageDescriptor? {
        switch self {
        case .message(let m), .repeatedMessage(let m): m
        default: nil
        }
    }
}

extension StatusCode {
    /// `INVALID_ARGUMENT`, as gRPC names the code.
    var grpcName: String {
        var out = ""
        for character in String(describing: self) {
            if character.isUppercase { out += "_" }
            out += character.uppercased()
        }
        return out
    }
}

/// A JSON value with ordered object keys, for documents the node writes.
indirect enum JSONValue: Sendable, ExpressibleByStringInterpolation, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral {
    case object([(String, JSONValue)])
    case array([JSONValue])
    case string(String)
    case int(Int)
    case unsigned(UInt64)
    case bool(Bool)
    case null

    init(stringLiteral value: String) { self = .string(value) }
    init(integerLiteral value: Int) { self = .int(value) }
    init(booleanLiteral value: Bool) { self = .bool(value) }

    /// An object with one more key.
    func adding(_ key: String, _ value: JSONValue) -> JSONValue {
        guard case .object(let pairs) = self else { return self }
        return .object(pairs + [(key, value)])
    }

    /// The value at `key` of an object.
    subscript(key: String) -> JSONValue? {
        guard case .object(let pairs) = self else { return nil }
        return pairs.first { $0.0 == key }?.1
    }

    func write(to writer: inout JSONWriter) {
        switch self {
        case .object(let pairs):
            writer.writeRaw("{")
            for (i, (key, value)) in pairs.enumerated() {
                if i > 0 { writer.writeRaw(",") }
                writer.writeString(key)
                writer.writeRaw(":")
                value.write(to: &writer)
            }
            writer.writeRaw("}")
        case .array(let values):
            writer.writeRaw("[")
            for (i, value) in values.enumerated() {
                if i > 0 { writer.writeRaw(",") }
                value.write(to: &writer)
            }
            writer.writeRaw("]")
        case .string(let s): writer.writeString(s)
        case .int(let n): writer.writeDecimal(n)
        case .unsigned(let n): writer.writeDecimal(n)
        case .bool(let b): writer.writeRaw(b ? "true" : "false")
        case .null: writer.writeRaw("null")
        }
    }
}
