import Ontology

/// One keyed record to write through a ``Journal`` (or delete, when `value` is nil): the
/// store's own record change, which is also what a cluster log entry carries.
///
/// Collections are owned by the module that writes them: the registry's (`service`, `host`,
/// `pin`), the access service's (`access.*`), tokens (`token`).
public typealias RecordChange = ReplicatedRecord
