import Synchronization

/// Keeps the schema of earlier queries while the statements it was built from are unchanged,
/// so that reasoning does not rebuild the closures for every query.
///
/// Building an ``RDFSSchema`` over SOSA, SSN and IoT-Lite takes about a millisecond; a point
/// query on the store takes a few microseconds. A server keeps one cache and asks it for the
/// schema of each query's snapshot:
///
/// ```swift
/// let schemas = RDFSSchemaCache()
/// // for each query:
/// let dataset = StoreDataset(snapshot)
/// let reasoning = ReasoningDataset(base: dataset, schema: schemas.schema(reading: dataset, version: changeIndex))
/// ```
///
/// With a `version` (a store generation, the registry's change index...) that the caller
/// changes whenever the data changes, a repeated version answers without reading anything.
/// Without one, the cache reads the schema statements (a few indexed lookups) and rebuilds
/// only when they differ from last time: still correct when the caller has no version, and
/// cheaper than building.
public final class RDFSSchemaCache: Sendable {
    private struct Entry: Sendable {
        var version: AnyHashableSendable?
        var statements: [Triple]
        var schema: RDFSSchema
    }

    /// A version with its type erased; `Sendable` because only `Sendable` versions come in.
    private struct AnyHashableSendable: Hashable, @unchecked Sendable {
        let value: AnyHashable
    }

    private let entry = Mutex<Entry?>(nil)

    public init() {}

    /// The schema of `dataset`'s default graph, reusing the cached one when `version` is the
    /// one it was built for, or, without a version, when the schema statements are the same.
    public func schema(reading dataset: any QueryableDataset, version: (any Hashable & Sendable)? = nil) -> RDFSSchema {
        let key = version.map { AnyHashableSendable(value: AnyHashable($0)) }
        if let key, let cached = entry.withLock({ $0 }), cached.version == key { return cached.schema }
        let statements = RDFSSchema.statements(in: dataset)
        if let cached = entry.withLock({ $0 }), cached.statements == statements {
            entry.withLock { $0?.version = key }
            return cached.schema
        }
        let schema = RDFSSchema(statements: statements)
        entry.withLock { $0 = Entry(version: key, statements: statements, schema: schema) }
        return schema
    }

    /// Forgets the cached schema.
    public func removeAll() {
        entry.withLock { $0 = nil }
    }
}
