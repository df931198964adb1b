import Registry
import Foundation

/// The hosts the registry may contact on a client's behalf (pull registration, health checks),
/// set by an admin with `serve --pull-allow`: `name`, `name:port`, or `*.domain`. Everything
/// else is refused, so a register token cannot make the registry reach internal addresses (SSRF).
struct HostAllowList: Sendable {
    let entries: [String]

    func allows(host: String, port: Int?) -> Bool {
        let host = host.lowercased()
        return entries.contains { entry in
            let entry = entry.lowercased()
            if entry.hasPrefix("*.") { return host.hasSuffix(entry.dropFirst(1)) }
            if let port, entry == "\(host):\(port)" { return true }
            return entry == host
        }
    }

    /// The host of an http(s) URL if the list allows it; nil for other URLs or hosts.
    func allowedHost(of url: String) -> String? {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", var host = components.host, !host.isEmpty else { return nil }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return allows(host: host, port: components.port) ? host : nil
    }

    /// Where a health check connects, if the list allows it; nil for a TTL check or a host
    /// the list does not name.
    func allowedTarget(of check: HealthCheckSpec) -> (host: String, port: Int)? {
        switch check.checkKind {
        case .ttl:
            return nil
        case .tcp, .grpc:
            guard let (host, port) = HealthCheckSpec.hostAndPort(check.url) else { return nil }
            return allows(host: host, port: port) ? (host, port) : nil
        case .http, .coap:
            guard let components = URLComponents(string: check.url), var host = components.host, !host.isEmpty else { return nil }
            if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            let port = components.port ?? (check.checkKind == .coap ? 5683 : (components.scheme?.lowercased() == "https" ? 443 : 80))
            return allows(host: host, port: components.port) ? (host, port) : nil
        }
    }
}
