import JSON

/// Everything a decision may learn about its subject and circumstances.
public struct SubjectEvidence: Sendable {
    public var subject: String
    /// Compact JWS credentials presented by the subject.
    public var credentials: [String]
    /// The subject's record in the registry (`/v1/subjects/{id}`).
    public var registryAttributes: [String: JSONValue]
    /// The request's `context`.
    public var context: [String: JSONValue]
    /// Attributes taken as certified by whichever authority they must come from; only for
    /// offline evaluation (`policy eval --trust-attributes`), never from the HTTP API.
    public var trusted: [String: JSONValue]?

    public init(subject: String, credentials: [String] = [], registryAttributes: [String: JSONValue] = [:],
                context: [String: JSONValue] = [:], trusted: [String: JSONValue]? = nil) {
        self.subject = subject
        self.credentials = credentials
        self.registryAttributes = registryAttributes
        self.context = context
        self.trusted = trusted
    }
}
