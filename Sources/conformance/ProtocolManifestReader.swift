import Ontology

/// Reads protocol tests from manifests that describe their requests in RDF, with the W3C HTTP
/// vocabulary (`ht:`, `http://www.w3.org/2011/http#`) and `cnt:` bodies: the SPARQL Protocol
/// and the Graph Store Protocol suites.
struct ProtocolManifestReader {
    static let ht = "http://www.w3.org/2011/http#"
    static let cnt = "http://www.w3.org/2011/content#"
    static let ut = "http://www.w3.org/2009/sparql/tests/test-update#"
    static let mf = ManifestGraph.mf

    /// The tests of the manifest at `path`, and of the manifests it lists in `mf:include`.
    static func read(path: String, suite: String) throws -> [ProtocolTest] {
        let manifest = try ManifestGraph(path: path)
        let directory = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        var tests: [ProtocolTest] = []
        for included in manifest.list(manifest.value(.iri(IRI(manifest.iri)), mf + "include")) {
            guard let iri = included.iri?.value else { continue }
            let file = iri.split(separator: "/").last.map(String.init) ?? iri
            tests += try read(path: directory + "/" + file, suite: suite)
        }
        for entry in manifest.entries {
            tests.append(try test(entry, in: manifest, suite: suite))
        }
        return tests
    }

    private static func test(_ entry: Term, in manifest: ManifestGraph, suite: String) throws -> ProtocolTest {
        let name = ManifestGraph.localName(entry)
        guard let action = manifest.value(entry, mf + "action") else {
            throw OntologyError(.unknownFormat, "\(suite)/\(name): no mf:action")
        }
        let graphData: [(path: String, graph: String)] = manifest.values(entry, ut + "graphData").compactMap { node in
            guard let file = manifest.value(node, ut + "graph")?.iri?.value,
                  let label = manifest.text(node, RDFS.label.value) else { return nil }
            return (Manifest.path(fromFileIRI: file), label)
        }
        let requests = manifest.list(manifest.value(action, ht + "requests"))
        let exchanges = try requests.map { request in try exchange(request, in: manifest, test: "\(suite)/\(name)") }
        return ProtocolTest(suite: suite, name: name, graphData: graphData, exchanges: exchanges,
                            authority: manifest.text(action, ht + "connectionAuthority") ?? "www.example")
    }

    private static func exchange(_ request: Term, in manifest: ManifestGraph, test: String) throws -> HTTPExchange {
        guard let method = manifest.text(request, ht + "methodName"),
              let target = manifest.text(request, ht + "absolutePath") else {
            throw OntologyError(.unknownFormat, "\(test): a request without ht:methodName or ht:absolutePath")
        }
        guard let response = manifest.value(request, ht + "resp") else {
            throw OntologyError(.unknownFormat, "\(test): a request without ht:resp")
        }
        var expected = ExpectedResponse()
        for status in manifest.values(response, mf + "expectedStatus") {
            guard let iri = status.iri?.value, let expectation = StatusExpectation(statusCodeIRI: iri) else {
                throw OntologyError(.unknownFormat, "\(test): unknown expected status \(status)")
            }
            expected.statuses.append(expectation)
        }
        expected.boolean = manifest.text(response, mf + "expectedBoolean").map { $0 == "true" || $0 == "1" }
        expected.format = manifest.text(response, mf + "expectedFormat")
        expected.locationVariable = manifest.text(response, mf + "expectedLocation")
        expected.contentType = headers(of: response, in: manifest).first { $0.name.lowercased() == "content-type" }?.value
        expected.body = manifest.value(response, ht + "body").flatMap { manifest.text($0, cnt + "chars") }
        return HTTPExchange(method: method, target: target, headers: headers(of: request, in: manifest),
                            body: manifest.value(request, ht + "body").flatMap { manifest.text($0, cnt + "chars") },
                            expected: expected)
    }

    private static func headers(of message: Term, in manifest: ManifestGraph) -> [(name: String, value: String)] {
        manifest.list(manifest.value(message, ht + "headers")).compactMap { header in
            guard let name = manifest.text(header, ht + "fieldName"), let value = manifest.text(header, ht + "fieldValue") else { return nil }
            return (name, value)
        }
    }
}
