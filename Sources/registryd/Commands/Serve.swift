import ArgumentParser
import Hummingbird
import Logging
import Metrics
import Ontology
import Prometheus
import Registry
import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `registryd serve`: runs the daemon until SIGTERM or SIGINT.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the registry daemon (HTTP on 127.0.0.1:8470, data in ./registry-data).",
        discussion: """
            Prints `registryd listening on http://HOST:PORT` once it accepts connections (with \
            --port 0 the system picks a free port). Stops cleanly on SIGTERM or SIGINT.
            """
    )

    @OptionGroup var storage: DataDirectoryOptions

    @Option(help: "The address to listen on.")
    var host: String = "127.0.0.1"

    @Option(help: "The TCP port to listen on (0: any free port).")
    var port: Int = 8470

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    @Option(help: "Seconds a query or update may run before it is stopped (503, sparql.timeout).")
    var queryTimeout: Int = 30

    @Option(help: "The most rows or triples one query may return (400, sparql.result_limit).")
    var maxResults: Int = 1_000_000

    @Option(name: .customLong("max-upload-mib"), help: "The largest request body accepted, in MiB (413).")
    var maxUploadMiB: Int = 64

    @Option(name: .customLong("max-manifest-kib"), help: "The largest registration body (manifest, Thing Description, RDF), in KiB (413).")
    var maxManifestKiB: Int = 1024

    @Option(name: .customLong("binding-ttl"), help: "The longest a binding lives, in seconds (windows and credentials may end it sooner).")
    var bindingTTL: Int = 300

    @Option(name: .customLong("max-policy-kib"), help: "The largest policy document, in KiB (413).")
    var maxPolicyKiB: Int = 256

    @Option(name: .customLong("pull-allow"), help: ArgumentHelp(
        "A host the registry may contact, for pull registration and health checks: NAME, NAME:PORT or *.DOMAIN (repeatable; none by default).",
        valueName: "host"))
    var pullAllow: [String] = []

    @Option(name: .customLong("anonymous-scope"), help: ArgumentHelp(
        "A scope for requests without a token, e.g. query (repeatable; none by default: such requests get 401).",
        valueName: "scope"))
    var anonymousScopes: [String] = []

    @Option(name: .customLong("event-retention"), help: "Changes kept in memory for watchers (`/v1/events?since=`); a watcher further behind gets a `reset` event and must re-list.")
    var eventRetention: Int = 10_000

    @Option(name: .customLong("header-timeout"), help: "Seconds a client has to send a request's head, from connecting or from its last response (idle connections close then).")
    var headerTimeout: Double = 15

    @Option(name: .customLong("read-timeout"), help: "Seconds a client has to send a request's body once its head arrived.")
    var readTimeout: Double = 60

    @Option(name: .customLong("max-connections"), help: "The most connections open at once; the next get 503 (server.too_many_connections).")
    var maxConnections: Int = 1024

    @Option(name: .customLong("max-in-flight"), help: "The most requests handled at once; the next get 503 (server.overloaded).")
    var maxInFlight: Int = 512

    @Option(name: .customLong("rate-limit"), help: "Requests per second allowed to each token (anonymous callers: each address); 0: no limit. Past it, 429 (rate.limited).")
    var rateLimit: Double = 0

    @Option(name: .customLong("rate-burst"), help: "Requests a caller may make at once above --rate-limit.")
    var rateBurst: Int = 100

    @Option(name: .customLong("tls-cert"), help: ArgumentHelp("Serve HTTPS with this PEM certificate chain (needs --tls-key).", valueName: "file"))
    var tlsCertificate: String?

    @Option(name: .customLong("tls-key"), help: ArgumentHelp("The PEM private key of --tls-cert.", valueName: "file"))
    var tlsKey: String?

    @Option(name: .customLong("tls-client-ca"), help: ArgumentHelp(
        "Accept client certificates signed by these PEM CA certificates; a verified one authenticates its client (a gateway) with --tls-client-scope.",
        valueName: "file"))
    var tlsClientCA: String?

    @Option(name: .customLong("tls-client-scope"), help: ArgumentHelp("A scope of clients with a verified certificate (repeatable; default decide).", valueName: "scope"))
    var tlsClientScopes: [String] = []

    @Flag(name: .customLong("gateway-headers"), help: "Let the gateway adapter read X-Registryd-API, X-Registryd-Action and X-Registryd-Prefix (the gateway must then set or clear them: a proxy forwards its client's headers).")
    var gatewayHeaders = false

    @Option(name: .customLong("gateway-action"), help: ArgumentHelp(
        "The action an original HTTP method asks for at the gateway adapter, METHOD=ACTION or METHOD=none to refuse it (repeatable; default: the RFC 9110 methods ask for call, others are refused).",
        valueName: "method=action"))
    var gatewayActions: [String] = []

    @Option(name: .customLong("load-allow-dir"), help: ArgumentHelp(
        "A directory SPARQL `LOAD <file:...>` may read RDF files from (none by default: LOAD reads no files; http(s) sources need --pull-allow).",
        valueName: "dir"))
    var loadAllowDirectory: String?

    func validate() throws {
        var gateway = GatewaySettings()
        for action in gatewayActions {
            do { try gateway.setAction(action) } catch { throw ValidationError(error.description) }
        }
        guard eventRetention > 0, headerTimeout > 0, readTimeout > 0, maxConnections > 0, maxInFlight > 0, rateLimit >= 0, rateBurst > 0 else {
            throw ValidationError("--header-timeout, --read-timeout, --max-connections, --max-in-flight and --rate-burst and --event-retention must be positive, --rate-limit not negative")
        }
        guard (tlsCertificate == nil) == (tlsKey == nil) else { throw ValidationError("--tls-cert and --tls-key go together") }
        guard tlsCertificate != nil || (tlsClientCA == nil && tlsClientScopes.isEmpty) else {
            throw ValidationError("--tls-client-ca and --tls-client-scope need --tls-cert and --tls-key")
        }
        for scope in tlsClientScopes where Scope(scope) == nil {
            throw ValidationError("--tls-client-scope: `\(scope)` is not a scope (admin, query, decide, register:<prefix>)")
        }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level `\(logLevel)`") }
        guard queryTimeout > 0, maxResults > 0, maxUploadMiB > 0, maxManifestKiB > 0 else {
            throw ValidationError("--query-timeout, --max-results, --max-upload-mib and --max-manifest-kib must be positive")
        }
        for scope in anonymousScopes where Scope(scope) == nil {
            throw ValidationError("--anonymous-scope: `\(scope)` is not a scope (admin, query, decide, register:<prefix>)")
        }
    }

    func run() async throws {
        let data = storage.data
        guard mkdir(data, 0o755) == 0 || errno == EEXIST else {
            throw CommandFailure("cannot create data directory \(data): \(String(cString: strerror(errno)))")
        }
        var settings = ServerSettings()
        settings.host = host
        settings.port = port
        settings.dataDirectory = data
        settings.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        settings.queryTimeout = .seconds(queryTimeout)
        settings.maxResults = maxResults
        settings.bodies.upload = maxUploadMiB << 20
        settings.bodies.manifest = maxManifestKiB << 10
        settings.pullAllowedHosts = pullAllow
        settings.bodies.policy = maxPolicyKiB << 10
        settings.anonymousScopes = anonymousScopes.compactMap(Scope.init)
        settings.connections = ConnectionLimits(headerTimeout: .milliseconds(Int(headerTimeout * 1000)),
                                                readTimeout: .milliseconds(Int(readTimeout * 1000)),
                                                maxConnections: maxConnections)
        settings.maxInFlight = maxInFlight
        settings.rateLimit = rateLimit > 0 ? rateLimit : nil
        settings.rateBurst = rateBurst
        settings.gateway.trustsHeaders = gatewayHeaders
        for action in gatewayActions { try? settings.gateway.setAction(action) }  // checked in validate()
        settings.loadAllowedDirectory = loadAllowDirectory
        if let tlsCertificate, let tlsKey {
            settings.tls = TLSSettings(certificateFile: tlsCertificate, privateKeyFile: tlsKey, clientCAFile: tlsClientCA,
                                       clientScopes: tlsClientScopes.isEmpty ? [.decide] : tlsClientScopes.compactMap(Scope.init))
            _ = try settings.tls?.configuration()  // a bad file is reported before anything starts
        }
        let setup = try await DaemonSetup.open(data: data, bindingTTL: Double(bindingTTL), eventRetention: eventRetention)
        defer { setup.store.close() }
        if let token = setup.newAdminToken {
            writeToStandardOutput("""
                registryd: first start; admin token (also in \(data)/admin.token, mode 0600):
                  \(token)

                """)
        }
        if setup.shareDirectory == nil {
            writeToStandardError("registryd: warning: bundled ontologies not found (set REGISTRYD_SHARE to the directory holding ontologies/)\n")
        }
        for ontology in setup.loadedOntologies {
            writeToStandardOutput("registryd: loaded ontology \(ontology.file) into <\(ontology.graph)> (\(ontology.triples) triples)\n")
        }
        let metrics = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: metrics))
        let services = Services(store: setup.store, registry: setup.registry, tokens: setup.tokens, access: setup.access, metrics: metrics)
        let host = self.host
        let scheme = settings.tls == nil ? "http" : "https"
        let group = try buildServiceGroup(settings, services: services) { port in
            writeToStandardOutput("registryd listening on \(scheme)://\(host):\(port)\n")
        }
        try await group.run()
    }
}
