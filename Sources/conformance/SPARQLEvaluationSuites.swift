import Ontology

/// Runs the SPARQL 1.0 and 1.1 evaluation suites (query, update, result formats), one summary
/// line per suite directory. SERVICE and the entailment regimes are skipped with the reason
/// printed. The suites that test a server are run by ``ProtocolSuiteRunner``.
struct SPARQLEvaluationSuites {
    static let sparql10 = [
        "algebra", "ask", "basic", "bnode-coreference", "boolean-effective-value", "bound", "cast", "construct",
        "dataset", "distinct", "expr-builtin", "expr-equals", "expr-ops", "graph", "i18n", "open-world", "optional",
        "optional-filter", "reduced", "regex", "solution-seq", "sort", "triple-match", "type-promotion",
    ].map { "sparql10/" + $0 }
    static let sparql11 = [
        "add", "aggregates", "basic-update", "bind", "bindings", "cast", "clear", "construct", "copy", "csv-tsv-res",
        "delete", "delete-data", "delete-insert", "delete-where", "drop", "exists", "functions", "grouping",
        "json-res", "move", "negation", "project-expression", "property-path", "subquery", "update-silent",
    ].map { "sparql11/" + $0 }
    static let skipped = [
        "sparql11/service": "SERVICE (federated query) is out of scope",
        "sparql11/entailment": "entailment regimes are out of scope (registryd reasons with its own RDFS rules)",
    ]

    func runAll(root: String, known: KnownFailures, verbose: Bool, unexpected: inout [String],
                totals: inout (passed: Int, failed: Int, skipped: Int)) throws -> [String] {
        var summaries: [String] = []
        let queries = QueryEvaluationSuiteRunner()
        let updates = UpdateEvaluationSuiteRunner()
        let syntax = SPARQLSyntaxSuiteRunner()
        for suite in Self.sparql10 + Self.sparql11 {
            let directory = "\(root)/sparql/\(suite)"
            var passed = 0, failed = 0, skipped = 0
            for test in try EvaluationTest.read(directory: directory, suite: suite) {
                let failure: String?
                switch test.type {
                case "QueryEvaluationTest", "CSVResultFormatTest":
                    failure = queries.run(test)
                case "UpdateEvaluationTest":
                    failure = updates.run(test)
                case let type where SPARQLSyntaxSuiteRunner.types.contains(type):
                    failure = syntax.run(TestCase(suite: suite, name: test.name, type: type, action: test.request,
                                                  result: nil, base: RDFParser.defaultBaseIRI(forPath: test.request))).failure
                default:
                    skipped += 1
                    print("skip \(test.identifier): test type \(test.type) is not run by this runner")
                    continue
                }
                let listed = known.contains(test.identifier)
                if let failure {
                    failed += 1
                    print("\(listed ? "KNOWN" : "FAIL") \(test.identifier): \(failure)")
                    if !listed { unexpected.append(test.identifier) }
                } else {
                    passed += 1
                    if listed {
                        print("FIXED \(test.identifier): passes now; remove it from the known failures")
                        unexpected.append(test.identifier)
                    } else if verbose {
                        print("ok   \(test.identifier)")
                    }
                }
            }
            totals.passed += passed
            totals.failed += failed
            totals.skipped += skipped
            summaries.append("\(suite): \(passed) passed, \(failed) failed, \(skipped) skipped")
        }
        for (suite, reason) in Self.skipped.sorted(by: { $0.key < $1.key }) {
            let count = (try? EvaluationTest.read(directory: "\(root)/sparql/\(suite)", suite: suite).count) ?? 0
            totals.skipped += count
            print("skip \(suite): \(count) tests, \(reason)")
            summaries.append("\(suite): 0 passed, 0 failed, \(count) skipped")
        }
        return summaries
    }
}
