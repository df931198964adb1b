import ArgumentParser

/// How much `serve` takes: bodies, queries, connections and request rates.
struct LimitOptions: ParsableArguments {
    @Option(help: "Seconds a query or update may run before it is stopped (503, sparql.timeout).")
    var queryTimeout: Int = 30

    @Option(help: "The most rows or triples one query may return (400, sparql.result_limit).")
    var maxResults: Int = 1_000_000

    @Option(name: .customLong("max-upload-mib"), help: "The largest request body accepted, in MiB (413).")
    var maxUploadMiB: Int = 64

    @Option(name: .customLong("max-manifest-kib"), help: "The largest registration body (manifest, Thing Description, RDF), in KiB (413).")
    var maxManifestKiB: Int = 1024

    @Option(name: .customLong("max-policy-kib"), help: "The largest policy document, in KiB (413).")
    var maxPolicyKiB: Int = 256

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

    func validate() throws {
        guard headerTimeout > 0, readTimeout > 0, maxConnections > 0, maxInFlight > 0, rateLimit >= 0, rateBurst > 0 else {
            throw ValidationError("--header-timeout, --read-timeout, --max-connections, --max-in-flight and --rate-burst must be positive, --rate-limit not negative")
        }
        guard queryTimeout > 0, maxResults > 0, maxUploadMiB > 0, maxManifestKiB > 0, maxPolicyKiB > 0 else {
            throw ValidationError("--query-timeout, --max-results, --max-upload-mib, --max-manifest-kib and --max-policy-kib must be positive")
        }
    }

    func apply(to settings: inout ServerSettings) {
        settings.queryTimeout = .seconds(queryTimeout)
        settings.maxResults = maxResults
        settings.bodies.upload = maxUploadMiB << 20
        settings.bodies.manifest = maxManifestKiB << 10
        settings.bodies.policy = maxPolicyKiB << 10
        settings.connections = ConnectionLimits(headerTimeout: .milliseconds(Int(headerTimeout * 1000)),
                                                readTimeout: .milliseconds(Int(readTimeout * 1000)),
                                                maxConnections: maxConnections)
        settings.maxInFlight = maxInFlight
        settings.rateLimit = rateLimit > 0 ? rateLimit : nil
        settings.rateBurst = rateBurst
    }
}
