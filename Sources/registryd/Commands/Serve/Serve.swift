import ArgumentParser
import Foundation
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

    @OptionGroup(title: "Listening") var listen: ListenOptions

    @OptionGroup(title: "Limits") var limits: LimitOptions

    @OptionGroup(title: "Access") var access: AccessOptions

    @OptionGroup(title: "Cluster") var cluster: ClusterOptions

    @OptionGroup(title: "Decision and audit logs") var logs: LogOptions

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    /// What an acknowledged write survives.
    enum Durability: String, ExpressibleByArgument, CaseIterable {
        case processCrash = "process-crash", powerLoss = "power-loss"

        var store: QuadStore.Configuration.Durability { self == .powerLoss ? .powerLoss : .processCrash }
    }

    @Option(help: ArgumentHelp(
        "What an acknowledged write survives: process-crash (kill -9; SQLite synchronous=NORMAL, no fsync per commit) or power-loss (also a power cut or OS crash: an fsync of the log at every commit, as etcd does).",
        valueName: "process-crash|power-loss"))
    var durability: Durability = .processCrash

    @Option(name: .customLong("event-retention"), help: "Changes kept in memory for watchers (`/v1/events?since=`); a watcher further behind gets a `reset` event and must re-list.")
    var eventRetention: Int = 10_000

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level `\(logLevel)`") }
        guard eventRetention > 0 else { throw ValidationError("--event-retention must be positive") }
    }

    /// The settings the options give, each group setting its own.
    func settings() throws -> ServerSettings {
        var settings = ServerSettings()
        settings.dataDirectory = storage.data
        settings.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        try listen.apply(to: &settings)
        limits.apply(to: &settings)
        try access.apply(to: &settings)
        return settings
    }

    func run() async throws {
        let data = storage.data
        guard mkdir(data, 0o755) == 0 || errno == EEXIST else {
            throw CommandFailure("cannot create data directory \(data): \(String(cString: strerror(errno)))")
        }
        var settings = try self.settings()
        let node = try cluster.makeNode(defaultName: "\(ProcessInfo.processInfo.hostName):\(settings.port)")
        let setup: DaemonSetup
        do {
            setup = try await DaemonSetup.open(data: data, bindingTTL: Double(access.bindingTTL), eventRetention: eventRetention,
                                               durability: durability.store, cluster: node)
        } catch {
            // The etcd client's connections close before the process exits with the error.
            await node?.client.shutdown()
            throw error
        }
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
        if let share = setup.shareDirectory {
            do {
                settings.thingSchema = try ThingSchema.load(share: share)
            } catch {
                writeToStandardError("registryd: warning: \(error); /things will refuse Thing Descriptions\n")
            }
        }
        for ontology in setup.loadedOntologies {
            writeToStandardOutput("registryd: loaded ontology \(ontology.file) into <\(ontology.graph)> (\(ontology.triples) triples)\n")
        }
        let metrics = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: metrics))
        let services = Services(store: setup.store, registry: setup.registry, tokens: setup.tokens, access: setup.access, metrics: metrics,
                                cluster: node, auditLog: try logs.open(access: setup.access))
        let host = settings.host
        let scheme = settings.tls == nil ? "http" : "https"
        let group = try buildServiceGroup(settings, services: services) { port in
            node?.advertise("\(scheme)://\(host):\(port)")
            writeToStandardOutput("registryd listening on \(scheme)://\(host):\(port)\n")
        }
        try await group.run()
        await node?.client.shutdown()
    }
}
