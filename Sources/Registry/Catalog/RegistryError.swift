import Ontology

/// An error of the registry, with a stable code for clients and a message for people.
public struct RegistryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Stable error codes; the HTTP layer maps each to a status.
    public enum Code: String, Sendable, Hashable {
        /// The body is not valid JSON (or not the declared format).
        case syntax = "manifest.syntax"
        /// A manifest field has the wrong type or value.
        case invalidManifest = "manifest.invalid"
        /// A manifest has a field the format does not define.
        case unknownField = "manifest.unknown_field"
        /// A name is not a valid site-scoped name.
        case invalidName = "registry.invalid_name"
        /// No registration, host or name with that id.
        case notFound = "registry.not_found"
        /// A compare-and-swap lost: the generation moved on.
        case conflict = "registry.conflict"
        /// The store failed.
        case storage = "registry.storage"
        /// A request is well-formed but cannot be honoured (e.g. pinning an unknown instance).
        case invalidRequest = "registry.invalid_request"
        /// The caller's token does not allow writing this name.
        case forbidden = "auth.forbidden"
        /// A registration describes a resource it does not own (docs/trust.md).
        case notOwned = "registration.not_owned"
        /// A registration states schema, which only the admin's graphs may (docs/trust.md).
        case schemaStatement = "registration.schema_statement"
        /// Cluster mode: the site's log (etcd) cannot take the write (no quorum, unreachable);
        /// nothing was written.
        case unavailable = "cluster.unavailable"
        /// Cluster mode: the write is larger than the site's log takes.
        case tooLarge = "cluster.write_too_large"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}


extension RegistryError {
    /// The registry's error for a failure of its store: the log's own codes stay what they are.
    init(converting error: OntologyError) {
        switch error.code {
        case .replicationUnavailable: self.init(.unavailable, error.message)
        case .replicationTooLarge: self.init(.tooLarge, error.message)
        default: self.init(.storage, error.message)
        }
    }
}
