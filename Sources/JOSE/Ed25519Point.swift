import COpenSSL

/// Checks that 32 bytes decode to a point of the Ed25519 curve (RFC 8032 §5.1.3).
///
/// OpenSSL's raw public key import accepts any 32 bytes and only fails later, at every
/// verification; checking once at import turns a bad JWK into an error at the place it came from.
enum Ed25519Point {
    /// p = 2^255 − 19.
    private static let prime = "7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFED"
    /// d = −121665 / 121666 mod p.
    private static let d = "52036CEE2B6FFE738CC740797779E89800700A4D4141D8AB75EB4DCA135978A3"
    /// (p − 1) / 2, the Euler-criterion exponent.
    private static let half = "3FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF6"

    /// True when `encoded` is a canonical encoding of a curve point: y < p and x² = (y² − 1)/(d·y² + 1)
    /// has a root with the encoded sign.
    static func isValid(_ encoded: [UInt8]) throws -> Bool {
        guard encoded.count == 32 else { return false }
        var yBytes = encoded
        let sign = yBytes[31] >> 7
        yBytes[31] &= 0x7F

        guard let context = BN_CTX_new() else { throw OpenSSLError.failure("BN_CTX_new") }
        defer { BN_CTX_free(context) }
        var allocated: [OpaquePointer] = []
        defer { allocated.forEach { BN_free($0) } }
        func number(hex: String) throws -> OpaquePointer {
            var result: OpaquePointer?
            guard BN_hex2bn(&result, hex) != 0, let result else { throw OpenSSLError.failure("BN_hex2bn") }
            allocated.append(result)
            return result
        }
        func number() throws -> OpaquePointer {
            guard let result = BN_new() else { throw OpenSSLError.failure("BN_new") }
            allocated.append(result)
            return result
        }

        let p = try number(hex: prime), dValue = try number(hex: d), exponent = try number(hex: half)
        let y = try number()
        guard yBytes.withUnsafeBufferPointer({ BN_lebin2bn($0.baseAddress, 32, y) }) != nil else {
            throw OpenSSLError.failure("BN_lebin2bn")
        }
        if BN_cmp(y, p) >= 0 { return false }

        let one = try number(), ySquared = try number(), u = try number(), v = try number()
        let vInverse = try number(), xSquared = try number(), legendre = try number()
        var ok = BN_set_word(one, 1) == 1
        ok = ok && BN_mod_sqr(ySquared, y, p, context) == 1
        ok = ok && BN_mod_sub(u, ySquared, one, p, context) == 1
        ok = ok && BN_mod_mul(v, dValue, ySquared, p, context) == 1
        ok = ok && BN_mod_add(v, v, one, p, context) == 1
        // d is not a square mod p, so v = d·y² + 1 is never zero and the inverse exists.
        ok = ok && BN_mod_inverse(vInverse, v, p, context) != nil
        ok = ok && BN_mod_mul(xSquared, u, vInverse, p, context) == 1
        guard ok else { throw OpenSSLError.failure("Ed25519 point arithmetic") }

        if BN_is_zero(xSquared) == 1 {
            // x = 0 has no negative root, so the sign bit must be clear.
            return sign == 0
        }
        guard BN_mod_exp(legendre, xSquared, exponent, p, context) == 1 else {
            throw OpenSSLError.failure("BN_mod_exp")
        }
        return BN_is_one(legendre) == 1
    }
}
