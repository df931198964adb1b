import NIOSSL

/// `serve --tls-cert --tls-key [--tls-client-ca]`: HTTPS, optionally with client certificates.
struct TLSSettings: Sendable {
    /// PEM file with the server's certificate chain.
    var certificateFile: String
    /// PEM file with the server's private key.
    var privateKeyFile: String
    /// PEM file with the CA certificates that sign client certificates. When set, a client may
    /// present a certificate (one that does not verify fails the handshake); one that does is
    /// authenticated with ``clientScopes`` instead of a token.
    var clientCAFile: String?
    /// Scopes granted to a verified client certificate (`--tls-client-scope`, default `decide`).
    var clientScopes: [Scope] = [.decide]

    /// NIOSSL's server configuration, or a one-line reason the files cannot be used.
    func configuration() throws(CommandFailure) -> TLSConfiguration {
        let chain: [NIOSSLCertificate]
        let key: NIOSSLPrivateKey
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificateFile)
        } catch {
            throw CommandFailure("--tls-cert \(certificateFile): not a readable PEM certificate (\(error))")
        }
        guard !chain.isEmpty else { throw CommandFailure("--tls-cert \(certificateFile): no certificate in the file") }
        do {
            key = try NIOSSLPrivateKey(file: privateKeyFile, format: .pem)
        } catch {
            throw CommandFailure("--tls-key \(privateKeyFile): not a readable PEM private key (\(error))")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        if let clientCAFile {
            let roots: [NIOSSLCertificate]
            do {
                roots = try NIOSSLCertificate.fromPEMFile(clientCAFile)
            } catch {
                throw CommandFailure("--tls-client-ca \(clientCAFile): not a readable PEM certificate (\(error))")
            }
            guard !roots.isEmpty else { throw CommandFailure("--tls-client-ca \(clientCAFile): no certificate in the file") }
            configuration.trustRoots = .certificates(roots)
            configuration.certificateVerification = .optionalVerification
        }
        return configuration
    }
}
