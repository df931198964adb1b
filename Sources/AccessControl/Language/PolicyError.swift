/// A policy that cannot be read or does not validate, with where in which document.
public struct PolicyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Stable machine-readable code: `policy.syntax` or `policy.invalid`.
    public var code: String
    public var message: String
    /// The policy document's name (file or `/v1/policies/{name}`), when known.
    public var document: String?
    public var location: SourceLocation

    public init(code: String, message: String, document: String? = nil, location: SourceLocation) {
        self.code = code
        self.message = message
        self.document = document
        self.location = location
    }

    static func syntax(_ message: String, at location: SourceLocation) -> PolicyError {
        PolicyError(code: "policy.syntax", message: message, location: location)
    }

    static func invalid(_ message: String, at location: SourceLocation) -> PolicyError {
        PolicyError(code: "policy.invalid", message: message, location: location)
    }

    /// `document:line:column: message`, the shape compilers use so editors can jump to it.
    public var description: String {
        (document.map { $0 + ":" } ?? "") + "\(location.line):\(location.column): \(message)"
    }
}
