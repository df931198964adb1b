import AccessControl
import AccessService
import ArgumentParser
import Foundation
import JSON
import Ontology
import Registry

/// `registryd policy check|test|eval`: validate policies, run expected-decision tests, and
/// evaluate request files offline.
struct Policy: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate policies and test them against expected decisions.",
        subcommands: [Check.self, Test.self, Eval.self, Bench.self]
    )

    /// Reads policy files as documents named by their file names.
    static func documents(_ paths: [String]) throws -> [PolicyDocument] {
        try paths.map { path in
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw CommandFailure("\(path): cannot read the file") }
            return PolicyDocument(name: path, text: text)
        }
    }

    /// Runs `body` with the ontology of the store of `--data` (nil without it), for ontology
    /// domains and `resource is` tests, on one of the store's reader threads.
    static func withOntology<T: Sendable>(_ data: String?, _ body: @escaping @Sendable ((any OntologySource)?) throws -> T) async throws -> T {
        guard let data else { return try body(nil) }
        guard FileManager.default.fileExists(atPath: data) else { throw CommandFailure("\(data): no such data directory") }
        let store = try StoreAccess.open(data)
        defer { store.close() }
        let registry: Registry
        do {
            registry = try Registry(store: store)
        } catch {
            throw CommandFailure("\(data): \(error)")
        }
        return try await StoreOntologySource(store: store, graphs: { registry.graphs(describing: $0) }).reading(body)
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check policy files: syntax, declared attributes, types, domains, rules that can never apply.",
            discussion: "Prints `ok: ...` or `FILE:LINE:COLUMN: message` and exits 1.")

        @Argument(help: "Policy files, checked together as one set.")
        var files: [String]

        @Option(help: "A data directory whose store holds the ontologies that domains refer to.")
        var data: String?

        func run() async throws {
            let documents = try Policy.documents(files)
            do {
                let set = try await Policy.withOntology(data) { ontology in try PolicySet.compile(documents, ontology: ontology) }
                writeToStandardOutput("ok: \(set.rules.count + set.limits.count + set.routes.count) rules, \(set.attributes.count) attributes, \(set.domains.count) domains\n")
            } catch let error as PolicyError {
                throw CommandFailure(error.description)
            }
        }
    }

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the *.tests.json files of a directory against its *.policy files.",
            discussion: "Each case gives a subject, its credentials (signed at test time), an API, an action, a time and the expected decision; see docs/policy.md.")

        @Argument(help: "The directory with *.policy and *.tests.json files.")
        var directory: String

        @Flag(name: .shortAndLong, help: "Print every case, with its explanation, not only failures.")
        var verbose = false

        @Option(help: "A data directory whose store holds the ontologies that domains refer to.")
        var data: String?

        func run() async throws {
            let results: [PolicyTestSuite.Result]
            let directory = self.directory
            do {
                results = try await Policy.withOntology(data) { ontology in try PolicyTestSuite(directory: directory).run(ontology: ontology) }
            } catch let error as PolicyError {
                throw CommandFailure(error.description)
            } catch {
                throw CommandFailure("\(error)")
            }
            for result in results where verbose || !result.passed {
                var text = "\(result.passed ? "PASS" : "FAIL") \(result.file): \(result.name): expected \(result.expected.rawValue), got \(result.decision.effect.rawValue) (\(result.decision.reason))\n"
                if let explanation = result.decision.explanation {
                    for rule in explanation.rules {
                        text += "    rule \(rule.rule) (\(rule.effect.rawValue), line \(rule.line)): \(rule.applies ? "applies" : "does not apply")\n"
                        for test in rule.when + rule.unless {
                            text += "      \(test.value): \(test.test)\(test.reason.map { " — " + $0 } ?? "")\n"
                        }
                    }
                }
                writeToStandardOutput(text)
            }
            let failed = results.filter { !$0.passed }.count
            writeToStandardOutput("\(results.count - failed) passed, \(failed) failed\n")
            if failed > 0 { throw ExitCode(1) }
        }
    }

    struct Eval: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Decide every request of a JSON-lines file; prints one JSON decision per line.")

        @Argument(help: "Policy files, compiled together.")
        var files: [String]

        @Option(help: "A file of requests, one JSON object per line: {subject: {id, credentials?, attributes?}, api, action, time, context?}.")
        var requests: String

        @Flag(help: "Take subject.attributes as certified by whichever authority each attribute needs (for comparing with other engines).")
        var trustAttributes = false

        func run() async throws {
            let documents = try Policy.documents(files)
            let set: PolicySet
            do { set = try PolicySet.compile(documents) } catch { throw CommandFailure(error.description) }
            guard let data = FileManager.default.contents(atPath: requests) else { throw CommandFailure("\(requests): cannot read the file") }
            struct Request: Decodable {
                struct Subject: Decodable {
                    var id: String
                    var credentials: [String]?
                    var attributes: [String: JSONValue]?
                }
                var subject: Subject
                var api: String
                var action: Action
                var time: String
                var context: [String: JSONValue]?
            }
            struct Output: Encodable {
                var decision: Decision.Effect
                var rules: [String]
            }
            let decoder = JSONValueDecoder()
            var output = Data()
            for (number, line) in data.split(separator: UInt8(ascii: "\n")).enumerated() where !line.allSatisfy({ $0 == 32 || $0 == 13 }) {
                let request: Request
                do { request = try decoder.decode(Request.self, from: Array(line)) } catch { throw CommandFailure("\(requests):\(number + 1): not a request: \(error)") }
                guard let time = Instant.parse(request.time) else { throw CommandFailure("\(requests):\(number + 1): `time` is not an RFC 3339 instant") }
                let evidence = SubjectEvidence(subject: request.subject.id, credentials: request.subject.credentials ?? [],
                                               registryAttributes: trustAttributes ? [:] : (request.subject.attributes ?? [:]),
                                               context: request.context ?? [:], trusted: trustAttributes ? (request.subject.attributes ?? [:]) : nil)
                let bag = AttributeResolver.resolve(evidence, api: request.api, at: time, policies: set, verifier: .none, ontology: nil)
                let decision = DecisionPoint.decide(api: request.api, action: request.action, at: time, attributes: bag, policies: set)
                output.append(contentsOf: try CompactJSONEncoder.bytes(Output(decision: decision.effect, rules: decision.rules)))
                output.append(UInt8(ascii: "\n"))
                if output.count > 1 << 20 {
                    FileHandle.standardOutput.write(output)
                    output.removeAll(keepingCapacity: true)
                }
            }
            FileHandle.standardOutput.write(output)
        }
    }
}
