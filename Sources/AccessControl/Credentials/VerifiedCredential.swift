import JSON

/// A credential whose signature checked out: who issued it, about whom, when it is valid, and
/// the attributes it certifies. Time validity is checked per decision, not here.
public struct VerifiedCredential: Sendable, Hashable {
    public var issuer: String
    public var subject: String
    public var notBefore: Double?
    public var expires: Double
    public var attributes: [String: JSONValue]

    /// Why the credential is not valid at `time` for `subject`, or nil when it is.
    public func problem(for subject: String, at time: Double) -> String? {
        // Scalar by scalar: Swift's `==` would take a canonically equivalent spelling as the same.
        if !self.subject.unicodeScalars.elementsEqual(subject.unicodeScalars) { return "the credential from \(issuer) is about '\(self.subject)', not '\(subject)'" }
        if time >= expires { return "the credential from \(issuer) expired at \(Instant.format(expires))" }
        if let notBefore, time < notBefore { return "the credential from \(issuer) is not valid before \(Instant.format(notBefore))" }
        return nil
    }
}
