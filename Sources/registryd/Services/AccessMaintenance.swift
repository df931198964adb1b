import AccessService
import Prometheus
import Registry
import ServiceLifecycle

/// Follows the registry's change log to withdraw bindings whose instance expired or was
/// removed or no longer serves a rebound name, and forgets expired bindings and revocations.
struct AccessMaintenance: Service {
    let access: AccessService
    let registry: Registry
    let metrics: PrometheusCollectorRegistry

    func run() async throws {
        var seen = registry.index
        var lastPrune = ContinuousClock.now
        // 1 while the policy set in force is not the stored one compiled anew (see /health).
        let degraded = metrics.makeGauge(descriptor: MetricFamilies.policiesDegraded)
        degraded.set(access.degradedReason == nil ? 0.0 : 1.0)
        while !Task.isShuttingDownGracefully && !Task.isCancelled && !registry.isShuttingDown {
            degraded.set(access.degradedReason == nil ? 0.0 : 1.0)
            await registry.waitForChange(after: seen, timeout: .seconds(1))
            for event in registry.events(after: seen) {
                seen = max(seen, event.index)
                switch event.type {
                case .leaseExpired, .serviceDeregistered:
                    if let id = event.id { await access.instanceGone(id) }
                case .healthChanged where event.health == .broken:
                    if let id = event.id { await access.instanceGone(id) }
                case .nameRebound:
                    guard let name = event.name else { break }
                    await access.rebound(name, generation: event.generation) { [registry] api in
                        guard let name = try? ServiceName(api), let resolution = try? registry.resolve(name) else { return nil }
                        return Set(resolution.endpoints.map(\.instance))
                    }
                default:
                    break
                }
            }
            seen = max(seen, access.journal.index)
            if ContinuousClock.now - lastPrune > .seconds(30) {
                access.prune()
                lastPrune = .now
            }
        }
        // The registry is stopped first (by `ShutdownNotifier`, the last service of the group),
        // which ends the loop above before the group asks this service to stop. Returning then
        // counts as an unexpected end: the group fails and the daemon exits non-zero on SIGTERM.
        try? await gracefulShutdown()
    }
}
