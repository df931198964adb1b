import Ontology

/// Runs the RDF syntax suites (RDF/XML, Turtle, N-Triples): evaluation tests must parse to a
/// graph isomorphic to the expected N-Triples; positive syntax tests must parse; negative ones
/// must fail.
struct SyntaxSuiteRunner {
    /// The outcome of one test: nil when it passed, else why it failed.
    func run(_ test: TestCase) -> String? {
        guard let format = RDFFormat(fileName: test.action) else {
            return "unknown input format for \(test.action)"
        }
        let negative = test.type.contains("Negative")
        var triples: [Triple] = []
        do {
            try RDFParser.parse(fileAtPath: test.action, format: format, baseIRI: test.base) { triples.append($0) }
        } catch {
            return negative ? nil : "parse failed: \(error)"
        }
        if negative { return "parsed (\(triples.count) triples) but should have been rejected" }
        guard test.type.hasSuffix("Eval"), let result = test.result else { return nil }
        var expected: [Triple] = []
        do {
            try RDFParser.parse(fileAtPath: result, format: .nTriples) { expected.append($0) }
        } catch {
            return "expected result \(result) does not parse: \(error)"
        }
        if GraphIsomorphism.areIsomorphic(triples, expected) { return nil }
        let missing = Set(expected).subtracting(triples).filter { !$0.hasBlankNode }.prefix(3)
        let extra = Set(triples).subtracting(expected).filter { !$0.hasBlankNode }.prefix(3)
        return "graph differs: \(triples.count) triples, expected \(expected.count)"
            + missing.map { "\n      missing \($0)" }.joined() + extra.map { "\n      unexpected \($0)" }.joined()
    }
}
