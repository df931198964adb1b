import Ontology

/// Runs the SPARQL query evaluation suites: each query runs over its test dataset in memory and
/// its results must equal the expected ones (compared as multisets, blank nodes matched by
/// structure; in order where the expected results are numbered).
struct QueryEvaluationSuiteRunner {
    /// The outcome of one test: nil when it passed, else why it failed.
    func run(_ test: EvaluationTest) -> String? {
        do {
            var dataset = try load(test.input)
            let text = String(decoding: try RDFParser.readFile(atPath: test.request), as: UTF8.self)
            let query = try SPARQLParser(baseIRI: RDFParser.defaultBaseIRI(forPath: test.request)).parseQuery(text)
            // FROM and FROM NAMED name files of the test directory: load them as named graphs.
            if let clauses = query.dataset {
                for graph in clauses.defaultGraphs + (clauses.namedGraphs ?? []) where graph.value.hasPrefix("file://") {
                    let name = Term.iri(graph)
                    if dataset.namedGraphs().contains(name) { continue }
                    dataset.addGraph(name)
                    try load(Manifest.path(fromFileIRI: graph.value), into: &dataset, graph: name)
                }
            }
            let result = try QueryEvaluator(dataset: dataset, limits: EvaluationLimits(timeout: .seconds(20))).evaluate(query)
            guard let resultPath = test.result else { return nil }
            if resultPath.hasSuffix(".csv") { return compareCSV(result, expectedAt: resultPath) }
            let expected = try ExpectedResultsReader.read(resultPath)
            return compare(result, expected, lax: test.laxCardinality)
        } catch {
            return "error: \(error)"
        }
    }

    func load(_ files: EvaluationTest.DatasetFiles) throws -> MemoryDataset {
        var dataset = MemoryDataset()
        for path in files.defaultGraph { try load(path, into: &dataset, graph: nil) }
        for graph in files.namedGraphs {
            dataset.addGraph(graph.name)
            try load(graph.path, into: &dataset, graph: graph.name)
        }
        return dataset
    }

    /// Loads one file. Its blank nodes are its own: the same label in two files names two
    /// nodes (RDF merge), as the store also does for each import.
    func load(_ path: String, into dataset: inout MemoryDataset, graph: Term?) throws {
        guard let format = RDFFormat(fileName: path) else { return }
        let prefix = "f\(UInt32.random(in: 0...UInt32.max))_"
        func rename(_ term: Term) -> Term {
            guard let node = term.blankNode else { return term }
            return .blankNode(BlankNode(prefix + node.id))
        }
        try RDFParser.parse(fileAtPath: path, format: format) { triple in
            dataset.insert(Triple(rename(triple.subject), triple.predicate, rename(triple.object)), graph: graph)
        }
    }

    private func compare(_ result: QueryResult, _ expected: ExpectedResult, lax: Bool) -> String? {
        switch (result, expected) {
        case (.boolean(let actual), .boolean(let wanted)):
            return actual == wanted ? nil : "ASK gave \(actual), expected \(wanted)"
        case (.graph(let actual), .graph(let wanted)):
            return GraphIsomorphism.areIsomorphic(actual, wanted) ? nil
                : "graph differs: \(actual.count) triples, expected \(wanted.count)"
        case (.solutions(let variables, let rows), .table(let wanted)):
            var wanted = wanted
            var actual = ResultTable(variables: variables.map(\.name), rows: rows.map { row in
                var bindings: [String: Term] = [:]
                for (variable, value) in zip(variables, row) { if let value { bindings[variable.name] = value } }
                return bindings
            })
            actual = actual.canonicalized
            wanted = wanted.canonicalized
            if lax ? actual.distinct.matches(wanted.distinct) : actual.matches(wanted) { return nil }
            return "solutions differ: got \(actual.rows.count) rows \(actual.summary)\n      expected \(wanted.rows.count) rows \(wanted.summary)"
        default:
            return "result kind differs: got \(result), expected \(expected)"
        }
    }

    /// CSV loses datatypes, so the CSV tests compare our CSV text with the expected text (line
    /// endings normalised; rows in any order).
    private func compareCSV(_ result: QueryResult, expectedAt path: String) -> String? {
        guard case .solutions(let variables, let rows) = result else { return "expected solutions" }
        let output = ByteOutput()
        var writer = QueryResultsFormat.csv.writer(output: output, variables: variables)
        do {
            for row in rows { try writer.write(row) }
            try writer.finish()
            let expected = String(decoding: try RDFParser.readFile(atPath: path), as: UTF8.self)
            // Line endings may differ, and blank-node labels are renumbered by first appearance.
            let normalise = { (text: String) -> [String] in
                var labels: [Substring: String] = [:]
                // "\r\n" is one Character in Swift, so line endings are removed scalar by scalar.
                let unixText = String(String.UnicodeScalarView(text.unicodeScalars.filter { $0 != "\r" }))
                return unixText.split(separator: "\n").map { line in
                    line.split(separator: ",", omittingEmptySubsequences: false).map { field -> String in
                        guard field.hasPrefix("_:") else { return String(field) }
                        if let known = labels[field] { return known }
                        let label = "_:b\(labels.count)"
                        labels[field] = label
                        return label
                    }.joined(separator: ",")
                }
            }
            let (got, wanted) = (normalise(output.string), normalise(expected))
            if got.first == wanted.first && got.dropFirst().sorted() == wanted.dropFirst().sorted() { return nil }
            return "CSV differs:\n\(output.string)\n      expected:\n\(expected)"
        } catch {
            return "error: \(error)"
        }
    }
}
