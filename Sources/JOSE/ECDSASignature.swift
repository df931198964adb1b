import COpenSSL

/// Converts between OpenSSL's DER `ECDSA-Sig-Value` and the fixed-size `r || s` of JWS (RFC 7518 §3.4).
enum ECDSASignature {
    /// Bytes of each of `r` and `s` for P-256.
    static let componentSize = 32

    /// `r || s`, each left-padded to 32 bytes, or nil when `der` is not one DER signature with
    /// components that fit.
    static func raw(fromDER der: [UInt8]) -> [UInt8]? {
        der.withUnsafeBufferPointer { buffer -> [UInt8]? in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            guard let signature = d2i_ECDSA_SIG(nil, &cursor, buffer.count) else {
                ERR_clear_error()
                return nil
            }
            defer { ECDSA_SIG_free(signature) }
            guard let r = ECDSA_SIG_get0_r(signature), let s = ECDSA_SIG_get0_s(signature) else { return nil }
            var output = [UInt8](repeating: 0, count: 2 * componentSize)
            let written = output.withUnsafeMutableBufferPointer { out -> Bool in
                guard let base = out.baseAddress else { return false }
                return BN_bn2binpad(r, base, Int32(componentSize)) == Int32(componentSize)
                    && BN_bn2binpad(s, base + componentSize, Int32(componentSize)) == Int32(componentSize)
            }
            return written ? output : nil
        }
    }

    /// The DER encoding of a 64-byte `r || s`, or nil for any other length.
    static func der(fromRaw raw: [UInt8]) -> [UInt8]? {
        guard raw.count == 2 * componentSize, let signature = ECDSA_SIG_new() else { return nil }
        defer { ECDSA_SIG_free(signature) }
        let components = raw.withUnsafeBufferPointer { buffer -> (OpaquePointer, OpaquePointer)? in
            guard let base = buffer.baseAddress else { return nil }
            guard let r = BN_bin2bn(base, Int32(componentSize), nil) else { return nil }
            guard let s = BN_bin2bn(base + componentSize, Int32(componentSize), nil) else {
                BN_free(r)
                return nil
            }
            return (r, s)
        }
        guard let (r, s) = components else { return nil }
        // On success ECDSA_SIG_set0 owns r and s and frees them with the signature.
        guard ECDSA_SIG_set0(signature, r, s) == 1 else {
            BN_free(r)
            BN_free(s)
            return nil
        }
        // 72 bytes is the largest P-256 encoding: 2 + 2 × (2 + 33).
        var output = [UInt8](repeating: 0, count: 72)
        let length = output.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor: UnsafeMutablePointer<UInt8>? = buffer.baseAddress
            return i2d_ECDSA_SIG(signature, &cursor)
        }
        guard length > 0, Int(length) <= output.count else { return nil }
        output.removeLast(output.count - Int(length))
        return output
    }
}
