import ArgumentParser

/// Who may do what without a token, how long bindings live, how the gateway adapter reads
/// requests, and what the daemon itself may fetch.
struct AccessOptions: ParsableArguments {
    @Option(name: .customLong("anonymous-scope"), help: ArgumentHelp(
        "A scope for requests without a token, e.g. query (repeatable; none by default: such requests get 401).",
        valueName: "scope"))
    var anonymousScopes: [String] = []

    @Option(name: .customLong("binding-ttl"), help: "The longest a binding lives, in seconds (windows and credentials may end it sooner).")
    var bindingTTL: Int = 300

    @Flag(name: .customLong("gateway-headers"), help: "Let the gateway adapter read X-Registryd-API, X-Registryd-Action and X-Registryd-Prefix (the gateway must then set or clear them: a proxy forwards its client's headers).")
    var gatewayHeaders = false

    @Option(name: .customLong("gateway-action"), help: ArgumentHelp(
        "The action an original HTTP method asks for at the gateway adapter, METHOD=ACTION or METHOD=none to refuse it (repeatable; default: the RFC 9110 methods ask for call, others are refused).",
        valueName: "method=action"))
    var gatewayActions: [String] = []

    @Option(name: .customLong("pull-allow"), help: ArgumentHelp(
        "A host the registry may contact, for pull registration and health checks: NAME, NAME:PORT or *.DOMAIN (repeatable; none by default).",
        valueName: "host"))
    var pullAllow: [String] = []

    @Option(name: .customLong("load-allow-dir"), help: ArgumentHelp(
        "A directory SPARQL `LOAD <file:...>` may read RDF files from (none by default: LOAD reads no files; http(s) sources need --pull-allow).",
        valueName: "dir"))
    var loadAllowDirectory: String?

    func validate() throws {
        _ = try gateway()
        for scope in anonymousScopes where Scope(scope) == nil {
            throw ValidationError("--anonymous-scope: `\(scope)` is not a scope (admin, query, decide, register:<prefix>)")
        }
        guard bindingTTL > 0 else { throw ValidationError("--binding-ttl must be positive") }
    }

    /// The gateway adapter's settings, each `--gateway-action` checked.
    private func gateway() throws -> GatewaySettings {
        var gateway = GatewaySettings()
        gateway.trustsHeaders = gatewayHeaders
        for action in gatewayActions {
            do { try gateway.setAction(action) } catch { throw ValidationError(error.description) }
        }
        return gateway
    }

    func apply(to settings: inout ServerSettings) throws {
        settings.anonymousScopes = anonymousScopes.compactMap(Scope.init)
        settings.gateway = try gateway()
        settings.pullAllowedHosts = pullAllow
        settings.loadAllowedDirectory = loadAllowDirectory
    }
}
