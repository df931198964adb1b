/// The largest request body each kind of route reads, in bytes: past it, 413
/// (`request.too_large`) before the body is parsed. The first three are `serve` options.
struct BodyLimits: Sendable, Hashable {
    /// SPARQL queries and updates, graphs (`--max-upload-mib`).
    var upload = 64 << 20
    /// A registration: manifest, Thing Description or RDF (`--max-manifest-kib`).
    var manifest = 1 << 20
    /// A policy document (`--max-policy-kib`).
    var policy = 256 << 10
    /// A decision request: a subject, up to 32 credentials and a context.
    var decision = 256 << 10
    /// The small JSON bodies that steer the registry: hosts, pins, health reports, pull
    /// requests, authorities' key sets, subjects, tokens.
    var control = 64 << 10
}
