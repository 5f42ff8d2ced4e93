import ArgumentParser
import Foundation
import Logging
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// `--log-format`: swift-log's text lines, or one JSON object per line.
enum LogFormat: String, CaseIterable, ExpressibleByArgument, Sendable {
    case text, json
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

extension LogFormat {
    /// Sends every logger of the process to standard error in this format, at `level`.
    func bootstrap(level: Logger.Level) {
        switch self {
        case .text:
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        case .json:
            LoggingSystem.bootstrap { label in JSONLogHandler(label: label, logLevel: level) }
        }
    }
}

/// One JSON object per line on standard error:
/// `{"timestamp":"2026-12-06T20:15:03.123Z","level":"info","label":"coprocessor-node","message":"node ready","metadata":{"workers":"2"}}`
/// (`metadata` holds the handler's, the provider's and the call's metadata; nested values stay
/// nested; an error given to the call is added as `"error"`).
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    private let output: JSONLineWriter

    init(label: String, logLevel: Logger.Level, output: JSONLineWriter = .standardError,
         metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider) {
        self.label = label
        self.logLevel = logLevel
        self.output = output
        self.metadataProvider = metadataProvider
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let own = event.metadata { merged.merge(own) { $1 } }
        var line = "{\"timestamp\":"
        Self.append(string: Date.now.formatted(Self.timestampStyle), to: &line)
        line += ",\"level\":"
        Self.append(string: event.level.rawValue, to: &line)
        line += ",\"label\":"
        Self.append(string: label, to: &line)
        line += ",\"message\":"
        Self.append(string: event.message.description, to: &line)
        line += ",\"metadata\":"
        Self.append(.dictionary(merged), to: &line)
        if let error = event.error {
            line += ",\"error\":"
            Self.append(string: "\(error)", to: &line)
        }
        line += "}\n"
        output.write(line)
    }

    private static let timestampStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    private static func append(_ value: Logger.MetadataValue, to line: inout String) {
        switch value {
        case .string(let string): append(string: string, to: &line)
        case .stringConvertible(let convertible): append(string: convertible.description, to: &line)
        case .array(let values):
            line += "["
            for (i, value) in values.enumerated() {
                if i > 0 { line += "," }
                append(value, to: &line)
            }
            line += "]"
        case .dictionary(let entries):
            line += "{"
            for (i, key) in entries.keys.sorted().enumerated() {
                if i > 0 { line += "," }
                append(string: key, to: &line)
                line += ":"
                append(entries[key]!, to: &line)
            }
            line += "}"
        }
    }

    /// `string` as a JSON string (RFC 8259 escapes).
    static func append(string: String, to line: inout String) {
        line += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": line += "\\\""
            case "\\": line += "\\\\"
            case "\n": line += "\\n"
            case "\r": line += "\\r"
            case "\t": line += "\\t"
            case _ where scalar.value < 0x20:
                line += "\\u00" + String(scalar.value, radix: 16).leftPadded(to: 2)
            default: line.unicodeScalars.append(scalar)
            }
        }
        line += "\""
    }
}

/// Writes whole lines to a file descriptor, one writer at a time (lines of concurrent loggers
/// never interleave).
final class JSONLineWriter: Sendable {
    private let descriptor: Mutex<Int32>

    init(descriptor: Int32) { self.descriptor = Mutex(descriptor) }

    static let standardError = JSONLineWriter(descriptor: STDERR_FILENO)

    func write(_ line: String) {
        descriptor.withLock { fd in
            let bytes = Array(line.utf8)
            var offset = 0
            while offset < bytes.count {
                let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
