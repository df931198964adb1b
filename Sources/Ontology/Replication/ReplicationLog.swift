/// The site's ordered log of writes, which a replicated store commits through (cluster mode:
/// etcd). The store calls it on its writer queue, so both calls block.
///
/// A node writes by evaluating on its replica at position P and appending the result at P + 1
/// only if the log holds nothing there yet: two nodes that write at once cannot both succeed,
/// and the one that loses applies the winner's entry and runs its write again.
public protocol ReplicationLog: Sendable {
    /// Appends `entry` at `entry.position`, if the log holds no entry there yet.
    /// - Throws: ``ReplicationConflict`` when an entry is there already; another error when the
    ///   log cannot take it (then nothing was written).
    func append(_ entry: ReplicatedEntry) throws

    /// The entries after `position`, oldest first, at most `limit`.
    func entries(after position: Int64, limit: Int) throws -> [ReplicatedEntry]
}

/// Thrown by ``ReplicationLog/append(_:)`` when another node appended at that position first.
public struct ReplicationConflict: Error, Sendable {
    public let position: Int64
    public init(position: Int64) { self.position = position }
}

/// What a replicated store tells the owners of in-memory state (the registry, the access
/// service) when it applies entries written by other nodes.
public struct ReplicaApplication: Sendable {
    /// The entries applied, oldest first.
    public let entries: [ReplicatedEntry]
    /// Every record change of those entries, in order.
    public var records: [ReplicatedRecord] { entries.flatMap(\.records) }
}
