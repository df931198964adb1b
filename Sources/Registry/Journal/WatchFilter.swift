/// Which changes a watcher wants: an event stream or a long-poll wakes only for events that
/// match (Consul's watchers all wake on every change of the catalog, hashicorp/consul#1244).
///
/// Every criterion given must hold. A `reset` event (the watcher missed discarded events)
/// matches every filter, since the watcher must re-list whatever it watches.
public struct WatchFilter: Sendable, Hashable {
    /// How an event's `name` must relate to a name.
    public enum NameMatch: Sendable, Hashable {
        /// The event's name lies under this prefix (``ServiceName/isCovered(byPrefix:)``: a
        /// prefix without a trailing `/` covers the name itself and the names below it).
        case prefix(String)
        /// The event is about this name or a name it is a member of: what a resolve of the
        /// name depends on (a method's name resolves through its service's registrations).
        case resolving(String)
    }

    public var name: NameMatch?
    /// Event kinds (`service.health`), or families ending in `.*` (`service.*`); empty: all.
    public var kinds: Set<String>
    /// One registration (or host) id.
    public var id: String?
    /// Kinds (or `.*` families) that match whatever the other criteria say: a resolve also
    /// depends on the policies' routes, whose changes name no service.
    public var alwaysKinds: Set<String>

    public init(name: NameMatch? = nil, kinds: Set<String> = [], id: String? = nil, alwaysKinds: Set<String> = []) {
        self.name = name
        self.kinds = kinds
        self.id = id
        self.alwaysKinds = alwaysKinds
    }

    /// Whether the filter lets every event through.
    public var isEmpty: Bool { name == nil && kinds.isEmpty && id == nil }

    public func matches(_ event: RegistryEvent) -> Bool {
        if event.type == .reset { return true }
        if !alwaysKinds.isEmpty, alwaysKinds.contains(event.type.rawValue) || alwaysKinds.contains(Self.family(of: event.type.rawValue)) {
            return true
        }
        if let id, event.id != id { return false }
        if !kinds.isEmpty, !kinds.contains(event.type.rawValue), !kinds.contains(Self.family(of: event.type.rawValue)) {
            return false
        }
        switch name {
        case nil:
            return true
        case .prefix(let prefix):
            guard let eventName = event.name else { return false }
            return ServiceName.name(eventName, isCoveredBy: prefix)
        case .resolving(let resolved):
            guard let eventName = event.name else { return false }
            return ServiceName.name(resolved, isCoveredBy: eventName)
        }
    }

    /// `service.*` for `service.health`.
    static func family(of kind: String) -> String {
        guard let dot = kind.lastIndex(of: ".") else { return kind + ".*" }
        return kind[..<dot] + ".*"
    }

    /// The name and its ancestors at `/` boundaries, longest first: `a/b/c`, `a/b`, `a`.
    static func selfAndAncestors(of name: String) -> [String] {
        var result = [name]
        var rest = Substring(name)
        while let slash = rest.lastIndex(of: "/") {
            rest = rest[..<slash]
            if !rest.isEmpty { result.append(String(rest)) }
        }
        return result
    }
}
