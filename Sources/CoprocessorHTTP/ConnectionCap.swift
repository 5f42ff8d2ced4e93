import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import Synchronization

/// At most `limit` HTTP connections open at once. A connection beyond it is answered at once with
/// `503 Service Unavailable` (`Retry-After: 1`, `Connection: close`), before its request is read,
/// and closed: it costs a file descriptor for a moment and no request state. Wraps Hummingbird's
/// HTTP/1.1 child channel; the count drops when a connection closes, however it ends.
struct ConnectionCappedHTTP1: ServerChildChannel {
    enum Value: ServerChildChannelValue {
        case accepted(HTTP1Channel.Value)
        case refused(any Channel)

        var channel: any Channel {
            switch self {
            case .accepted(let value): value.channel
            case .refused(let channel): channel
            }
        }
    }

    let inner: HTTP1Channel
    let slots: ConnectionSlots

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        guard slots.take() else { return channel.eventLoop.makeSucceededFuture(.refused(channel)) }
        channel.closeFuture.whenComplete { [slots] _ in slots.give() }
        return inner.setup(channel: channel, logger: logger).map { .accepted($0) }
    }

    func handle(value: Value, logger: Logger) async {
        switch value {
        case .accepted(let connection):
            await inner.handle(value: connection, logger: logger)
        case .refused(let channel):
            logger.debug("HTTP connection refused: the connection limit is reached", metadata: ["limit": "\(slots.limit)"])
            let body = String(decoding: GatewayError.tooManyConnections.jsonBody, as: UTF8.self)
            let response = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
                + "Content-Length: \(body.utf8.count)\r\nRetry-After: 1\r\nConnection: close\r\n\r\n" + body
            try? await channel.writeAndFlush(ByteBuffer(string: response))
            try? await channel.close()
        }
    }
}

/// A counter of open connections with a limit.
final class ConnectionSlots: Sendable {
    let limit: Int
    private let open = Mutex(0)

    init(limit: Int) { self.limit = limit }

    /// Takes a slot; false when all are taken.
    func take() -> Bool {
        open.withLock { open in
            guard open < limit else { return false }
            open += 1
            return true
        }
    }

    func give() { open.withLock { $0 -= 1 } }

    /// Connections open now.
    var count: Int { open.withLock { $0 } }
}
