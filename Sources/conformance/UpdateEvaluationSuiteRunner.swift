import Ontology

/// Runs SPARQL Update evaluation tests: the update runs on the test's dataset in memory, and
/// the dataset afterwards must equal the expected one, graph by graph (by isomorphism).
struct UpdateEvaluationSuiteRunner {
    func run(_ test: EvaluationTest) -> String? {
        do {
            let loader = QueryEvaluationSuiteRunner()
            var dataset = try loader.load(test.input)
            let text = String(decoding: try RDFParser.readFile(atPath: test.request), as: UTF8.self)
            let update = try SPARQLParser(baseIRI: RDFParser.defaultBaseIRI(forPath: test.request)).parseUpdate(text)
            do {
                try UpdateExecutor().execute(update, on: &dataset)
            } catch {
                // A failing update must leave the dataset as it was; the expected state says so.
                if test.expectedDataset == nil { return nil }
            }
            guard let expectedFiles = test.expectedDataset else { return nil }
            let expected = try loader.load(expectedFiles)
            return compare(dataset, expected)
        } catch {
            return "error: \(error)"
        }
    }

    private func compare(_ actual: MemoryDataset, _ expected: MemoryDataset) -> String? {
        let triples = { (dataset: MemoryDataset, graph: GraphSelector) in
            Array(dataset.quads(subject: nil, predicate: nil, object: nil, in: graph)).map(\.triple)
        }
        let actualDefault = triples(actual, .defaultGraph)
        let expectedDefault = triples(expected, .defaultGraph)
        if !GraphIsomorphism.areIsomorphic(actualDefault, expectedDefault) {
            return "default graph differs: \(actualDefault.count) triples, expected \(expectedDefault.count)"
        }
        // Empty graphs are not compared: a store may or may not keep them.
        let names = Set(actual.namedGraphs()).union(expected.namedGraphs())
        for name in names.sorted(by: { "\($0)" < "\($1)" }) {
            let got = triples(actual, .named(name))
            let wanted = triples(expected, .named(name))
            if !GraphIsomorphism.areIsomorphic(got, wanted) {
                return "graph \(name) differs: \(got.count) triples, expected \(wanted.count)"
            }
        }
        return nil
    }
}
