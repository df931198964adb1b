import ArgumentParser

/// Where `serve` listens, and whether over TLS.
struct ListenOptions: ParsableArguments {
    @Option(help: "The address to listen on.")
    var host: String = "127.0.0.1"

    @Option(help: "The TCP port to listen on (0: any free port).")
    var port: Int = 8470

    @Option(name: .customLong("tls-cert"), help: ArgumentHelp("Serve HTTPS with this PEM certificate chain (needs --tls-key).", valueName: "file"))
    var tlsCertificate: String?

    @Option(name: .customLong("tls-key"), help: ArgumentHelp("The PEM private key of --tls-cert.", valueName: "file"))
    var tlsKey: String?

    @Option(name: .customLong("tls-client-ca"), help: ArgumentHelp(
        "Accept client certificates signed by these PEM CA certificates; a verified one authenticates its client (a gateway) with --tls-client-scope.",
        valueName: "file"))
    var tlsClientCA: String?

    @Option(name: .customLong("tls-client-scope"), help: ArgumentHelp("A scope of clients with a verified certificate (repeatable; default decide).", valueName: "scope"))
    var tlsClientScopes: [String] = []

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard (tlsCertificate == nil) == (tlsKey == nil) else { throw ValidationError("--tls-cert and --tls-key go together") }
        guard tlsCertificate != nil || (tlsClientCA == nil && tlsClientScopes.isEmpty) else {
            throw ValidationError("--tls-client-ca and --tls-client-scope need --tls-cert and --tls-key")
        }
        for scope in tlsClientScopes where Scope(scope) == nil {
            throw ValidationError("--tls-client-scope: `\(scope)` is not a scope (admin, query, decide, register:<prefix>)")
        }
    }

    /// Sets the address and TLS; a certificate or key that cannot be read is reported here,
    /// before anything starts.
    func apply(to settings: inout ServerSettings) throws {
        settings.host = host
        settings.port = port
        if let tlsCertificate, let tlsKey {
            settings.tls = TLSSettings(certificateFile: tlsCertificate, privateKeyFile: tlsKey, clientCAFile: tlsClientCA,
                                       clientScopes: tlsClientScopes.isEmpty ? [.decide] : tlsClientScopes.compactMap(Scope.init))
            _ = try settings.tls?.configuration()
        }
    }
}
