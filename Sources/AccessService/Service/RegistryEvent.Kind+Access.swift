import Registry

/// The access service's events in the site's change log.
extension RegistryEvent.Kind {
    /// The policy set changed (a new generation took effect).
    public static let policyChanged: Self = "policy.changed"
    public static let authorityChanged: Self = "authority.changed"
    public static let subjectChanged: Self = "subject.changed"
    /// A binding must no longer be honoured: revoked by an admin, withdrawn by a policy
    /// change, or its instance went away. Gateways drop it from their caches.
    public static let bindingRevoked: Self = "binding.revoked"
    /// A new key signs bindings (`/.well-known/jwks.json` changed).
    public static let keysRotated: Self = "keys.rotated"
}
