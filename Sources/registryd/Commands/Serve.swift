import ArgumentParser
import Hummingbird
import Logging
import Ontology

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

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level `\(logLevel)`") }
        guard queryTimeout > 0, maxResults > 0, maxUploadMiB > 0 else {
            throw ValidationError("--query-timeout, --max-results and --max-upload-mib must be positive")
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
        settings.maxUploadSize = maxUploadMiB << 20
        let store = try StoreAccess.open(data)
        defer { store.close() }
        let host = self.host
        let app = buildApplication(settings, store: store) { port in
            writeToStandardOutput("registryd listening on http://\(host):\(port)\n")
        }
        try await app.runService()
    }
}
