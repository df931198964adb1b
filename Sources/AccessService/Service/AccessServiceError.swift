/// An error of the access service, with a stable code for clients and a message for people.
/// Policy text errors are ``PolicyError``s (with a line and column); store failures are the
/// journal's (``RegistryError``).
public struct AccessServiceError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Stable error codes; the HTTP layer maps each to a status.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// No policy, authority or subject with that name.
        case notFound = "access.not_found"
        /// A compare-and-swap lost: the policy generation moved on.
        case conflict = "access.conflict"
        /// A well-formed request that cannot be honoured (an authority with no usable key).
        case invalidRequest = "access.invalid_request"
        /// A presented binding's signature does not verify, or another issuer signed it.
        case bindingInvalid = "binding.invalid"
        case bindingExpired = "binding.expired"
        case bindingNotYetValid = "binding.not_yet_valid"
        case bindingRevoked = "binding.revoked"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
