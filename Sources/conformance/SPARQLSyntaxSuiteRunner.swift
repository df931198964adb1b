import Ontology

/// Runs the SPARQL syntax suites: positive syntax tests must parse, negative ones must be
/// rejected, for queries and updates alike.
struct SPARQLSyntaxSuiteRunner {
    /// The suite folders under `sparql/`, in the order they are reported.
    static let suites = [
        "sparql10/syntax-sparql1", "sparql10/syntax-sparql2", "sparql10/syntax-sparql3", "sparql10/syntax-sparql4",
        "sparql10/syntax-sparql5", "sparql11/syntax-query", "sparql11/syntax-update-1", "sparql11/syntax-update-2",
        "sparql11/syntax-fed",
    ]

    /// The test types this runner knows; any other is skipped.
    static let types: Set<String> = [
        "PositiveSyntaxTest", "NegativeSyntaxTest", "PositiveSyntaxTest11", "NegativeSyntaxTest11",
        "PositiveUpdateSyntaxTest11", "NegativeUpdateSyntaxTest11",
    ]

    /// Runs every suite under `root` (the rdf-tests checkout) and returns one summary line per
    /// suite; failures are printed, and those the known-failures list does not name (or names
    /// but now pass) are added to `unexpected`.
    func runAll(root: String, known: KnownFailures, verbose: Bool, unexpected: inout [String],
                totals: inout (passed: Int, failed: Int, skipped: Int)) throws -> [String] {
        var summaries: [String] = []
        for suite in Self.suites {
            let manifest = try Manifest(directory: "\(root)/sparql/\(suite)", suite: suite,
                                        testBase: "https://w3c.github.io/rdf-tests/sparql/\(suite)/")
            var passed = 0, failed = 0, skipped = 0
            for test in manifest.tests {
                guard Self.types.contains(test.type) else {
                    skipped += 1
                    if verbose { print("skip \(test.identifier): test type \(test.type) is not a syntax test") }
                    continue
                }
                let listed = known.contains(test.identifier)
                let (reason, detail) = run(test)
                if let reason {
                    failed += 1
                    print("\(listed ? "KNOWN" : "FAIL") \(test.identifier): \(reason)")
                    if !listed { unexpected.append(test.identifier) }
                } else {
                    passed += 1
                    if listed {
                        print("FIXED \(test.identifier): passes now; remove it from the known failures")
                        unexpected.append(test.identifier)
                    } else if verbose {
                        print("ok   \(test.identifier)\(detail.map { ": " + $0 } ?? "")")
                    }
                }
            }
            totals.passed += passed
            totals.failed += failed
            totals.skipped += skipped
            summaries.append("\(suite): \(passed) passed, \(failed) failed, \(skipped) skipped")
        }
        return summaries
    }

    /// The outcome of one test: nil when it passed, else why it failed; and for a negative
    /// test that passed, the error that rejected the input.
    func run(_ test: TestCase) -> (failure: String?, detail: String?) {
        let text: String
        do {
            text = String(decoding: try RDFParser.readFile(atPath: test.action), as: UTF8.self)
        } catch {
            return ("cannot read \(test.action): \(error)", nil)
        }
        let negative = test.type.hasPrefix("Negative")
        let parser = SPARQLParser(baseIRI: test.base)
        do {
            if test.type.contains("Update") {
                _ = try parser.parseUpdate(text)
            } else {
                _ = try parser.parseQuery(text)
            }
        } catch {
            return negative ? (nil, "rejected, \(error)") : ("parse failed: \(error)", nil)
        }
        return negative ? ("parsed but should have been rejected", nil) : (nil, nil)
    }
}
