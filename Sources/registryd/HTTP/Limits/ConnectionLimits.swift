/// The per-connection limits that keep a slow or idle client from holding the server.
struct ConnectionLimits: Sendable {
    /// From the connection's start, or the end of its last response, to a complete request head.
    /// Covers slow headers (slowloris) and idle keep-alive connections alike.
    var headerTimeout: Duration = .seconds(15)
    /// From a request's head to the end of its body.
    var readTimeout: Duration = .seconds(60)
    /// The most connections open at once.
    var maxConnections = 1024
}
