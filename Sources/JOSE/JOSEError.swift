/// The one error type of the `JOSE` target.
///
/// `code` is stable and meant for programs (HTTP status tables, metrics labels); `message` is for
/// people and may change.
public struct JOSEError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, machine-readable code, one of the `JOSEError.*` code constants.
    public let code: String
    /// A one-line explanation for people.
    public let message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    /// Not a well-formed token, header, JWK, PEM document or base64url text.
    public static let malformed = "jose.malformed"
    /// A signature that does not verify.
    public static let badSignature = "jose.bad_signature"
    /// An algorithm other than `EdDSA` and `ES256` (including `none`), or a key of another type or curve.
    public static let unsupportedAlgorithm = "jose.unsupported_algorithm"
    /// A key that OpenSSL rejects: wrong length, not on the curve, or inconsistent with its `alg`/`use`.
    public static let badKey = "jose.bad_key"
    /// A header this implementation must not ignore (`crit`).
    public static let unsupportedHeader = "jose.unsupported_header"
    /// A token larger than ``CompactJWS/maximumTokenSize``.
    public static let tooLarge = "jose.too_large"
    /// Reading or writing a key file failed.
    public static let io = "jose.io"
    /// An argument outside its documented range.
    public static let invalidArgument = "jose.invalid_argument"
    /// OpenSSL failed where it should not (allocation failure, missing provider).
    public static let crypto = "jose.crypto"

    public var description: String { "\(code): \(message)" }

    static func malformed(_ message: String) -> JOSEError { JOSEError(code: malformed, message: message) }
    static func badKey(_ message: String) -> JOSEError { JOSEError(code: badKey, message: message) }
    static func unsupportedAlgorithm(_ message: String) -> JOSEError {
        JOSEError(code: unsupportedAlgorithm, message: message)
    }
    static func io(_ message: String) -> JOSEError { JOSEError(code: io, message: message) }
    static func crypto(_ message: String) -> JOSEError { JOSEError(code: crypto, message: message) }
}
