import AsyncHTTPClient
import GRPCCore
import GRPCNIOTransportHTTP2
import NIOCore
import NIOPosix
import Registry

/// One run of a health check against its target: the status it found and what it saw.
/// TTL checks are not probed: the instance reports them.
struct HealthProbe {
    let client: HTTPClient

    func run(_ check: HealthCheckSpec, target: (host: String, port: Int)) async -> (HealthCheckState.Status, String) {
        let timeout = Duration.milliseconds(check.timeoutMilliseconds)
        switch check.checkKind {
        case .http: return await http(check, timeout: timeout)
        case .tcp: return await tcp(target, timeout: timeout)
        case .grpc: return await grpc(check, target: target, timeout: timeout)
        case .coap: return await coap(target, timeout: timeout)
        case .ttl: return (.critical, "a TTL check is reported, not run")
        }
    }

    /// 2xx passing (with `body` in the answer, when the check names one), 429 and 503 warning.
    private func http(_ check: HealthCheckSpec, timeout: Duration) async -> (HealthCheckState.Status, String) {
        do {
            let response = try await client.execute(HTTPClientRequest(url: check.url), timeout: TimeAmount(timeout))
            let body = try? await response.body.collect(upTo: 64 << 10)
            let code = Int(response.status.code)
            switch code {
            case 200..<300:
                if let expected = check.body {
                    let text = body.map { String(buffer: $0) } ?? ""
                    guard text.contains(expected) else { return (.critical, "HTTP \(code), but the body does not contain `\(expected)`") }
                }
                return (.passing, "HTTP \(code)")
            case 429, 503: return (.warning, "HTTP \(code)")
            default: return (.critical, "HTTP \(code)")
            }
        } catch {
            return (.critical, "no answer (\(error))")
        }
    }

    private func tcp(_ target: (host: String, port: Int), timeout: Duration) async -> (HealthCheckState.Status, String) {
        do {
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(TimeAmount(timeout)).connect(host: target.host, port: target.port).get()
            try? await channel.close()
            return (.passing, "TCP connect to \(target.host):\(target.port) succeeded")
        } catch {
            return (.critical, "TCP connect to \(target.host):\(target.port) failed (\(error))")
        }
    }

    private func grpc(_ check: HealthCheckSpec, target: (host: String, port: Int), timeout: Duration) async -> (HealthCheckState.Status, String) {
        let service = check.service ?? ""
        do {
            let transport = try HTTP2ClientTransport.Posix(target: .dns(host: target.host, port: target.port), transportSecurity: .plaintext)
            var options = CallOptions.defaults
            options.timeout = timeout
            let status = try await withGRPCClient(transport: transport) { client in
                try await client.unary(request: ClientRequest(message: service), descriptor: GRPCHealthCodec.check,
                                       serializer: GRPCHealthCodec.Request(), deserializer: GRPCHealthCodec.Response(),
                                       options: options) { response in try response.message }
            }
            let subject = service.isEmpty ? "the server" : "`\(service)`"
            return (status == .serving ? .passing : .critical, "gRPC health of \(subject): \(status.name)")
        } catch let error as RPCError {
            return (.critical, "gRPC health: \(error.code) \(error.message)")
        } catch {
            return (.critical, "gRPC health: \(error)")
        }
    }

    /// RFC 7252 §4.3: an empty confirmable message, answered by a reset (or an acknowledgement)
    /// with the same message id by any CoAP endpoint that is up.
    private func coap(_ target: (host: String, port: Int), timeout: Duration) async -> (HealthCheckState.Status, String) {
        let messageID = UInt16.random(in: 0...UInt16.max)
        do {
            let remote = try SocketAddress.makeAddressResolvingHost(target.host, port: target.port)
            let group = MultiThreadedEventLoopGroup.singleton
            let answered = group.next().makePromise(of: UInt8.self)
            let channel = try await DatagramBootstrap(group: group)
                .channelInitializer { channel in channel.pipeline.addHandler(CoAPPingHandler(messageID: messageID, answered: answered)) }
                .bind(host: remote.protocol == .inet6 ? "::" : "0.0.0.0", port: 0).get()
            defer { channel.close(promise: nil) }
            let timer = channel.eventLoop.scheduleTask(in: TimeAmount(timeout)) { answered.fail(ChannelError.connectTimeout(TimeAmount(timeout))) }
            var ping = channel.allocator.buffer(capacity: 4)
            ping.writeBytes([0x40, 0x00, UInt8(messageID >> 8), UInt8(messageID & 0xFF)])  // Ver 1, CON, TKL 0; code 0.00
            try await channel.writeAndFlush(AddressedEnvelope(remoteAddress: remote, data: ping))
            let type = try await answered.futureResult.get()
            timer.cancel()
            return (.passing, "CoAP ping answered with \(type == 3 ? "RST" : "ACK")")
        } catch {
            return (.critical, "CoAP ping to \(target.host):\(target.port) not answered (\(error))")
        }
    }
}

/// Completes `answered` with the message type of the first RST or ACK carrying `messageID`.
private final class CoAPPingHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    let messageID: UInt16
    let answered: EventLoopPromise<UInt8>

    init(messageID: UInt16, answered: EventLoopPromise<UInt8>) {
        self.messageID = messageID
        self.answered = answered
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard let bytes = envelope.data.getBytes(at: envelope.data.readerIndex, length: min(4, envelope.data.readableBytes)),
              bytes.count == 4, bytes[0] >> 6 == 1 else { return }
        let type = (bytes[0] >> 4) & 0x3
        guard type == 2 || type == 3, UInt16(bytes[2]) << 8 | UInt16(bytes[3]) == messageID else { return }
        answered.succeed(type)
    }
}
