/// An RDF 1.1 literal: a lexical form with a datatype IRI, and a language tag for
/// `rdf:langString`.
///
/// Following RDF 1.1, a literal written without datatype or language is an `xsd:string`, and a
/// literal with a language tag has the datatype `rdf:langString`. Language tags are kept in
/// lower case, since RDF compares them case-insensitively.
public struct Literal: Hashable, Sendable, CustomStringConvertible {
    /// The lexical form, exactly as written (after unescaping).
    public let lexicalForm: String
    /// The datatype IRI.
    public let datatype: IRI
    /// The language tag, lower case, when the datatype is `rdf:langString`.
    public let language: String?

    /// A plain string literal, `xsd:string`.
    public init(_ lexicalForm: String) {
        self.lexicalForm = lexicalForm
        self.datatype = XSD.string
        self.language = nil
    }

    /// A language-tagged string, `rdf:langString`.
    public init(_ lexicalForm: String, language: String) {
        self.lexicalForm = lexicalForm
        self.datatype = RDF.langString
        self.language = language.lowercased()
    }

    /// A typed literal.
    public init(_ lexicalForm: String, datatype: IRI) {
        self.lexicalForm = lexicalForm
        self.datatype = datatype
        self.language = nil
    }

    /// Literals are equal when lexical forms, datatypes and tags are, code point by code point.
    public static func == (lhs: Literal, rhs: Literal) -> Bool {
        lhs.datatype == rhs.datatype && lhs.language == rhs.language && CodePoints.equal(lhs.lexicalForm, rhs.lexicalForm)
    }

    public func hash(into hasher: inout Hasher) {
        CodePoints.hash(lexicalForm, into: &hasher)
        hasher.combine(datatype)
        hasher.combine(language)
    }

    /// Whether the literal is a simple `xsd:string`.
    public var isPlainString: Bool { language == nil && datatype == XSD.string }

    /// The literal in N-Triples form.
    public var description: String {
        var out = ""
        NTriplesEscaping.appendLiteral(self, to: &out)
        return out
    }
}
