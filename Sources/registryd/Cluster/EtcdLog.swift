import Ontology

/// The site's log in etcd: entry P is the key `<prefix>/log/<P, 20 digits>`, created only if
/// absent (a transaction comparing the key's create revision with 0), so that exactly one
/// node's write takes each position.
struct EtcdLog: ReplicationLog {
    let client: EtcdClient
    /// `<prefix>/log/`.
    let logPrefix: [UInt8]

    init(client: EtcdClient, prefix: String) {
        self.client = client
        self.logPrefix = Array((prefix + "/log/").utf8)
    }

    func key(_ position: Int64) -> [UInt8] {
        let digits = String(position)
        return logPrefix + Array((String(repeating: "0", count: max(0, 20 - digits.count)) + digits).utf8)
    }

    /// Creates the entry's key. A try that timed out may still have landed, and the client
    /// then tries again: finding exactly these bytes at the position means this write is in
    /// the log (an entry names its node, and a node writes one entry per position).
    func append(_ entry: ReplicatedEntry) throws {
        let bytes = entry.serialized()
        let key = key(entry.position)
        guard try client.create(key, value: bytes) else {
            if try client.range(key).kvs.first?.value == bytes { return }
            throw ReplicationConflict(position: entry.position)
        }
    }

    func entries(after position: Int64, limit: Int) throws -> [ReplicatedEntry] {
        let (_, kvs) = try client.range(key(position + 1), end: EtcdClient.prefixEnd(logPrefix), limit: limit)
        return try kvs.map { try ReplicatedEntry(serialized: $0.value) }
    }

    /// The position of the log's last entry (a linearizable read: fails without quorum).
    func head() throws -> Int64 {
        let (_, kvs) = try client.range(logPrefix, end: EtcdClient.prefixEnd(logPrefix), limit: 1, keysOnly: true, descending: true)
        return kvs.last.flatMap { Int64(String(decoding: $0.key.dropFirst(logPrefix.count), as: UTF8.self)) } ?? 0
    }
}
