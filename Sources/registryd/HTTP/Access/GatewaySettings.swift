import AccessControl

/// How the gateway adapter reads a request (`serve --gateway-headers`, `--gateway-action`).
struct GatewaySettings: Sendable {
    /// Whether `X-Registryd-API`, `X-Registryd-Action` and `X-Registryd-Prefix` are read. Off by
    /// default: a proxy forwards its client's headers unless told otherwise, so the client
    /// would choose what is judged.
    var trustsHeaders = false
    /// The action each original HTTP method asks for. A method not listed is refused (403
    /// `gateway.refused_method`): an extension method (`PROPFIND`, `TRACE`...) is never judged
    /// as if it were a call.
    var actions: [String: Action] = Self.defaultActions

    /// Every method of RFC 9110 that an API is called with.
    static let defaultActions: [String: Action] = [
        "GET": .call, "HEAD": .call, "POST": .call, "PUT": .call, "PATCH": .call, "DELETE": .call, "OPTIONS": .call,
    ]

    /// Reads `METHOD=ACTION` (e.g. `DELETE=destroy`, or `DELETE=none` to refuse the method).
    mutating func setAction(_ text: String) throws(GatewaySettingsError) {
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].allSatisfy({ $0.isLetter }) else { throw GatewaySettingsError(text) }
        let method = parts[0].uppercased()
        if parts[1] == "none" {
            actions[method] = nil
            return
        }
        guard let action = Action(rawValue: parts[1]) else { throw GatewaySettingsError(text) }
        actions[method] = action
    }
}

/// A `--gateway-action` value that is not `METHOD=ACTION`.
struct GatewaySettingsError: Error, CustomStringConvertible {
    let text: String
    init(_ text: String) { self.text = text }
    var description: String {
        "--gateway-action: `\(text)` is not METHOD=ACTION (ACTION: call, provide, publish, subscribe, create, destroy or none)"
    }
}
