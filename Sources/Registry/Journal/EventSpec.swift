/// An event to journal with a ``Journal`` write: its kind, the id and name it is about, and a
/// generation. The journal gives it its index and time.
public struct EventSpec: Sendable, Hashable {
    public var kind: RegistryEvent.Kind
    public var id: String?
    public var name: String?
    public var generation: Int64?

    public init(_ kind: RegistryEvent.Kind, id: String? = nil, name: String? = nil, generation: Int64? = nil) {
        self.kind = kind
        self.id = id
        self.name = name
        self.generation = generation
    }
}
