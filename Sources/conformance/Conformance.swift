import Ontology

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `swift run conformance [PATH] [--ontologies DIR] [--known-failures FILE] [--registryd BINARY] [--verbose]`
///
/// Runs the W3C RDF syntax suites found under PATH (default `../shared/w3c-rdf-tests`), the
/// SPARQL syntax and evaluation suites, the server suites (SPARQL Protocol, Graph Store, Service
/// Description) against a `registryd serve` it starts, and the upstream ontology checks, and
/// prints one `suite: N passed, N failed, N skipped` line each.
/// Exits 1 when a test fails that the known-failures file does not list.
@main
struct Conformance {
    static let suites = ["rdf-xml", "rdf-turtle", "rdf-n-triples"]
    static let labels = ["rdf-xml": "rdf-xml", "rdf-turtle": "turtle", "rdf-n-triples": "n-triples"]

    static func main() async {
        var arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.contains("--help") || arguments.contains("-h") {
            print("""
                usage: conformance [PATH] [--ontologies DIR] [--known-failures FILE] [--registryd BINARY] [--verbose]
                  PATH              the W3C rdf-tests checkout (default ../shared/w3c-rdf-tests)
                  --ontologies      the upstream ontologies (default: PATH/../ontologies-upstream)
                  --known-failures  tests allowed to fail (default Tests/Conformance/known-failures.txt)
                  --registryd       the daemon the server suites start (default: registryd beside this binary)
                  --verbose         print every test
                """)
            return
        }
        let verbose = take("--verbose", from: &arguments)
        let knownPath = value("--known-failures", from: &arguments) ?? "Tests/Conformance/known-failures.txt"
        let registryd = value("--registryd", from: &arguments)
            ?? (CommandLine.arguments[0].contains("/")
                ? String(CommandLine.arguments[0][...CommandLine.arguments[0].lastIndex(of: "/")!]) + "registryd" : "registryd")
        let root = arguments.first ?? "../shared/w3c-rdf-tests"
        let ontologies = value("--ontologies", from: &arguments) ?? root + "/../ontologies-upstream"

        let known: KnownFailures
        do {
            known = try KnownFailures(path: knownPath)
        } catch {
            fail("cannot read \(knownPath): \(error)")
        }
        guard FileList.exists(root + "/rdf/rdf11") else { fail("no W3C test suites at \(root)/rdf/rdf11") }

        var unexpected: [String] = []
        var summaries: [String] = []
        var totals = (passed: 0, failed: 0, skipped: 0)
        let runner = SyntaxSuiteRunner()
        for suite in suites {
            let manifest: Manifest
            do {
                manifest = try Manifest(directory: "\(root)/rdf/rdf11/\(suite)", suite: suite)
            } catch {
                fail("cannot read the \(suite) manifest: \(error)")
            }
            var passed = 0, failed = 0
            for test in manifest.tests {
                if let reason = runner.run(test) {
                    failed += 1
                    let listed = known.contains(test.identifier)
                    print("\(listed ? "KNOWN" : "FAIL") \(test.identifier): \(reason)")
                    if !listed { unexpected.append(test.identifier) }
                } else {
                    passed += 1
                    if known.contains(test.identifier) {
                        print("FIXED \(test.identifier): passes now; remove it from \(knownPath)")
                        unexpected.append(test.identifier)
                    } else if verbose {
                        print("ok   \(test.identifier)")
                    }
                }
            }
            totals.passed += passed
            totals.failed += failed
            summaries.append("\(labels[suite] ?? suite): \(passed) passed, \(failed) failed, 0 skipped")
        }

        do {
            summaries += try SPARQLSyntaxSuiteRunner().runAll(root: root, known: known, verbose: verbose,
                                                              unexpected: &unexpected, totals: &totals)
        } catch {
            fail("cannot read a SPARQL syntax manifest: \(error)")
        }
        do {
            summaries += try SPARQLEvaluationSuites().runAll(root: root, known: known, verbose: verbose,
                                                             unexpected: &unexpected, totals: &totals)
        } catch {
            fail("cannot read a SPARQL evaluation manifest: \(error)")
        }

        guard access(registryd, X_OK) == 0 else {
            fail("no registryd binary at \(registryd) for the server suites (build it, or give --registryd)")
        }
        do {
            summaries += try await ProtocolSuiteRunner(root: root, known: known, verbose: verbose)
                .runAll(registryd: registryd, unexpected: &unexpected, totals: &totals)
        } catch {
            fail("the server suites: \(error)")
        }

        var upstreamPassed = 0, upstreamFailed = 0
        for check in UpstreamOntologyChecks(directory: ontologies).checks {
            let outcome: String?
            do { outcome = try check.run() } catch { outcome = "\(error)" }
            if let outcome {
                upstreamFailed += 1
                let identifier = "upstream-ontologies/\(check.name)"
                print("\(known.contains(identifier) ? "KNOWN" : "FAIL") \(identifier): \(outcome)")
                if !known.contains(identifier) { unexpected.append(identifier) }
            } else {
                upstreamPassed += 1
                if verbose { print("ok   upstream-ontologies/\(check.name)") }
            }
        }
        totals.passed += upstreamPassed
        totals.failed += upstreamFailed
        summaries.append("upstream-ontologies: \(upstreamPassed) passed, \(upstreamFailed) failed")

        for line in summaries { print(line) }
        print("total: \(totals.passed) passed, \(totals.failed) failed, \(totals.skipped) skipped")
        if !unexpected.isEmpty {
            print("conformance: \(unexpected.count) unexpected result(s): \(unexpected.joined(separator: ", "))")
            exit(1)
        }
    }

    static func take(_ flag: String, from arguments: inout [String]) -> Bool {
        guard let index = arguments.firstIndex(of: flag) else { return false }
        arguments.remove(at: index)
        return true
    }

    static func value(_ option: String, from arguments: inout [String]) -> String? {
        guard let index = arguments.firstIndex(of: option), index + 1 < arguments.count else { return nil }
        let value = arguments[index + 1]
        arguments.removeSubrange(index...(index + 1))
        return value
    }

    static func fail(_ message: String) -> Never {
        writeToStandardError("conformance: \(message)\n")
        exit(2)
    }
}

/// Writes to file descriptor 2 (the C `stderr` global is not concurrency-safe in Swift 6).
func writeToStandardError(_ text: String) {
    var text = text
    text.withUTF8 { bytes in _ = write(2, bytes.baseAddress, bytes.count) }
}
