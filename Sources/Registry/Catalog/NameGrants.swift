/// The answers of a ``NameAuthorization`` for every name a write may touch, asked before the
/// write: the store's single writer then only looks them up, and never waits on a policy
/// decision inside its transaction.
struct NameGrants: Sendable {
    private var answers: [ServiceName: Bool] = [:]

    /// Asks `authorize` about each name once.
    static func ask<S: Sequence>(_ names: S, _ authorize: NameAuthorization) async -> NameGrants where S.Element == ServiceName {
        var grants = NameGrants()
        for name in names where grants.answers[name] == nil { grants.answers[name] = await authorize(name) }
        return grants
    }

    /// Whether the name was asked about and allowed.
    func allows(_ name: ServiceName) -> Bool { answers[name] == true }

    /// Throws `auth.forbidden` with `message` when the name is refused, and `registry.conflict`
    /// when it was not asked about: what the write touches changed between the question and
    /// the write (another client renamed the registration meanwhile), so the client retries.
    func require(_ name: ServiceName, _ message: @autoclosure () -> String) throws {
        switch answers[name] {
        case true?: return
        case false?: throw RegistryError(.forbidden, message())
        case nil: throw RegistryError(.conflict, "the registration changed while this request was authorized; retry")
        }
    }
}
