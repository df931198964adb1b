/// One keyed record to write through a ``Journal`` (or delete, when `value` is nil).
///
/// Collections are owned by the module that writes them: the registry's (`service`, `host`,
/// `pin`), the access service's (`access.*`), tokens (`token`).
public struct RecordChange: Sendable, Hashable {
    public var collection: String
    public var key: String
    public var value: String?

    public init(collection: String, key: String, value: String?) {
        self.collection = collection
        self.key = key
        self.value = value
    }
}
