import AsyncHTTPClient
import Foundation
import Hummingbird
import NIOCore

/// Fetches a service's manifest from its `introspect` URL (pull registration).
///
/// Only hosts an admin allowed (`serve --pull-allow`) are contacted: pull registration would
/// otherwise let anyone with a register token make the registry request internal addresses
/// (SSRF). No redirects (one could leave the allowed hosts), a connect and a total timeout, and a
/// size limit on the body.
struct ManifestFetcher: Sendable {
    let allowList: HostAllowList
    /// The most a whole fetch (connect, head and body) may take.
    var timeout: Duration = .seconds(10)
    var maxSize: Int = 1 << 20

    /// The body and its content type.
    func fetch(_ url: String) async throws -> ([UInt8], String?) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", var host = components.host, !host.isEmpty else {
            throw APIError(.badRequest, code: "pull.invalid_url", "`\(url)` is not an http or https URL")
        }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard allowList.allows(host: host, port: components.port) else {
            throw APIError(.forbidden, code: "pull.host_not_allowed",
                           "the registry does not fetch from `\(host)`; an admin can allow it with `serve --pull-allow \(host)`")
        }
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .seconds(2), read: .seconds(5))
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let result = await Result(catching: { try await withDeadline(url) { try await get(url, client: client) } })
        try? await client.shutdown()
        return try result.get()
    }

    /// Runs `body` for at most ``timeout`` in all: the client's own timeouts bound the wait for
    /// each byte, so a server that drips its head or body a byte at a time would otherwise
    /// hold the request (and its handler) for as long as it likes.
    private func withDeadline<T: Sendable>(_ url: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let timeout = self.timeout
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else {
                throw APIError(.gatewayTimeout, code: "pull.timeout", "`\(url)` did not answer in full within \(timeout)")
            }
            return value
        }
    }

    private func get(_ url: String, client: HTTPClient) async throws -> ([UInt8], String?) {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Accept", value: "application/json, application/td+json, application/rdf+xml;q=0.9, text/turtle;q=0.8")
        request.headers.add(name: "User-Agent", value: "registryd")
        do {
            let response = try await client.execute(request, timeout: .init(timeout))
            guard response.status == .ok else {
                throw APIError(.badGateway, code: "pull.failed", "`\(url)` answered \(response.status.code) \(response.status.reasonPhrase)")
            }
            var bytes: [UInt8] = []
            for try await chunk in response.body {
                bytes += chunk.readableBytesView
                guard bytes.count <= maxSize else {
                    throw APIError(.badGateway, code: "pull.too_large", "the manifest at `\(url)` is larger than \(maxSize >> 10) KiB")
                }
            }
            return (bytes, response.headers.first(name: "Content-Type"))
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError(.badGateway, code: "pull.failed", "fetching `\(url)` failed: \(error)")
        }
    }
}

extension Result where Failure == any Error {
    /// Captures the outcome of an async throwing closure.
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
