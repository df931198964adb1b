import Ontology

/// The site's log in etcd: entry P is the key `<prefix>/log/<P, 20 digits>`, created only if
/// absent (a transaction comparing the key's create revision with 0), so that exactly one
/// node's write takes each position.
///
/// An entry larger than ``chunkSize`` (etcd takes requests up to 1.5 MiB by default) is written
/// first as chunks under `<prefix>/chunk/<P>/<node>/`, which no reader looks at, and then as a
/// small log entry naming them: the log key is still the one commit point, so a large import
/// becomes visible on every node at once, never in part. A node that loses the race for P
/// deletes its chunks.
struct EtcdLog: ReplicationLog {
    let client: EtcdClient
    /// `<prefix>/log/`.
    let logPrefix: [UInt8]
    /// `<prefix>/chunk/`.
    let chunkPrefix: [UInt8]
    /// The largest value written in one put.
    let chunkSize: Int

    init(client: EtcdClient, prefix: String, chunkSize: Int = 1 << 20) {
        self.client = client
        self.logPrefix = Array((prefix + "/log/").utf8)
        self.chunkPrefix = Array((prefix + "/chunk/").utf8)
        self.chunkSize = chunkSize
    }

    static func padded(_ number: Int64) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits
    }

    func key(_ position: Int64) -> [UInt8] { logPrefix + Array(Self.padded(position).utf8) }

    private func chunks(of entry: ReplicatedEntry) -> [UInt8] {
        chunkPrefix + Array((Self.padded(entry.position) + "/" + entry.origin + "/").utf8)
    }

    /// What the log key holds for a chunked entry: this marker, then the chunks' key prefix.
    private static let chunkedMarker = Array("RDC1".utf8)

    /// Creates the entry's key. A try that timed out may still have landed, and the client
    /// then tries again: finding exactly these bytes at the position means this write is in
    /// the log (an entry names its node, and a node writes one entry per position).
    func append(_ entry: ReplicatedEntry) throws {
        var bytes = entry.serialized()
        var chunked: [UInt8]?
        if bytes.count > chunkSize {
            let prefix = chunks(of: entry)
            var number = 0
            for start in stride(from: 0, to: bytes.count, by: chunkSize) {
                let key = prefix + Array(Self.padded(Int64(number)).utf8)
                try client.put(key, value: Array(bytes[start..<min(start + chunkSize, bytes.count)]))
                number += 1
            }
            chunked = prefix
            bytes = Self.chunkedMarker + prefix
        }
        let key = key(entry.position)
        guard try client.create(key, value: bytes) else {
            if try client.range(key).kvs.first?.value == bytes { return }
            if let chunked { try? client.deletePrefix(chunked) }
            throw ReplicationConflict(position: entry.position)
        }
    }

    func entries(after position: Int64, limit: Int) throws -> [ReplicatedEntry] {
        let (_, kvs) = try client.range(key(position + 1), end: EtcdClient.prefixEnd(logPrefix), limit: limit)
        return try kvs.map { kv in
            guard kv.value.starts(with: Self.chunkedMarker) else { return try ReplicatedEntry(serialized: kv.value) }
            let prefix = Array(kv.value.dropFirst(Self.chunkedMarker.count))
            let parts = try client.range(prefix, end: EtcdClient.prefixEnd(prefix)).kvs
            return try ReplicatedEntry(serialized: parts.flatMap(\.value))
        }
    }

    // MARK: Compaction
    //
    // The log does not grow for ever: the node that holds the election deletes the entries
    // every live node has applied, keeping the newest ones (``ClusterNode``), and records the
    // first entry left in `<prefix>/log-start`. A node further behind than that (new, or away
    // for long) starts from another node's snapshot instead (`/v1/cluster/snapshot`).

    var startKey: [UInt8] { Array(logPrefix.dropLast(1)) + Array("-start".utf8) }

    /// The first position the log still holds (1 until it was first compacted).
    func start() throws -> Int64 {
        try client.range(startKey).kvs.first.flatMap { Int64(String(decoding: $0.value, as: UTF8.self)) } ?? 1
    }

    /// Deletes the entries before `position` (and their chunks); `position` becomes the start.
    func compact(before position: Int64) throws {
        let current = try start()
        guard position > current else { return }
        // The start first: a reader that finds an entry gone knows why.
        try client.put(startKey, value: Array(String(position).utf8))
        try client.deleteRange(key(current), end: key(position))
        try client.deleteRange(chunkPrefix + Array(Self.padded(current).utf8), end: chunkPrefix + Array(Self.padded(position).utf8))
    }

    /// The position of the log's last entry (a linearizable read: fails without quorum).
    func head() throws -> Int64 {
        let (_, kvs) = try client.range(logPrefix, end: EtcdClient.prefixEnd(logPrefix), limit: 1, keysOnly: true, descending: true)
        return kvs.last.flatMap { Int64(String(decoding: $0.key.dropFirst(logPrefix.count), as: UTF8.self)) } ?? 0
    }
}
