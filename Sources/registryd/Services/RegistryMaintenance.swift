import Foundation
import Logging
import Ontology
import Prometheus
import Registry
import ServiceLifecycle

/// The daemon's background work: removes instances whose lease ran out, marks silent hosts
/// offline, and keeps the registry gauges of `/metrics` current.
struct RegistryMaintenance: Service {
    let registry: Registry
    let store: QuadStore
    let interval: Duration
    let checker: HealthChecker
    let logger: Logger
    /// Where the registry's gauges are kept (`/metrics`).
    let metrics: PrometheusCollectorRegistry
    /// Cluster mode: leases renewed through other nodes are read from etcd before expiring.
    var cluster: ClusterNode? = nil

    func run() async throws {
        // Health checks on their own loop: a hung check must not hold up lease expiry, which
        // withdraws the bindings of instances that are gone.
        await withDiscardingTaskGroup { group in
            group.addTask { [cluster] in
                await checker.run(on: registry, interval: interval, logger: logger, active: { cluster?.isLeader ?? true })
            }
            await sweep()
        }
        await checker.shutdown()
    }

    /// Expires leases, marks silent hosts offline, indexes graphs and keeps the gauges, every tick.
    private func sweep() async {
        let services = metrics.makeGauge(descriptor: MetricFamilies.services)
        let instances = metrics.makeGauge(descriptor: MetricFamilies.instances)
        let hosts = metrics.makeGauge(descriptor: MetricFamilies.hosts)
        let expiries = metrics.makeCounter(descriptor: MetricFamilies.leaseExpiries)
        let storeBytes = metrics.makeGauge(descriptor: MetricFamilies.storeSize)
        let changeIndex = metrics.makeGauge(descriptor: MetricFamilies.changeIndex)
        let heapAllocated = metrics.makeGauge(descriptor: MetricFamilies.heapAllocated)
        let heapResident = metrics.makeGauge(descriptor: MetricFamilies.heapResident)
        let indexPending = metrics.makeGauge(descriptor: MetricFamilies.graphIndexPending)
        let clusterLag = metrics.makeGauge(descriptor: MetricFamilies.clusterLag)
        let etcdRoundTrip = metrics.makeGauge(descriptor: MetricFamilies.etcdRoundTrip)
        let watchers = metrics.makeGauge(descriptor: MetricFamilies.watchers)
        let watchWakeups = metrics.makeCounter(descriptor: MetricFamilies.watchWakeups)
        var wakeupsCounted: Int64 = 0
        var ticks = 0
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let candidates = await cluster?.confirmExpiries(on: registry)
                let expired = try await registry.expireLeases(among: candidates)
                if !expired.isEmpty {
                    expiries.increment(by: Int64(expired.count))
                    logger.info("leases expired", metadata: ["instances": "\(expired.joined(separator: ","))"])
                }
                let offline = try await registry.markSilentHostsOffline()
                if !offline.isEmpty { logger.info("hosts offline", metadata: ["hosts": "\(offline.joined(separator: ","))"]) }
            } catch {
                logger.error("maintenance failed", metadata: ["error": "\(error)"])
            }
            // Registrations' graphs are indexed when first read. Here, so that readers rarely
            // wait: a tenth of a tick's time while writes go on, on every core once they pause,
            // a tick's time at most so that leases still expire on time.
            _ = await store.indexMemoryGraphs(quietFor: .milliseconds(200), budget: interval / 10, quietBudget: interval)
            indexPending.set(Double(store.memoryGraphs.pendingChangeCount))
            let watching = registry.watchers
            watchers.set(Double(watching.waiting))
            watchWakeups.increment(by: watching.wakeups - wakeupsCounted)
            wakeupsCounted = watching.wakeups
            if let cluster {
                let health = cluster.health
                clusterLag.set(Double(health.head - health.position))
                etcdRoundTrip.set(cluster.roundTrip)
            }
            if ticks % 4 == 0 {
                let counts = registry.counts
                services.set(Double(counts.services))
                instances.set(Double(counts.instances))
                hosts.set(Double(counts.hosts))
                changeIndex.set(Double(registry.index))
                storeBytes.set(Double(Self.size(of: store.databasePath) + Self.size(of: store.databasePath + "-wal")))
                if let heap = Allocator.statistics() {
                    heapAllocated.set(Double(heap.allocated))
                    heapResident.set(Double(heap.resident))
                }
            }
            ticks += 1
            try? await Task.sleep(for: interval)
        }
    }

    static func size(of path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }
}

/// Ends open event streams and long-polls when the daemon is asked to stop. It is the last
/// service of the group, so graceful shutdown reaches it first, before the HTTP server waits for
/// its connections to close.
struct ShutdownNotifier: Service {
    let registry: Registry

    func run() async throws {
        try? await gracefulShutdown()
        registry.beginShutdown()
    }
}
