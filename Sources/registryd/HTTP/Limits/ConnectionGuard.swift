import HTTPTypes
import NIOCore
import NIOHTTPTypes
import NIOSSL

/// A handler on every connection, between HTTP decoding and Hummingbird, that enforces
/// ``ConnectionLimits`` and passes on who a TLS client certificate names.
///
/// - Header timeout: a request head must be complete within `headerTimeout` of the connection
///   opening or of the previous response ending, else the connection is closed. Hummingbird's
///   idle timeout is reset by every body part, so a client dripping bytes would outlive it.
/// - Read timeout: a request body must end within `readTimeout` of its head.
/// - Connection limit: past `maxConnections` a new connection's first request is answered 503
///   (`server.too_many_connections`) and the connection closed, so clients get an answer they
///   can retry rather than a reset.
/// - Client certificates: the `X-Registryd-Client-Certificate` header is always removed from
///   what the client sent and, when the TLS handshake verified a client certificate, set to its
///   subject's common name for ``AuthMiddleware``.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// The header that carries a verified client certificate's name; never taken from the client.
    static let clientCertificateField = HTTPField.Name("X-Registryd-Client-Certificate")!

    private let limits: ConnectionLimits
    private let counter: ConnectionCounter
    private let readsClientCertificates: Bool
    private var started = false
    private var admitted = false
    private var readingRequest = false
    private var unanswered = 0
    private var deadline: Scheduled<Void>?

    init(limits: ConnectionLimits, counter: ConnectionCounter, readsClientCertificates: Bool) {
        self.limits = limits
        self.counter = counter
        self.readsClientCertificates = readsClientCertificates
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        finish()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(var head):
            guard admitted else {
                refuse(context)
                return
            }
            readingRequest = true
            unanswered += 1
            arm(context, after: limits.readTimeout)
            head.headerFields[Self.clientCertificateField] = nil
            if readsClientCertificates, let name = clientCertificateName(context) {
                head.headerFields[Self.clientCertificateField] = name
            }
            context.fireChannelRead(wrapInboundOut(.head(head)))
        case .body:
            guard admitted else { return }
            context.fireChannelRead(data)
        case .end:
            guard admitted else { return }
            readingRequest = false
            disarm()
            context.fireChannelRead(data)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            unanswered = max(0, unanswered - 1)
            // The connection is idle again: the next request's head must come in time.
            if unanswered == 0, !readingRequest { arm(context, after: limits.headerTimeout) }
        }
        context.write(data, promise: promise)
    }

    private func start(_ context: ChannelHandlerContext) {
        guard !started else { return }
        started = true
        admitted = counter.admit()
        arm(context, after: limits.headerTimeout)
    }

    private func finish() {
        disarm()
        if admitted {
            admitted = false
            counter.release()
        }
    }

    private func arm(_ context: ChannelHandlerContext, after timeout: Duration) {
        disarm()
        let nanoseconds = timeout.components.seconds * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(nanoseconds)) {
            if context.channel.isActive { context.close(promise: nil) }
        }
    }

    private func disarm() {
        deadline?.cancel()
        deadline = nil
    }

    /// Answers the first request of a connection over the limit with 503, then closes it.
    private func refuse(_ context: ChannelHandlerContext) {
        disarm()
        let body = #"{"error":{"code":"server.too_many_connections","message":"the server has \#(counter.limit) connections open; retry later"}}"#
        var fields = HTTPFields()
        fields[.contentType] = "application/json; charset=utf-8"
        fields[.contentLength] = String(body.utf8.count)
        fields[.retryAfter] = "1"
        fields[.connection] = "close"
        context.write(wrapOutboundOut(.head(HTTPResponse(status: .serviceUnavailable, headerFields: fields))), promise: nil)
        context.write(wrapOutboundOut(.body(context.channel.allocator.buffer(string: body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }

    private func clientCertificateName(_ context: ChannelHandlerContext) -> String? {
        guard let certificate = try? context.pipeline.syncOperations.nioSSL_peerCertificate() else { return nil }
        let names = certificate.subjectName
        return names.first { $0.type == .commonName }?.value ?? names.first?.value ?? "client"
    }
}
