import Ontology

/// One entry of a W3C test manifest.
struct TestCase {
    /// The suite folder name, e.g. `rdf-xml`.
    let suite: String
    /// The test's name (`mf:name`), unique inside its suite.
    let name: String
    /// The test type's local name, e.g. `TestXMLEval`.
    let type: String
    /// The input file, as a local path.
    let action: String
    /// The expected result file, for evaluation tests.
    let result: String?
    /// The base IRI the test assumes for its input.
    let base: String

    /// `suite/name`, the identifier used in the known-failures file.
    var identifier: String { "\(suite)/\(name)" }
}
