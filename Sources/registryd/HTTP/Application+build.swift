import AccessService
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import JSON
import Logging
import Ontology
import Prometheus
import Registry
import ServiceLifecycle

/// What `registryd serve` needs to start: where to listen, where the data lives, and limits.
struct ServerSettings: Sendable {
    var host = "127.0.0.1"
    var port = 8470
    var dataDirectory = "./registry-data"
    /// The largest body of each kind of request.
    var bodies = BodyLimits()
    /// How long one query or update may run.
    var queryTimeout: Duration = .seconds(30)
    /// The most rows (or triples) one query may return.
    var maxResults = 1_000_000
    var logLevel: Logger.Level = .info
    /// Hosts pull registration may fetch from.
    var pullAllowedHosts: [String] = []
    /// Scopes of requests without a token.
    var anonymousScopes: [Scope] = []
    /// How often leases and host heartbeats are checked.
    var sweepInterval: Duration = .milliseconds(250)
    /// Header and read timeouts and the connection limit.
    var connections = ConnectionLimits()
    /// The most requests handled at once before new ones get 503.
    var maxInFlight = 512
    /// Requests per second per token (or anonymous address); nil: no limit.
    var rateLimit: Double?
    /// Requests a caller may make at once above its rate.
    var rateBurst = 100
    /// HTTPS instead of HTTP when set.
    var tls: TLSSettings?
    /// How the gateway adapter reads requests.
    var gateway = GatewaySettings()
    /// The directory `LOAD <file:...>` may read from; nil: no files.
    var loadAllowedDirectory: String?
    /// The W3C TD 1.1 JSON Schema `/things` checks Thing Descriptions against (from the share
    /// directory); nil: `/things` refuses writes with 503 `things.no_schema`.
    var thingSchema: JSONSchema?
}

/// Everything the routes share.
struct Services: Sendable {
    let store: QuadStore
    let registry: Registry
    let tokens: TokenStore
    let access: AccessService
    let metrics: PrometheusCollectorRegistry
    /// This daemon as a cluster node (nil: single-node).
    var cluster: ClusterNode? = nil
    /// `serve --audit-log`: every change by a token, as JSON lines.
    var auditLog: JSONLinesLog? = nil
}

/// Builds the router with every controller; shared by `serve` and the tests.
func buildRouter(_ services: Services, settings: ServerSettings) -> Router<RegistrydContext> {
    // HEAD wherever GET is served (RFC 9110 §9.3.2): the GET's status and headers, no body.
    let router = Router(context: RegistrydContext.self, options: .autoGenerateHeadEndpoints)
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: RequestMetricsMiddleware(registry: services.metrics))
    router.add(middleware: ErrorMiddleware())
    let access = services.access
    let cluster = services.cluster
    HealthController(problems: {
        (access.degradedReason.map { ["policies: " + $0] } ?? []) + (cluster?.health.problem.map { ["cluster: " + $0] } ?? [])
    }, node: { cluster.map(\.healthJSON) }).addRoutes(to: router)
    MetricsController(registry: services.metrics).addRoutes(to: router)
    // Public: gateways fetch the keys that verify bindings without a token.
    BindingsController.addKeySetRoute(to: router, access: services.access)
    ClusterController.addSnapshotRoute(to: router, node: services.cluster, store: services.store)
    router.add(middleware: InFlightLimitMiddleware(limit: settings.maxInFlight))
    if let cluster {
        router.add(middleware: ClusterWriteForwarder(node: cluster, bodyLimit: settings.bodies.upload))
        router.add(middleware: ClusterReadMiddleware(node: cluster))
    }
    router.add(middleware: AuthMiddleware(tokens: services.tokens, anonymousScopes: settings.anonymousScopes,
                                          clientCertificateScopes: settings.tls?.clientScopes ?? []))
    router.add(middleware: AuditLogMiddleware(log: services.auditLog))
    if let rate = settings.rateLimit {
        router.add(middleware: RateLimitMiddleware(limiter: RateLimiter(rate: rate, burst: settings.rateBurst)))
    }
    let fetcher = ManifestFetcher(allowList: HostAllowList(entries: settings.pullAllowedHosts))
    SPARQLController(store: services.store, settings: settings,
                     fetcher: ManifestFetcher(allowList: fetcher.allowList, maxSize: settings.bodies.upload)).addRoutes(to: router)
    GraphStoreController(store: services.store, settings: settings).addRoutes(to: router)
    ServicesController(registry: services.registry, fetcher: fetcher,
                       settings: settings, access: services.access, cluster: cluster).addRoutes(to: router)
    ClusterController(node: cluster, store: services.store, registry: services.registry).addRoutes(to: router)
    ThingsController(registry: services.registry, access: services.access, settings: settings).addRoutes(to: router)
    ThingEventsController(registry: services.registry).addRoutes(to: router)
    ResolveController(registry: services.registry, access: services.access, limits: settings.bodies).addRoutes(to: router)
    EventsController(registry: services.registry).addRoutes(to: router)
    HostsController(registry: services.registry, limits: settings.bodies).addRoutes(to: router)
    TokensController(tokens: services.tokens, limits: settings.bodies).addRoutes(to: router)
    PoliciesController(access: services.access, limits: settings.bodies).addRoutes(to: router)
    AuthoritiesController(access: services.access, limits: settings.bodies).addRoutes(to: router)
    DecisionsController(access: services.access, limits: settings.bodies).addRoutes(to: router)
    BindingsController(access: services.access).addRoutes(to: router)
    GatewayController(access: services.access, settings: settings.gateway).addRoutes(to: router)
    MQTTGatewayController(access: services.access, registry: services.registry, limits: settings.bodies).addRoutes(to: router)
    router.add(middleware: MethodNotAllowedMiddleware(routes: router.routes.map { ($0.path.description, $0.method) }))
    return router
}

/// The daemon's services: the HTTP server, the maintenance loop, and the notifier that ends
/// streams on shutdown (ServiceGroup shuts services down in reverse order).
func buildServiceGroup(_ settings: ServerSettings, services: Services,
                       onListening: @escaping @Sendable (Int) async -> Void) throws(CommandFailure) -> ServiceGroup {
    var logger = Logger(label: "registryd")
    logger.logLevel = settings.logLevel
    let app = try buildApplication(settings, services: services, onListening: onListening)
    let maintenance = RegistryMaintenance(registry: services.registry, store: services.store, interval: settings.sweepInterval,
                                          checker: HealthChecker(allowList: HostAllowList(entries: settings.pullAllowedHosts)), logger: logger,
                                          metrics: services.metrics, cluster: services.cluster)
    var cluster: [ServiceGroupConfiguration.ServiceConfiguration] = []
    if let node = services.cluster { cluster.append(.init(service: ClusterFollower(node: node, logger: logger))) }
    return ServiceGroup(configuration: .init(
        services: [.init(service: app), .init(service: maintenance), .init(service: AccessMaintenance(access: services.access, registry: services.registry, metrics: services.metrics)),
                   .init(service: ShutdownNotifier(registry: services.registry))] + cluster,
        gracefulShutdownSignals: [.sigterm, .sigint],
        logger: logger))
}

/// Builds the application. `onListening` receives the port actually bound (useful with port 0).
func buildApplication(
    _ settings: ServerSettings,
    services: Services,
    onListening: @escaping @Sendable (Int) async -> Void = { _ in }
) throws(CommandFailure) -> some ApplicationProtocol {
    var logger = Logger(label: "registryd")
    logger.logLevel = settings.logLevel
    let limits = settings.connections
    let counter = ConnectionCounter(limit: limits.maxConnections)
    let readsCertificates = settings.tls?.clientCAFile != nil
    let http = HTTPServerBuilder.http1(configuration: .init(
        additionalChannelHandlers: [ConnectionGuard(limits: limits, counter: counter, readsClientCertificates: readsCertificates)]))
    var server = http
    if let tls = settings.tls {
        let configuration = try tls.configuration()
        do {
            server = try .tls(http, tlsConfiguration: configuration)
        } catch {
            throw CommandFailure("cannot set up TLS with --tls-cert and --tls-key: \(error)")
        }
    }
    return Application(
        router: buildRouter(services, settings: settings),
        server: server,
        configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "registryd",
                             backlog: max(256, min(limits.maxConnections, 4096))),
        onServerRunning: { channel in await onListening(channel.localAddress?.port ?? settings.port) },
        logger: logger
    )
}
