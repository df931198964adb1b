import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Ontology

/// Runs the W3C suites that test a server, against a real `registryd serve` it starts: the
/// SPARQL 1.1 Protocol, the Graph Store Protocol (new and deprecated manifests) and the
/// Service Description, with one summary line per suite.
///
/// The manifests' paths are mapped onto registryd's endpoints: `/sparql/` to `/sparql` for a
/// query and `/update` for an update (told apart by media type or parameter name, else by the
/// test's name), `/gsp` to `/rdf-graphs`. Every request carries the admin token (the runner is
/// the endpoint's administrator) and the manifest's `Host`. Each test of the RDF-described
/// suites starts from an empty store with its `ut:graphData` loaded; the prose tests of
/// `http-rdf-update` run in order on one store, as their descriptions build on each other.
struct ProtocolSuiteRunner {
    let root: String
    let known: KnownFailures
    let verbose: Bool

    /// The endpoint the runner talks to.
    struct Endpoint {
        let client: HTTPClient
        let port: Int
        let token: String
    }

    /// A response, with the body collected.
    struct Reply {
        let status: Int
        let headers: HTTPHeaders
        let body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
        var mediaType: String {
            (headers.first(name: "content-type") ?? "").split(separator: ";").first.map { $0.trimming(" ").lowercased() } ?? ""
        }
    }

    func runAll(registryd: String, unexpected: inout [String], totals: inout (passed: Int, failed: Int, skipped: Int)) async throws -> [String] {
        let directory = root + "/sparql/sparql11"
        let protocolTests = try ProtocolManifestReader.read(path: directory + "/protocol/manifest.ttl", suite: "sparql11/protocol")
        let storeTests = try ProtocolManifestReader.read(path: directory + "/graph-store-protocol/manifest.ttl",
                                                         suite: "sparql11/graph-store-protocol")
        let proseTests = try ProseExchangeReader.read(path: directory + "/http-rdf-update/manifest.ttl", suite: "sparql11/http-rdf-update",
                                                      authority: "www.example", graphStore: "rdf-graphs")
        let daemon = try DaemonUnderTest(binary: registryd)
        defer { daemon.stop() }
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let endpoint = Endpoint(client: client, port: daemon.port, token: daemon.adminToken)
        var summaries: [String] = []
        do {
            summaries.append(try await run(protocolTests, on: endpoint, resetEach: true, unexpected: &unexpected, totals: &totals))
            summaries.append(try await run(storeTests, on: endpoint, resetEach: true, unexpected: &unexpected, totals: &totals))
            summaries.append(try await run(proseTests, on: endpoint, resetEach: false, unexpected: &unexpected, totals: &totals))
            let checks = ServiceDescriptionChecks(names: try ManifestGraph(path: directory + "/service-description/manifest.ttl").entries
                .map(ManifestGraph.localName))
            var passed = 0, failed = 0
            for (name, failure) in await checks.run(on: self, endpoint: endpoint) {
                record("sparql11/service-description/\(name)", failure, passed: &passed, failed: &failed, unexpected: &unexpected)
            }
            totals.passed += passed
            totals.failed += failed
            summaries.append("sparql11/service-description: \(passed) passed, \(failed) failed, 0 skipped")
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
        return summaries
    }

    private func run(_ tests: [ProtocolTest], on endpoint: Endpoint, resetEach: Bool, unexpected: inout [String],
                     totals: inout (passed: Int, failed: Int, skipped: Int)) async throws -> String {
        var passed = 0, failed = 0
        var variables: [String: String] = [:]
        if !resetEach { try await reset(endpoint) }
        for test in tests {
            if resetEach {
                variables = [:]
                try await reset(endpoint)
            }
            let failure = await run(test, on: endpoint, variables: &variables)
            record(test.identifier, failure, passed: &passed, failed: &failed, unexpected: &unexpected)
        }
        totals.passed += passed
        totals.failed += failed
        return "\(tests.first?.suite ?? "protocol"): \(passed) passed, \(failed) failed, 0 skipped"
    }

    private func record(_ identifier: String, _ failure: String?, passed: inout Int, failed: inout Int, unexpected: inout [String]) {
        let listed = known.contains(identifier)
        if let failure {
            failed += 1
            print("\(listed ? "KNOWN" : "FAIL") \(identifier): \(failure)")
            if !listed { unexpected.append(identifier) }
        } else {
            passed += 1
            if listed {
                print("FIXED \(identifier): passes now; remove it from the known failures")
                unexpected.append(identifier)
            } else if verbose {
                print("ok   \(identifier)")
            }
        }
    }

    /// An empty store: every graph dropped.
    private func reset(_ endpoint: Endpoint) async throws {
        let reply = try await send("POST", "/update", headers: [("Content-Type", "application/sparql-update")],
                                   body: "DROP ALL", on: endpoint)
        guard reply.status == 204 else { throw DaemonUnderTest.DaemonError(message: "DROP ALL answered \(reply.status): \(reply.text)") }
    }

    /// Runs a test's requests in order; the first failure, or nil.
    private func run(_ test: ProtocolTest, on endpoint: Endpoint, variables: inout [String: String]) async -> String? {
        do {
            for data in test.graphData {
                let triples = try String(contentsOfFile: data.path, encoding: .utf8)
                let graph = data.graph.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? data.graph
                let reply = try await send("PUT", "/rdf-graphs?graph=" + graph, headers: [("Content-Type", "application/n-triples")],
                                           body: triples, on: endpoint)
                guard (200..<300).contains(reply.status) else { return "loading \(data.graph) answered \(reply.status): \(reply.text)" }
            }
            for (index, exchange) in test.exchanges.enumerated() {
                if let failure = try await run(exchange, of: test, on: endpoint, variables: &variables) {
                    return test.exchanges.count > 1 ? "request \(index + 1) (\(exchange.method)): \(failure)" : failure
                }
            }
            return nil
        } catch {
            return "\(error)"
        }
    }

    private func run(_ exchange: HTTPExchange, of test: ProtocolTest, on endpoint: Endpoint,
                     variables: inout [String: String]) async throws -> String? {
        func substitute(_ text: String) -> String {
            variables.reduce(text) { $0.replacingOccurrences(of: $1.key, with: $1.value) }
        }
        var target = substitute(exchange.target)
        var authority = test.authority
        // An absolute-form target (a `Location` put in it): its authority is the Host.
        if let scheme = target.range(of: "://"), target.hasPrefix("http") {
            let rest = target[scheme.upperBound...]
            let slash = rest.firstIndex(of: "/") ?? rest.endIndex
            authority = String(rest[..<slash])
            target = slash == rest.endIndex ? "/" : String(rest[slash...])
        }
        let body = exchange.body.map(substitute)
        let path = map(target, exchange: exchange, body: body, test: test)
        var headers = exchange.headers
        headers.append(("Host", authority))
        let reply = try await send(exchange.method, path, headers: headers, body: body, on: endpoint)
        if let failure = check(reply, against: exchange.expected, method: exchange.method) { return failure }
        if let variable = exchange.expected.locationVariable {
            guard let location = reply.headers.first(name: "location") else { return "no Location header" }
            variables[variable] = location
        }
        return nil
    }

    /// The manifest's path on registryd's endpoints.
    private func map(_ target: String, exchange: HTTPExchange, body: String?, test: ProtocolTest) -> String {
        if target.hasPrefix("/sparql") {
            let rest = target.dropFirst("/sparql".count).drop { $0 == "/" }
            return (isUpdate(exchange, query: String(rest), body: body, test: test) ? "/update" : "/sparql") + rest
        }
        if target.hasPrefix("/gsp") { return "/rdf-graphs" + target.dropFirst("/gsp".count) }
        return target
    }

    private func isUpdate(_ exchange: HTTPExchange, query: String, body: String?, test: ProtocolTest) -> Bool {
        let type = exchange.header("content-type")?.lowercased() ?? ""
        if type.contains("sparql-update") { return true }
        if type.contains("sparql-query") { return false }
        var parameters = query.drop { $0 == "?" }.split(separator: "&").map { $0.prefix { $0 != "=" } }
        if type.isEmpty || type.contains("x-www-form-urlencoded") {
            parameters += (body ?? "").split(separator: "&").map { $0.prefix { $0 != "=" } }
        }
        if parameters.contains("update") { return true }
        if parameters.contains("query") { return false }
        return test.name.contains("update")
    }

    /// Sends one request to the daemon, with the admin token.
    func send(_ method: String, _ path: String, headers: [(String, String)], body: String?, on endpoint: Endpoint) async throws -> Reply {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(endpoint.port)" + path)
        request.method = HTTPMethod(rawValue: method)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if !headers.contains(where: { $0.0.lowercased() == "authorization" }) {
            request.headers.add(name: "Authorization", value: "Bearer " + endpoint.token)
        }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await endpoint.client.execute(request, timeout: .seconds(30))
        var collected = try await response.body.collect(upTo: 64 << 20)
        return Reply(status: Int(response.status.code), headers: response.headers,
                     body: collected.readBytes(length: collected.readableBytes) ?? [])
    }

    /// What is wrong with the response, or nil.
    func check(_ reply: Reply, against expected: ExpectedResponse, method: String) -> String? {
        if !expected.statuses.isEmpty, !expected.statuses.contains(where: { $0.matches(reply.status) }) {
            return "status \(reply.status), expected \(expected.statuses.map(\.description).joined(separator: " or ")): \(reply.text.prefix(300))"
        }
        if let format = expected.format {
            let formats: [String: [String]] = [
                "boolean": ["application/sparql-results+json", "application/sparql-results+xml", "application/json", "application/xml"],
                "tabular": ["application/sparql-results+json", "application/sparql-results+xml", "application/json", "application/xml",
                            "text/csv", "text/tab-separated-values"],
                "RDF": ["text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json"],
            ]
            guard formats[format]?.contains(reply.mediaType) == true else {
                return "Content-Type `\(reply.headers.first(name: "content-type") ?? "")` is not a \(format) result format"
            }
        }
        if let boolean = expected.boolean {
            let result: ExpectedResult
            do {
                result = reply.mediaType.hasSuffix("json")
                    ? try ExpectedResultsReader.readJSON(bytes: reply.body, source: "the response")
                    : try ExpectedResultsReader.readXML(data: Data(reply.body), source: "the response")
            } catch {
                return "cannot read the boolean result: \(error)"
            }
            guard case .boolean(let value) = result, value == boolean else { return "expected \(boolean), got \(reply.text.prefix(300))" }
        }
        if let type = expected.contentType {
            let want = Self.normalizedMediaType(type), got = Self.normalizedMediaType(reply.headers.first(name: "content-type") ?? "")
            guard want == got else { return "Content-Type `\(got)`, expected `\(want)`" }
        }
        if let body = expected.body, method != "HEAD" {
            let wantFormat = RDFFormat(mediaType: expected.contentType.map(Self.bareMediaType) ?? "text/turtle") ?? .turtle
            guard let gotFormat = RDFFormat(mediaType: reply.mediaType) else { return "the body is not RDF: \(reply.mediaType)" }
            do {
                var want: [Triple] = [], got: [Triple] = []
                try RDFParser.parse(body, format: wantFormat) { want.append($0) }
                try RDFParser.parse(reply.text, format: gotFormat) { got.append($0) }
                guard GraphIsomorphism.areIsomorphic(got, want) else {
                    return "the graph returned is not the one expected; got:\n\(reply.text.prefix(800))"
                }
            } catch {
                return "cannot read a graph: \(error)"
            }
        }
        return nil
    }

    static func bareMediaType(_ header: String) -> String {
        header.split(separator: ";").first.map { $0.trimming(" ").lowercased() } ?? ""
    }

    /// `type/subtype; name=value` in lower case without spaces, parameters sorted.
    static func normalizedMediaType(_ header: String) -> String {
        let parts = header.split(separator: ";").map { $0.trimming(" ").lowercased().replacingOccurrences(of: " ", with: "") }
        return ([parts.first ?? ""] + parts.dropFirst().sorted()).joined(separator: ";")
    }
}
