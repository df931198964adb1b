import Ontology

/// Reads a W3C test manifest (Turtle) into test cases.
struct Manifest {
    let suite: String
    let tests: [TestCase]

    static let mf = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
    static let qt = "http://www.w3.org/2001/sw/DataAccess/tests/test-query#"
    static let ut = "http://www.w3.org/2009/sparql/tests/test-update#"

    /// Reads `manifest.ttl` in `directory`; `suite` names the directory in reports, and
    /// `testBase` is the W3C URL of the directory (by default the RDF 1.1 suites').
    init(directory: String, suite: String, testBase: String? = nil) throws {
        self.suite = suite
        let graph = try ManifestGraph(path: directory + "/manifest.ttl")
        let manifestIRI = graph.iri
        let directoryIRI = String(manifestIRI[...(manifestIRI.lastIndex(of: "/") ?? manifestIRI.startIndex)])
        func value(_ subject: Term, _ predicate: String) -> Term? { graph.value(subject, predicate) }
        let root = Term.iri(IRI(manifestIRI))
        let assumedBase = value(root, Manifest.mf + "assumedTestBase")?.iri?.value
        let entries = graph.list(value(root, Manifest.mf + "entries"))
        var tests: [TestCase] = []
        for entry in entries {
            // SPARQL manifests give some actions as a node with `qt:query` (or `ut:request`).
            let actionNode = value(entry, Manifest.mf + "action")
            let actionIRI = actionNode?.iri?.value ?? actionNode.flatMap {
                value($0, Manifest.qt + "query")?.iri?.value ?? value($0, Manifest.ut + "request")?.iri?.value
            }
            guard let action = actionIRI, let type = value(entry, RDF.type.value)?.iri?.value else { continue }
            let name = value(entry, Manifest.mf + "name")?.literal?.lexicalForm
                ?? String(entry.iri?.value.split(separator: "#").last ?? "")
            let relative = action.hasPrefix(directoryIRI) ? String(action.dropFirst(directoryIRI.count)) : action
            tests.append(TestCase(
                suite: suite,
                name: name,
                type: String(type.split(separator: "#").last ?? ""),
                action: Manifest.path(fromFileIRI: action),
                result: value(entry, Manifest.mf + "result")?.iri.map { Manifest.path(fromFileIRI: $0.value) },
                base: (assumedBase ?? testBase ?? "https://w3c.github.io/rdf-tests/rdf/rdf11/\(suite)/") + relative
            ))
        }
        self.tests = tests
    }

    /// The local path of a `file://` IRI, percent-decoded.
    static func path(fromFileIRI iri: String) -> String {
        let encoded = iri.hasPrefix("file://") ? String(iri.dropFirst(7)) : iri
        var bytes: [UInt8] = []
        var iterator = Array(encoded.utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
                let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) {
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
