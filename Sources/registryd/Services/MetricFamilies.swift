import Prometheus

/// Every metric family `/metrics` exports, named as Prometheus expects (a counter ends in
/// `_total`, a duration in `_seconds`, a size in `_bytes`) and each with its `# HELP` text, made
/// on the daemon's registry directly: swift-metrics' factory has no place for help text.
/// `promtool check metrics` runs on the output in the tests. Computed, since swift-prometheus'
/// descriptor is not `Sendable`; each is asked for once per metric made, not per request.
enum MetricFamilies {
    // HTTP, by route (the route's pattern, e.g. `/v1/services/:id`), method and status.
    static var requests: MetricNameDescriptor { family("http_server_requests", "total", "HTTP requests answered, by route, method and status code.") }
    static var requestErrors: MetricNameDescriptor { family("http_server_request_errors", "total", "HTTP requests answered with an error, by route, method and status code.") }
    static var requestDuration: MetricNameDescriptor { family("http_server_request_duration", "seconds", "Time from a request's head to its handler's answer, by route, method and status code.") }
    static var activeRequests: MetricNameDescriptor { family("http_server_active_requests", "", "HTTP requests being handled now, by method.") }

    // The registry, kept by the maintenance loop.
    static var services: MetricNameDescriptor { family("registryd_services", "", "Registered services (distinct names).") }
    static var instances: MetricNameDescriptor { family("registryd_instances", "", "Registered instances (registrations).") }
    static var hosts: MetricNameDescriptor { family("registryd_hosts", "", "Registered hosts.") }
    static var clusterLag: MetricNameDescriptor { family("registryd_cluster_lag", "entries", "Cluster mode: log entries this node has not applied yet.") }
    static var etcdRoundTrip: MetricNameDescriptor { family("registryd_etcd_round_trip", "seconds", "Cluster mode: the last round trip to etcd.") }
    static var leaseExpiries: MetricNameDescriptor { family("registryd_lease_expiries", "total", "Instances removed because their lease ran out.") }
    static var storeSize: MetricNameDescriptor { family("registryd_store", "bytes", "Size of the SQLite store on disk, write-ahead log included.") }
    static var changeIndex: MetricNameDescriptor { family("registryd_change_index", "", "Index of the registry's last change (X-Registryd-Index).") }
    static var heapAllocated: MetricNameDescriptor { family("registryd_heap_allocated", "bytes", "Bytes the allocator (jemalloc) has handed out.") }
    static var heapResident: MetricNameDescriptor { family("registryd_heap_resident", "bytes", "Bytes of memory the allocator (jemalloc) holds resident.") }
    static var watchers: MetricNameDescriptor { family("registryd_watchers", "", "Long-polls and event streams waiting for a change now.") }
    static var watchWakeups: MetricNameDescriptor { family("registryd_watch_wakeups", "total", "Times a waiting long-poll or event stream was woken by a change it watches (or by shutdown).") }
    static var graphIndexPending: MetricNameDescriptor { family("registryd_graph_index_pending", "", "Registration graph changes not yet indexed.") }

    // The access service.
    static var policiesDegraded: MetricNameDescriptor { family("registryd_policies_degraded", "", "1 while the stored policies do not validate and an earlier generation stays in force.") }

    /// The buckets of request durations: 0.5 ms to 10 s.
    static let durationBuckets: [Duration] = [
        .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
    ]

    private static func family(_ name: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: unit, helpText: help)
    }
}
