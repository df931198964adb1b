import Registry

/// Who is calling: the token a request presented, with its scopes.
struct Principal: Sendable, Hashable {
    /// The token's id (not its secret), for logs and ownership.
    var tokenID: String
    var scopes: [Scope]

    var isAdmin: Bool { scopes.contains(.admin) }

    /// Whether the principal may ask for decisions and read what they rest on (policies,
    /// bindings): a gateway's `decide` token, or an admin.
    var mayDecide: Bool { isAdmin || scopes.contains(.decide) }

    /// Whether the principal may read (query, list, resolve, watch). Registering services
    /// need to find their peers, so a register scope reads too.
    var canQuery: Bool {
        scopes.contains { scope in
            switch scope {
            case .admin, .query, .register: true
            case .decide: false
            }
        }
    }

    /// Whether the principal may write a service with this name.
    func mayRegister(_ name: ServiceName) -> Bool {
        scopes.contains { scope in
            switch scope {
            case .admin: true
            case .register(let prefix): name.isCovered(byPrefix: prefix)
            case .query, .decide: false
            }
        }
    }

    /// Whether the principal may register anything at all (for endpoints without a name yet).
    var mayRegisterSomething: Bool {
        scopes.contains { scope in
            switch scope {
            case .admin, .register: true
            case .query, .decide: false
            }
        }
    }
}
