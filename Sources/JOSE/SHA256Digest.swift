import COpenSSL

/// SHA-256 through OpenSSL, for thumbprints and names derived from ids.
public enum SHA256Digest {
    public static func hash(_ bytes: [UInt8]) throws -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let ok = bytes.withUnsafeBufferPointer { input in
            digest.withUnsafeMutableBufferPointer { output in
                EVP_Digest(input.baseAddress, input.count, output.baseAddress, &length, EVP_sha256(), nil)
            }
        }
        guard ok == 1, length == 32 else { throw OpenSSLError.failure("SHA-256") }
        return digest
    }

    /// The digest of `text`'s UTF-8 in lower-case hex.
    public static func hex(_ text: String) throws -> String {
        try hash(Array(text.utf8)).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}
