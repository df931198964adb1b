import Hummingbird
import Logging
import Ontology

/// What `registryd serve` needs to start: where to listen and where the data lives.
struct ServerSettings: Sendable {
    var host = "127.0.0.1"
    var port = 8470
    var dataDirectory = "./registry-data"
    /// The largest request body accepted.
    var maxUploadSize = 64 << 20
    /// How long one query or update may run.
    var queryTimeout: Duration = .seconds(30)
    /// The most rows (or triples) one query may return.
    var maxResults = 1_000_000
    var logLevel: Logger.Level = .info
}

/// Builds the router with every controller; shared by `serve` and the tests.
func buildRouter(store: QuadStore, settings: ServerSettings) -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self)
    router.add(middleware: ErrorMiddleware())
    HealthController().addRoutes(to: router)
    SPARQLController(store: store, settings: settings).addRoutes(to: router)
    GraphStoreController(store: store, settings: settings).addRoutes(to: router)
    return router
}

/// Builds the application. `onListening` receives the port actually bound (useful with port 0).
func buildApplication(
    _ settings: ServerSettings,
    store: QuadStore,
    onListening: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    var logger = Logger(label: "registryd")
    logger.logLevel = settings.logLevel
    return Application(
        router: buildRouter(store: store, settings: settings),
        configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "registryd"),
        onServerRunning: { channel in await onListening(channel.localAddress?.port ?? settings.port) },
        logger: logger
    )
}
