import Foundation
import JSON
import Logging
import NIOSSL
import Ontology
import Registry
import ServiceLifecycle
import Synchronization

/// This daemon as one node of a cluster: its store replicates the site's log in etcd
/// (``EtcdLog``), a watch on the log wakes it to apply what other nodes wrote, and lease
/// renewals are kept in etcd so that any node expires an instance at the same deadline.
///
/// The change index users see (`X-Registryd-Index`, event ids) is the journal's sequence, which
/// travels inside the log's entries: the same on every node, so a watcher can move to another
/// node with `Last-Event-ID`.
final class ClusterNode: Sendable {
    let name: String
    let client: EtcdClient
    let log: EtcdLog
    let prefix: String
    private let store: Mutex<QuadStore?> = Mutex(nil)
    private let wake = ChangeSignal(index: 0)
    private let wakeCount = Atomic<Int64>(0)
    private let status = Mutex(Status())
    /// Whether this node holds the site's election (``campaign()``).
    private let leading = Atomic<Bool>(false)
    private let electionLease = Mutex<String?>(nil)

    struct Status: Sendable {
        /// The log's last position, as last read from etcd.
        var head: Int64 = 0
        /// When etcd last answered (nil: never).
        var lastContact: Date?
        /// Why the last call to etcd failed, until one succeeds.
        var problem: String?
        /// The last round trip to etcd, in seconds.
        var roundTrip: Double = 0
    }

    /// How many of the newest log entries compaction keeps.
    let retainedEntries: Int64
    /// How often the leading node compacts the log.
    let compactionInterval: Duration
    /// The URL other nodes fetch this node's snapshot from (set once it listens).
    private let advertisedURL = Mutex<String?>(nil)
    /// The site's shared secret (`<prefix>/secret`), which a node presents for a snapshot.
    private let secretValue = Mutex<String?>(nil)

    init(name: String, endpoints: [String], prefix: String, tls: TLSConfiguration? = nil,
         retainedEntries: Int64 = 10_000, compactionInterval: Duration = .seconds(10)) {
        self.retainedEntries = max(1, retainedEntries)
        self.compactionInterval = compactionInterval
        self.name = name
        self.prefix = prefix.hasSuffix("/") ? String(prefix.dropLast()) : prefix
        self.client = EtcdClient(endpoints: endpoints, tls: tls)
        self.log = EtcdLog(client: client, prefix: self.prefix)
    }

    /// Where this node listens, for the other nodes (``report()``).
    func advertise(_ url: String) { advertisedURL.withLock { $0 = url } }

    /// The site's shared secret, created by the first node that asks.
    func secret() async throws -> String {
        if let known = secretValue.withLock({ $0 }) { return known }
        let key = Array((prefix + "/secret").utf8)
        var bytes = [UInt8](repeating: 0, count: 32)
        for index in bytes.indices { bytes[index] = UInt8.random(in: 0...255) }
        let fresh = Array(bytes.map { String(format: "%02x", $0) }.joined().utf8)
        _ = try await contact { try self.client.create(key, value: fresh) }
        guard let stored = try await contact({ try self.client.range(key).kvs.first?.value }) else {
            throw OntologyError(.replicationUnavailable, "etcd holds no cluster secret")
        }
        let text = String(decoding: stored, as: UTF8.self)
        secretValue.withLock { $0 = text }
        return text
    }

    /// Before the store opens: when the log no longer holds the entries after this node's
    /// position (a new node, or one away while the log was compacted), replaces the data
    /// directory's store with a snapshot from a node that is far enough.
    func prepare(dataDirectory: String) async throws {
        let start = try await contact { try self.log.start() }
        guard start > 1 else { return }
        let position = try QuadStore.replicaPosition(inDirectory: dataDirectory)
        guard position < start - 1 else { return }
        let secret = try await secret()
        let members = try await members()
        let sources = members.compactMap { member -> (String, Double)? in
            guard let url = member["url"]?.stringValue, let applied = member["applied"]?.numberValue,
                  applied >= Double(start - 1), member["name"]?.stringValue != name else { return nil }
            return (url, applied)
        }.sorted { $0.1 > $1.1 }
        var failures: [String] = []
        for (url, _) in sources {
            do {
                let file = dataDirectory + "/snapshot.partial"
                try await client.download(url + "/v1/cluster/snapshot", bearer: secret, to: file)
                defer { try? FileManager.default.removeItem(atPath: file) }
                _ = try QuadStore.restore(from: file, into: dataDirectory)
                return
            } catch {
                failures.append("\(url): \(error)")
            }
        }
        throw CommandFailure("this node is at log position \(position) and the log starts at \(start): it needs a snapshot, and no node gave one (\(failures.isEmpty ? "no node far enough reported a URL" : failures.joined(separator: "; ")))")
    }

    /// Makes `store` a replica of the site's log and brings it up to the log's head; before
    /// the registry opens on it, so that the registry starts from the site's state.
    func attach(to store: QuadStore) async throws {
        try store.replicate(through: log, node: name)
        self.store.withLock { $0 = store }
        let head = try await contact { try self.log.head() }
        status.withLock { $0.head = head }
        try await store.catchUpReplica()
    }

    /// What `/health` says of the node.
    var health: (position: Int64, head: Int64, problem: String?, lastContact: Date?) {
        let position = store.withLock { $0?.replicaPosition ?? 0 }
        return status.withLock { (position, max($0.head, position), $0.problem, $0.lastContact) }
    }

    /// The node's part of `/health` and `/v1/cluster/status`.
    var healthJSON: JSONValue {
        let health = self.health
        var value: [String: JSONValue] = [
            "name": .string(name), "applied": .number(Double(health.position)), "head": .number(Double(health.head)),
            "lag": .number(Double(health.head - health.position)), "last_contact_ms": .number(Double(staleness)),
            "leader": .bool(isLeader),
        ]
        if let problem = health.problem { value["etcd_problem"] = .string(problem) }
        return .object(value)
    }

    private var nodesPrefix: [UInt8] { Array((prefix + "/nodes/").utf8) }

    /// What every node last reported of itself in etcd (``report()``), by name.
    func members() async throws -> [JSONValue] {
        let prefix = nodesPrefix
        let kvs = try await contact { try self.client.range(prefix, end: EtcdClient.prefixEnd(prefix)).kvs }
        let head = status.withLock { $0.head }
        return kvs.compactMap { kv -> JSONValue? in
            guard case .object(var member)? = try? JSONValue.parse(kv.value) else { return nil }
            if let applied = member["applied"]?.numberValue { member["lag"] = .number(Double(head) - applied) }
            return .object(member)
        }
    }

    /// Writes this node's name, position and time under `<prefix>/nodes/`, for
    /// `registryd cluster status` and `/v1/cluster/status`.
    private func report() async {
        let key = nodesPrefix + Array(name.utf8)
        var value: [String: JSONValue] = ["name": .string(name), "applied": .number(Double(health.position)),
                                          "reported": .string(Timestamp.now.description),
                                          "reported_ms": .number(Double(Timestamp.now.milliseconds))]
        if let url = advertisedURL.withLock({ $0 }) { value["url"] = .string(url) }
        let text = JSONValue.object(value).jsonText
        _ = try? await contact { try self.client.put(key, value: Array(text.utf8)) }
    }

    var roundTrip: Double { status.withLock { $0.roundTrip } }

    /// Milliseconds since etcd last answered this node: how stale its reads may be.
    var staleness: Int64 {
        guard let contact = status.withLock({ $0.lastContact }) else { return -1 }
        return Int64(Date().timeIntervalSince(contact) * 1000)
    }

    /// Calls etcd off the concurrency pool (the client blocks), noting the round trip and failures.
    private func contact<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        let started = Date()
        do {
            let value = try await withCheckedThrowingContinuation { continuation in
                DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
            }
            status.withLock {
                $0.lastContact = Date()
                $0.roundTrip = Date().timeIntervalSince(started)
                $0.problem = nil
            }
            return value
        } catch {
            status.withLock { $0.problem = "\(error)" }
            throw error
        }
    }

    /// Waits until this node holds every entry the log holds now (a linearizable read of its
    /// head): what `?consistent` reads ask for.
    func catchUpToHead() async throws {
        let head = try await contact { try self.log.head() }
        status.withLock { $0.head = max($0.head, head) }
        guard let store = store.withLock({ $0 }) else { return }
        while store.replicaPosition < head {
            try await store.catchUpReplica()
        }
    }

    // MARK: Leases

    private func leaseKey(_ id: String) -> [UInt8] { Array((prefix + "/lease/" + id).utf8) }

    /// Keeps a renewal where every node sees it.
    func publishLease(id: String, expires: Int64) async throws {
        let key = leaseKey(id)
        try await contact { try self.client.put(key, value: Array(String(expires).utf8)) }
    }

    /// Before this node expires the leases it sees as run out: takes the later deadline of
    /// each from etcd (a renewal through another node), so that only leases no node renewed go.
    /// Returns the leases confirmed as run out; one whose deadline etcd cannot give now is not
    /// among them (a node cut off from etcd expires nothing; the others do).
    func confirmExpiries(on registry: Registry) async -> Set<String> {
        var confirmed: Set<String> = []
        for id in registry.expiredLeases() {
            let key = leaseKey(id)
            guard let kvs = try? await contact({ try self.client.range(key).kvs }) else { continue }
            if let value = kvs.first.flatMap({ Int64(String(decoding: $0.value, as: UTF8.self)) }) {
                registry.extendLease(of: id, to: value)
            }
            confirmed.insert(id)
        }
        return confirmed
    }

    // MARK: Compaction

    /// How long a node may be silent before compaction stops waiting for it (it will start
    /// from a snapshot when it comes back).
    static let silentNodeLimit: Int64 = 60_000

    /// Deletes the entries every node that reported lately has applied, keeping the newest
    /// ``retainedEntries``; run by the leading node.
    private func compact(logger: Logger) async {
        guard let reports = try? await members() else { return }
        let now = Timestamp.now.milliseconds
        let live = reports.filter { Int64($0["reported_ms"]?.numberValue ?? 0) > now - Self.silentNodeLimit }
        let head = status.withLock { $0.head }
        guard let slowest = live.compactMap({ $0["applied"]?.numberValue }).min() else { return }
        let cut = min(Int64(slowest), head - retainedEntries)
        guard cut > 0 else { return }
        do {
            try await contact { try self.log.compact(before: cut + 1) }
        } catch {
            logger.warning("cannot compact the cluster log", metadata: ["error": "\(error)"])
        }
    }

    // MARK: Election
    //
    // Work that must happen once per site (health checks: one probe per interval, one health
    // write per change) is done by the node that holds `<prefix>/leader`, a key under an etcd
    // lease of `electionTTL` seconds that it keeps alive. When it dies or loses etcd, the lease
    // runs out and another node takes the key.

    static let electionTTL = 3

    /// Whether this node does the site's once-only work now.
    var isLeader: Bool { leading.load(ordering: .sequentiallyConsistent) }

    /// The node that holds the election, as last seen.
    private let leaderName = Mutex<String?>(nil)
    var leader: String? { leaderName.withLock { $0 } }
    /// Every node's URL as last reported, by name.
    private let peers = Mutex<[String: String]>([:])

    /// Where the node that holds the election listens, when that is another node.
    var leaderURL: String? {
        guard !isLeader, let leader, leader != name else { return nil }
        return peers.withLock { $0[leader] }
    }

    /// Waits until this node has applied `position` (or `timeout` passes).
    func waitUntilApplied(_ position: Int64, timeout: Duration) async {
        guard let store = store.withLock({ $0 }) else { return }
        let deadline = ContinuousClock.now + timeout
        while store.replicaPosition < position, ContinuousClock.now < deadline {
            _ = try? await store.catchUpReplica()
            if store.replicaPosition < position { try? await Task.sleep(for: .milliseconds(2)) }
        }
    }

    /// One round: while this node holds the key under its lease, keeps the lease alive;
    /// when nobody holds it, tries to take it. A key left under this node's name by a lease it
    /// no longer keeps (etcd was away) is deleted, so that a fresh election follows.
    private func campaign() async {
        let key = Array((prefix + "/leader").utf8)
        let name = Array(self.name.utf8)
        do {
            let held = try await contact { try self.client.range(key).kvs.first }
            let mine = electionLease.withLock { $0 }
            if let held {
                leaderName.withLock { $0 = String(decoding: held.value, as: UTF8.self) }
                if held.value == name, let mine, held.lease == mine, try await contact({ try self.client.keepAlive(lease: mine) }) > 0 {
                    leading.store(true, ordering: .sequentiallyConsistent)
                    return
                }
                leading.store(false, ordering: .sequentiallyConsistent)
                if held.value == name { try await contact { try self.client.delete(key) } }
                return
            }
            leading.store(false, ordering: .sequentiallyConsistent)
            let lease = try await contact { try self.client.grantLease(ttl: Self.electionTTL) }
            let (created, holder) = try await contact { try self.client.create(key, value: name, lease: lease) }
            leaderName.withLock { $0 = holder.map { String(decoding: $0, as: UTF8.self) } }
            if created {
                electionLease.withLock { $0 = lease }
                leading.store(true, ordering: .sequentiallyConsistent)
            }
        } catch {
            // Without etcd this node cannot know that it still leads: it stops.
            leading.store(false, ordering: .sequentiallyConsistent)
        }
    }

    // MARK: Following the log

    /// Applies other nodes' entries as the watch announces them (and every second, should a
    /// watch event be lost), until shutdown.
    func follow(logger: Logger) async {
        await withDiscardingTaskGroup { group in
            group.addTask { await self.watchLog(logger: logger) }
            var lastReport = ContinuousClock.now - .seconds(10)
            var lastCompaction = ContinuousClock.now
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                if ContinuousClock.now - lastReport > .seconds(1) {
                    lastReport = .now
                    // The log's head once a second, for the lag on /health and /metrics.
                    if let head = try? await contact({ try self.log.head() }) {
                        status.withLock { $0.head = max($0.head, head) }
                    }
                    await report()
                    if let reports = try? await members() {
                        let urls = reports.reduce(into: [String: String]()) { urls, member in
                            if let name = member["name"]?.stringValue, let url = member["url"]?.stringValue { urls[name] = url }
                        }
                        peers.withLock { $0 = urls }
                    }
                    await campaign()
                    if isLeader, ContinuousClock.now - lastCompaction > compactionInterval {
                        lastCompaction = .now
                        await compact(logger: logger)
                    }
                }
                // Read before applying: a wake during the catch-up is not lost.
                let seen = wakeCount.load(ordering: .sequentiallyConsistent)
                if let store = store.withLock({ $0 }) {
                    do {
                        try await store.catchUpReplica()
                        status.withLock { $0.head = max($0.head, store.replicaPosition) }
                    } catch {
                        status.withLock { $0.problem = "\(error)" }
                        logger.warning("cannot apply the cluster log", metadata: ["error": "\(error)"])
                    }
                }
                await wake.wait(after: seen, timeout: .seconds(1))
            }
            group.cancelAll()
        }
    }

    private func watchLog(logger: Logger) async {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await client.watch(prefix: log.logPrefix, from: 0) { [self] in
                    status.withLock { $0.lastContact = Date() }
                    let next = wakeCount.add(1, ordering: .sequentiallyConsistent).newValue
                    wake.publish(next)
                }
            } catch {
                if Task.isCancelled { return }
                logger.debug("cluster watch ended", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: .milliseconds(500))
        }
    }
}

/// Runs ``ClusterNode/follow(logger:)`` as one of the daemon's services.
struct ClusterFollower: Service {
    let node: ClusterNode
    let logger: Logger

    func run() async throws {
        await node.follow(logger: logger)
    }
}
