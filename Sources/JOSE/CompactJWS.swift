import JSON

/// JWS Compact Serialization (RFC 7515 §7.1): `<header>.<payload>.<signature>`, each base64url.
public enum CompactJWS {
    /// The largest token ``decode(_:)`` accepts, in bytes. Larger input is refused before any
    /// base64 or JSON work so oversized requests cost almost nothing.
    public static let maximumTokenSize = 64 * 1024

    /// Signs `payload` (bytes as given, usually JSON) with header `{"alg","kid","typ"}`, `typ` only
    /// when `type` is not nil.
    public static func sign(payload: [UInt8], with key: SigningKey, type: String? = nil) throws -> String {
        // Written by hand in a fixed member order: cheaper than an encoder on this hot path, and
        // the header bytes of one key stay identical from token to token.
        var header = JSONTextWriter(capacity: 96)
        header.beginObject()
        header.member("alg", key.algorithm.rawValue)
        header.member("kid", key.kid)
        header.member("typ", type)
        header.endObject()
        let signingInput = Base64URL.encode(header.bytes) + "." + Base64URL.encode(payload)
        let signature = try key.sign(Array(signingInput.utf8))
        return signingInput + "." + Base64URL.encode(signature)
    }

    /// Parses a token without verifying it: three base64url parts, a JSON object header whose `alg`
    /// is `EdDSA` or `ES256`, and no `crit`.
    ///
    /// Errors: `jose.too_large` above ``maximumTokenSize``; `jose.malformed` for structure, base64url
    /// and JSON; `jose.unsupported_algorithm` for `none` and any other algorithm;
    /// `jose.unsupported_header` for `crit`, since no extensions are understood (RFC 7515 §4.1.11).
    public static func decode(_ token: String) throws -> DecodedJWS {
        let bytes = token.utf8
        guard bytes.count <= maximumTokenSize else {
            throw JOSEError(code: JOSEError.tooLarge,
                            message: "token is \(bytes.count) bytes, more than \(maximumTokenSize)")
        }
        let parts = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 3 else {
            throw JOSEError.malformed("a compact JWS has 3 parts separated by dots, not \(parts.count)")
        }
        guard let headerBytes = Base64URL.decode(Substring(parts[0])) else {
            throw JOSEError.malformed("JWS header is not base64url")
        }
        guard let payload = Base64URL.decode(Substring(parts[1])) else {
            throw JOSEError.malformed("JWS payload is not base64url")
        }
        guard let signature = Base64URL.decode(Substring(parts[2])) else {
            throw JOSEError.malformed("JWS signature is not base64url")
        }

        // The one JSON parser refuses a member named twice (RFC 7515 §5.2), in any spelling.
        guard case .object(let members)? = try? JSONValue.parse(headerBytes), case .string(let alg)? = members["alg"] else {
            throw JOSEError.malformed("JWS header is not a JSON object with a string alg, each member once")
        }
        func optionalString(_ name: String) throws -> String? {
            switch members[name] {
            case nil: return nil
            case .string(let text)?: return text
            default: throw JOSEError.malformed("JWS header member \(name) is not a string")
            }
        }
        let raw = (alg: alg, kid: try optionalString("kid"), typ: try optionalString("typ"), hasCrit: members["crit"] != nil)
        guard JWSAlgorithm(rawValue: raw.alg) != nil else {
            throw JOSEError.unsupportedAlgorithm("JWS algorithm \(raw.alg) is not supported; expected EdDSA or ES256")
        }
        if raw.hasCrit {
            throw JOSEError(code: JOSEError.unsupportedHeader, message: "JWS header has crit, but no extensions are supported")
        }
        // Everything before the second dot, exactly as received: the signature covers these bytes,
        // not a re-encoding of the decoded header and payload.
        let signingInputEnd = parts[1].endIndex
        return DecodedJWS(header: JWSHeader(alg: raw.alg, kid: raw.kid, typ: raw.typ),
                          payload: payload,
                          signingInput: Array(bytes[bytes.startIndex..<signingInputEnd]),
                          signature: signature)
    }
}
