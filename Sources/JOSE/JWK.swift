/// A public JSON Web Key (RFC 7517) of the kinds this target uses: `OKP`/`Ed25519` (RFC 8037) and
/// `EC`/`P-256` (RFC 7518 §6.2).
///
/// Only public members are modelled, so decoding a private JWK drops `d` rather than carrying it
/// around. Nil members are left out when encoding.
public struct JWK: Codable, Sendable, Hashable {
    /// Key type: `OKP` or `EC`.
    public var kty: String
    /// Curve: `Ed25519` or `P-256`.
    public var crv: String?
    /// The public key (OKP) or its x coordinate (EC), base64url.
    public var x: String?
    /// The y coordinate (EC only), base64url.
    public var y: String?
    /// Key id; keys made here use the RFC 7638 thumbprint.
    public var kid: String?
    /// The JWS algorithm the key is for.
    public var alg: String?
    /// Intended use; `sig` for every key here.
    public var use: String?

    public init(kty: String, crv: String? = nil, x: String? = nil, y: String? = nil,
                kid: String? = nil, alg: String? = nil, use: String? = nil) {
        self.kty = kty
        self.crv = crv
        self.x = x
        self.y = y
        self.kid = kid
        self.alg = alg
        self.use = use
    }

    /// The RFC 7638 thumbprint: SHA-256 of the required members in lexicographic order with no
    /// whitespace, base64url.
    ///
    /// The JSON is written by hand because the members are fixed and their values are base64url or
    /// fixed names, so nothing needs escaping and the bytes cannot depend on an encoder's choices.
    static func thumbprint(curve: String, keyType: String, x: [UInt8], y: [UInt8]?) throws -> String {
        var json = #"{"crv":""# + curve + #"","kty":""# + keyType + #"","x":""# + Base64URL.encode(x) + "\""
        if let y { json += #","y":""# + Base64URL.encode(y) + "\"" }
        json += "}"
        return Base64URL.encode(try SHA256Digest.hash(Array(json.utf8)))
    }
}
