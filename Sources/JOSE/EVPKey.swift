import COpenSSL

/// Owns one loaded `EVP_PKEY` for the lifetime of a ``SigningKey`` or ``VerificationKey``.
///
/// Keys are parsed once and reused for every signature; each call only creates its own
/// `EVP_MD_CTX`. `@unchecked Sendable` because the key is never mutated after construction and
/// OpenSSL 3 allows a key to be used from many threads at once as long as nobody changes it.
final class EVPKey: @unchecked Sendable {
    let pointer: OpaquePointer

    /// Takes ownership of `pointer`, which is freed with this object.
    init(taking pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        EVP_PKEY_free(pointer)
    }

    // MARK: Construction

    /// A new random private key for `algorithm`.
    static func generate(_ algorithm: JWSAlgorithm) throws -> EVPKey {
        let name = algorithm == .edDSA ? "ED25519" : "EC"
        guard let context = EVP_PKEY_CTX_new_from_name(nil, name, nil) else {
            throw OpenSSLError.failure("EVP_PKEY_CTX_new_from_name(\(name))")
        }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_keygen_init(context) == 1 else { throw OpenSSLError.failure("EVP_PKEY_keygen_init") }
        if algorithm == .es256, EVP_PKEY_CTX_set_group_name(context, "prime256v1") != 1 {
            throw OpenSSLError.failure("EVP_PKEY_CTX_set_group_name")
        }
        var key: OpaquePointer?
        guard EVP_PKEY_generate(context, &key) == 1, let key else { throw OpenSSLError.failure("EVP_PKEY_generate") }
        return EVPKey(taking: key)
    }

    /// The private key of a PEM document (PKCS#8, or the traditional forms OpenSSL also reads).
    static func privateKey(pem: String) throws -> EVPKey {
        let bytes = Array(pem.utf8)
        let key = bytes.withUnsafeBufferPointer { buffer -> OpaquePointer? in
            guard let base = buffer.baseAddress, let bio = BIO_new_mem_buf(base, Int32(buffer.count)) else {
                return nil
            }
            defer { BIO_free(bio) }
            // A callback that refuses: with none, OpenSSL would prompt on the terminal for the
            // passphrase of an encrypted key.
            return PEM_read_bio_PrivateKey(bio, nil, { _, _, _, _ in 0 }, nil)
        }
        guard let key else { throw OpenSSLError.failure("reading the PEM private key", code: JOSEError.malformed) }
        // The decoders try several formats and may leave the failed attempts queued even on success.
        ERR_clear_error()
        return EVPKey(taking: key)
    }

    /// An Ed25519 private key from its 32-byte seed (the JWK `d`, RFC 8037).
    static func ed25519Private(seed: [UInt8]) throws -> EVPKey {
        guard seed.count == 32 else { throw JOSEError.badKey("an Ed25519 private key is 32 bytes, not \(seed.count)") }
        let key = seed.withUnsafeBufferPointer {
            EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nil, $0.baseAddress, 32)
        }
        guard let key else { throw OpenSSLError.failure("importing the Ed25519 private key", code: JOSEError.badKey) }
        return EVPKey(taking: key)
    }

    /// An Ed25519 public key from its 32-byte encoding, checked to be on the curve.
    static func ed25519Public(_ bytes: [UInt8]) throws -> EVPKey {
        guard bytes.count == 32 else { throw JOSEError.badKey("an Ed25519 public key is 32 bytes, not \(bytes.count)") }
        guard try Ed25519Point.isValid(bytes) else { throw JOSEError.badKey("the Ed25519 public key is not a curve point") }
        let key = bytes.withUnsafeBufferPointer {
            EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nil, $0.baseAddress, 32)
        }
        guard let key else { throw OpenSSLError.failure("importing the Ed25519 public key", code: JOSEError.badKey) }
        return EVPKey(taking: key)
    }

    /// A P-256 public key from its coordinates, checked by OpenSSL to be a valid point of the group.
    static func p256Public(x: [UInt8], y: [UInt8]) throws -> EVPKey {
        guard x.count == 32, y.count == 32 else {
            throw JOSEError.badKey("P-256 coordinates are 32 bytes each, not \(x.count) and \(y.count)")
        }
        let point = [0x04] + x + y
        // OSSL_PARAM_BLD keeps the pointers it is given, and the parameters it builds point at the
        // keys without copying them, so every C string must outlive EVP_PKEY_fromdata; a Swift
        // string passed straight to a push function would be a temporary freed on return.
        let imported = OSSL_PKEY_PARAM_GROUP_NAME.withCString { groupKey in
            "prime256v1".withCString { group in
                OSSL_PKEY_PARAM_PUB_KEY.withCString { publicKeyKey in
                    point.withUnsafeBytes { encoded in
                        Self.ecPublicKey(groupKey: groupKey, group: group, publicKeyKey: publicKeyKey, point: encoded)
                    }
                }
            }
        }
        guard let key = imported else {
            throw OpenSSLError.failure("importing the P-256 public key", code: JOSEError.badKey)
        }
        let result = EVPKey(taking: key)
        // Import already rejects points off the curve; the full check also covers coordinates
        // at or above the field prime and the point at infinity.
        guard let checkContext = EVP_PKEY_CTX_new_from_pkey(nil, key, nil) else {
            throw OpenSSLError.failure("EVP_PKEY_CTX_new_from_pkey")
        }
        defer { EVP_PKEY_CTX_free(checkContext) }
        guard EVP_PKEY_public_check(checkContext) == 1 else {
            throw OpenSSLError.failure("checking the P-256 public key", code: JOSEError.badKey)
        }
        return result
    }

    /// EVP_PKEY_fromdata for an EC public key; nil on any failure, with the reason left queued.
    private static func ecPublicKey(groupKey: UnsafePointer<CChar>, group: UnsafePointer<CChar>,
                                    publicKeyKey: UnsafePointer<CChar>, point: UnsafeRawBufferPointer) -> OpaquePointer? {
        guard let builder = OSSL_PARAM_BLD_new() else { return nil }
        defer { OSSL_PARAM_BLD_free(builder) }
        guard OSSL_PARAM_BLD_push_utf8_string(builder, groupKey, group, 0) == 1,
              OSSL_PARAM_BLD_push_octet_string(builder, publicKeyKey, point.baseAddress, point.count) == 1,
              let params = OSSL_PARAM_BLD_to_param(builder)
        else { return nil }
        defer { OSSL_PARAM_free(params) }
        guard let context = EVP_PKEY_CTX_new_from_name(nil, "EC", nil) else { return nil }
        defer { EVP_PKEY_CTX_free(context) }
        // EVP_PKEY_PUBLIC_KEY is a nested macro Swift cannot import; this is its definition.
        let selection = Int32(OSSL_KEYMGMT_SELECT_ALL_PARAMETERS | OSSL_KEYMGMT_SELECT_PUBLIC_KEY)
        var key: OpaquePointer?
        guard EVP_PKEY_fromdata_init(context) == 1, EVP_PKEY_fromdata(context, &key, selection, params) == 1 else {
            return nil
        }
        return key
    }

    // MARK: Inspection

    /// The algorithm this key signs with, or `jose.unsupported_algorithm` for other key types and curves.
    func algorithm() throws -> JWSAlgorithm {
        if EVP_PKEY_is_a(pointer, "ED25519") == 1 { return .edDSA }
        if EVP_PKEY_is_a(pointer, "EC") == 1 {
            var name = [CChar](repeating: 0, count: 64)
            var length = 0
            guard EVP_PKEY_get_group_name(pointer, &name, name.count, &length) == 1 else {
                throw OpenSSLError.failure("reading the EC group", code: JOSEError.badKey)
            }
            let group = String(decoding: name.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            guard group == "prime256v1" || group == "P-256" else {
                throw JOSEError.unsupportedAlgorithm("EC keys must be on P-256, not \(group)")
            }
            return .es256
        }
        throw JOSEError.unsupportedAlgorithm("only Ed25519 and P-256 keys are supported")
    }

    /// The public key as JWK members: Ed25519's 32 bytes as `x`, or P-256's coordinates.
    func publicComponents(_ algorithm: JWSAlgorithm) throws -> (x: [UInt8], y: [UInt8]?) {
        switch algorithm {
        case .edDSA:
            var bytes = [UInt8](repeating: 0, count: 32)
            var length = 32
            guard EVP_PKEY_get_raw_public_key(pointer, &bytes, &length) == 1, length == 32 else {
                throw OpenSSLError.failure("reading the Ed25519 public key", code: JOSEError.badKey)
            }
            return (bytes, nil)
        case .es256:
            return (try coordinate(OSSL_PKEY_PARAM_EC_PUB_X), try coordinate(OSSL_PKEY_PARAM_EC_PUB_Y))
        }
    }

    /// One affine coordinate, left-padded to 32 bytes (JWK requires the full field size, RFC 7518 §6.2.1.2).
    private func coordinate(_ name: String) throws -> [UInt8] {
        var number: OpaquePointer?
        guard EVP_PKEY_get_bn_param(pointer, name, &number) == 1, let number else {
            throw OpenSSLError.failure("reading the P-256 public key", code: JOSEError.badKey)
        }
        defer { BN_free(number) }
        var bytes = [UInt8](repeating: 0, count: 32)
        guard BN_bn2binpad(number, &bytes, 32) == 32 else {
            throw OpenSSLError.failure("encoding a P-256 coordinate", code: JOSEError.badKey)
        }
        return bytes
    }

    /// The private key as an unencrypted PKCS#8 PEM document.
    func pkcs8PEM() throws -> String {
        guard let bio = BIO_new(BIO_s_mem()) else { throw OpenSSLError.failure("BIO_new") }
        defer { BIO_free(bio) }
        guard PEM_write_bio_PKCS8PrivateKey(bio, pointer, nil, nil, 0, nil, nil) == 1 else {
            throw OpenSSLError.failure("writing the PKCS#8 PEM")
        }
        let pending = Int(BIO_ctrl_pending(bio))
        var bytes = [UInt8](repeating: 0, count: pending)
        guard pending > 0, BIO_read(bio, &bytes, Int32(pending)) == Int32(pending) else {
            throw OpenSSLError.failure("reading the PKCS#8 PEM")
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: Signatures

    /// A JWS signature of `message`: Ed25519's 64 bytes, or ES256's `r || s`.
    func sign(_ message: [UInt8], _ algorithm: JWSAlgorithm) throws -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else { throw OpenSSLError.failure("EVP_MD_CTX_new") }
        defer { EVP_MD_CTX_free(context) }
        // Ed25519 hashes internally and must be given no digest; ECDSA signs a SHA-256 digest.
        let digest = algorithm == .edDSA ? nil : EVP_sha256()
        guard EVP_DigestSignInit(context, nil, digest, nil, pointer) == 1 else {
            throw OpenSSLError.failure("EVP_DigestSignInit")
        }
        // 72 bytes holds both a 64-byte Ed25519 signature and the longest P-256 DER signature.
        var signature = [UInt8](repeating: 0, count: 72)
        var length = signature.count
        let ok = message.withUnsafeBufferPointer { input in
            withNonNullBase(input) { base in
                EVP_DigestSign(context, &signature, &length, base, input.count)
            }
        }
        guard ok == 1, length <= signature.count else { throw OpenSSLError.failure("EVP_DigestSign") }
        signature.removeLast(signature.count - length)
        switch algorithm {
        case .edDSA:
            return signature
        case .es256:
            guard let raw = ECDSASignature.raw(fromDER: signature) else {
                throw OpenSSLError.failure("converting the ECDSA signature")
            }
            return raw
        }
    }

    /// Whether `signature` (in JWS form) is a valid signature of `message` by this key.
    func verify(signature: [UInt8], message: [UInt8], _ algorithm: JWSAlgorithm) -> Bool {
        guard signature.count == 64 else { return false }
        let encoded: [UInt8]
        switch algorithm {
        case .edDSA:
            encoded = signature
        case .es256:
            guard let der = ECDSASignature.der(fromRaw: signature) else { return false }
            encoded = der
        }
        guard let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        let digest = algorithm == .edDSA ? nil : EVP_sha256()
        guard EVP_DigestVerifyInit(context, nil, digest, nil, pointer) == 1 else {
            ERR_clear_error()
            return false
        }
        let result = message.withUnsafeBufferPointer { input in
            withNonNullBase(input) { base in
                EVP_DigestVerify(context, encoded, encoded.count, base, input.count)
            }
        }
        // A failed verification queues an error; clear it so it cannot be reported by an
        // unrelated OpenSSL call later on this thread.
        if result != 1 { ERR_clear_error() }
        return result == 1
    }

    /// Calls `body` with the buffer's base address, or with the address of a dummy byte for an
    /// empty buffer, because some OpenSSL paths treat a NULL input as an error even with length 0.
    private func withNonNullBase<R>(_ buffer: UnsafeBufferPointer<UInt8>, _ body: (UnsafePointer<UInt8>) -> R) -> R {
        if let base = buffer.baseAddress { return body(base) }
        var byte: UInt8 = 0
        return withUnsafePointer(to: &byte) { body($0) }
    }
}
