/// One open element of an RDF/XML document, as the grammar sees it.
struct RDFXMLFrame {
    enum Kind {
        case document
        /// `rdf:RDF`.
        case rdf
        /// A node element, or the node made by `rdf:parseType="Resource"`.
        case node
        /// A property element whose object is a node, text, or nothing yet.
        case property
        /// `rdf:parseType="Collection"`.
        case collection
        /// `rdf:parseType="Literal"` (or another value, which makes no triple).
        case literal(emits: Bool)
    }

    var kind: Kind
    /// The base IRI in scope (`xml:base`).
    var base: IRIResolver?
    /// The language in scope (`xml:lang`), lower case.
    var language: String?
    /// The node of a node element, or the subject of a property element.
    var subject: Term = .iri(RDF.nil)
    /// The predicate of a property element.
    var predicate: IRI = RDF.nil
    /// The statement IRI from `rdf:ID` on a property element, which reifies its triple.
    var reification: IRI?
    /// The object of a property element once known.
    var object: Term?
    /// `rdf:datatype` of a property element.
    var datatype: IRI?
    /// The next `rdf:li` number of a node element.
    var listCounter = 0
    /// The members of a collection so far.
    var members: [Term] = []

    init(kind: Kind, base: IRIResolver?, language: String?) {
        self.kind = kind
        self.base = base
        self.language = language
    }
}
