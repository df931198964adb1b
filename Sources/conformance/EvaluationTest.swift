import Ontology

/// A SPARQL query or update evaluation test, read from a W3C manifest.
struct EvaluationTest {
    /// A data file loaded into a named graph, with the graph's name.
    struct GraphFile {
        let path: String
        let name: Term
    }

    /// The state of a dataset before or after an update: default graph files and named graphs.
    struct DatasetFiles {
        var defaultGraph: [String] = []
        var namedGraphs: [GraphFile] = []
    }

    let suite: String
    let name: String
    let type: String
    /// The query or update file.
    let request: String
    let input: DatasetFiles
    /// The expected result file of a query test.
    let result: String?
    /// The expected dataset of an update test.
    let expectedDataset: DatasetFiles?
    /// `mf:LaxCardinality`: any number of copies of each expected solution is right (REDUCED).
    var laxCardinality = false

    var identifier: String { "\(suite)/\(name)" }

    static let qt = "http://www.w3.org/2001/sw/DataAccess/tests/test-query#"
    static let ut = "http://www.w3.org/2009/sparql/tests/test-update#"
    static let mf = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"

    /// Reads the evaluation tests of `directory/manifest.ttl`.
    static func read(directory: String, suite: String) throws -> [EvaluationTest] {
        let manifest = try ManifestGraph(path: directory + "/manifest.ttl")
        func values(_ subject: Term, _ predicate: String) -> [Term] { manifest.values(subject, predicate) }
        func value(_ subject: Term, _ predicate: String) -> Term? { manifest.value(subject, predicate) }
        func file(_ term: Term?) -> String? { term?.iri.map { Manifest.path(fromFileIRI: $0.value) } }
        let entries = manifest.entries
        var tests: [EvaluationTest] = []
        for entry in entries {
            guard let type = value(entry, RDF.type.value)?.iri?.value.split(separator: "#").last.map(String.init),
                let action = value(entry, mf + "action") else { continue }
            let name = value(entry, mf + "name")?.literal?.lexicalForm ?? String(entry.iri?.value.split(separator: "#").last ?? "")
            var input = DatasetFiles()
            let request: String?
            if type == "UpdateEvaluationTest" {
                request = file(value(action, ut + "request"))
                input.defaultGraph = values(action, ut + "data").compactMap(file)
                input.namedGraphs = values(action, ut + "graphData").compactMap { graph in
                    guard let path = file(value(graph, ut + "graph")) else { return nil }
                    let label = value(graph, RDFS.label.value)?.literal.map { Term.iri(IRI($0.lexicalForm)) }
                    return GraphFile(path: path, name: label ?? value(graph, ut + "graph")!)
                }
            } else {
                request = file(value(action, qt + "query")) ?? file(action)
                input.defaultGraph = values(action, qt + "data").compactMap(file)
                input.namedGraphs = values(action, qt + "graphData").compactMap { term in
                    file(term).map { GraphFile(path: $0, name: term) }
                }
            }
            guard let request else { continue }
            var expected: DatasetFiles?
            var result: String?
            if let resultNode = value(entry, mf + "result") {
                if type == "UpdateEvaluationTest" {
                    var files = DatasetFiles()
                    files.defaultGraph = values(resultNode, ut + "data").compactMap(file)
                    files.namedGraphs = values(resultNode, ut + "graphData").compactMap { graph in
                        guard let path = file(value(graph, ut + "graph")) else { return nil }
                        let label = value(graph, RDFS.label.value)?.literal.map { Term.iri(IRI($0.lexicalForm)) }
                        return GraphFile(path: path, name: label ?? value(graph, ut + "graph")!)
                    }
                    expected = files
                } else {
                    result = file(resultNode)
                }
            }
            var test = EvaluationTest(suite: suite, name: name, type: type, request: request, input: input,
                                      result: result, expectedDataset: expected)
            test.laxCardinality = value(entry, mf + "resultCardinality") == .iri(IRI(mf + "LaxCardinality"))
            tests.append(test)
        }
        return tests
    }
}
