import Foundation
import JOSE
import JSON

/// Runs `*.tests.json` files against the `*.policy` files of a directory, like `opa test`:
/// authorities get fresh keys, credentials are signed as each case describes, and every
/// decision is compared with the expected one.
public struct PolicyTestSuite {
    public struct Result: Sendable {
        public var file: String
        public var name: String
        public var expected: Decision.Effect
        public var decision: Decision
        public var passed: Bool { decision.effect == expected }
    }

    struct File: Decodable {
        var time: String?
        var authorities: [String]?
        var cases: [Case]
    }

    struct Case: Decodable {
        var name: String
        var time: String?
        var subject: Subject
        var api: String
        var action: Action
        var context: [String: JSONValue]?
        var expect: Decision.Effect
    }

    struct Subject: Decodable {
        var id: String
        var credentials: [CredentialSpec]?
        var attributes: [String: JSONValue]?
    }

    struct CredentialSpec: Decodable {
        var authority: String
        var signedBy: String?
        var subject: String?
        var expires: String?
        var notBefore: String?
        var attributes: [String: JSONValue]
    }

    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    /// Fails with a one-line reason when the directory, a policy or a test file cannot be read.
    public func run(ontology: (any OntologySource)? = nil) throws -> [Result] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        let documents = try names.filter { $0.hasSuffix(".policy") }.map { name in
            PolicyDocument(name: name, text: try String(contentsOfFile: directory + "/" + name, encoding: .utf8))
        }
        guard !documents.isEmpty else { throw PolicyTestError("no .policy files in \(directory)") }
        let policies = try PolicySet.compile(documents, generation: 1, ontology: ontology)
        let testFiles = names.filter { $0.hasSuffix(".tests.json") }
        guard !testFiles.isEmpty else { throw PolicyTestError("no .tests.json files in \(directory)") }
        var results: [Result] = []
        for testFile in testFiles {
            let file: File
            do {
                file = try JSONValueDecoder().decode(File.self, from: Array(Data(contentsOf: URL(fileURLWithPath: directory + "/" + testFile))))
            } catch {
                throw PolicyTestError("\(testFile): not a test file: \(error)")
            }
            var keys: [String: SigningKey] = [:]
            var authorities: [Authority] = []
            for name in file.authorities ?? [] {
                let key = try SigningKey.generate(.edDSA)
                keys[name] = key
                authorities.append(Authority(name: name, keys: JWKSet(keys: [key.publicKey.jwk])))
            }
            let verifier = try CredentialVerifier(authorities: authorities)
            for testCase in file.cases {
                guard let time = Instant.parse(testCase.time ?? file.time ?? "") else {
                    throw PolicyTestError("\(testFile): case '\(testCase.name)' has no valid time")
                }
                var tokens: [String] = []
                for spec in testCase.subject.credentials ?? [] {
                    guard let key = keys[spec.signedBy ?? spec.authority] else {
                        throw PolicyTestError("\(testFile): case '\(testCase.name)': authority '\(spec.signedBy ?? spec.authority)' is not listed in \"authorities\"")
                    }
                    var claims: [String: JSONValue] = [
                        "iss": .string(spec.authority),
                        "sub": .string(spec.subject ?? testCase.subject.id),
                        "exp": .number(spec.expires.flatMap(Instant.parse) ?? time + 3600),
                        "nbf": .number(spec.notBefore.flatMap(Instant.parse) ?? time - 3600),
                        "attributes": .object(spec.attributes),
                    ]
                    claims["iat"] = .number(time - 3600)
                    tokens.append(try CompactJWS.sign(payload: try CompactJSONEncoder.bytes(claims), with: key))
                }
                let evidence = SubjectEvidence(subject: testCase.subject.id, credentials: tokens,
                                               registryAttributes: testCase.subject.attributes ?? [:], context: testCase.context ?? [:])
                let bag = AttributeResolver.resolve(evidence, api: testCase.api, at: time, policies: policies, verifier: verifier, ontology: ontology)
                let decision = DecisionPoint.decide(api: testCase.api, action: testCase.action, at: time, attributes: bag, policies: policies, explain: true)
                results.append(Result(file: testFile, name: testCase.name, expected: testCase.expect, decision: decision))
            }
        }
        return results
    }
}

/// A test directory or file that cannot be used.
public struct PolicyTestError: Error, CustomStringConvertible {
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}
