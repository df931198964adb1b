/// A position in a text document, counted from 1 for both line and column.
public struct TextPosition: Hashable, Sendable, CustomStringConvertible {
    /// The line, counted from 1.
    public var line: Int
    /// The column, counted from 1 (in characters for Turtle and N-Triples, as libxml2 counts for RDF/XML).
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public var description: String { "\(line):\(column)" }
}

/// The one error type of the `Ontology` target.
///
/// Every error has a stable ``Code`` (a dotted string such as `rdfxml.syntax`) that callers and
/// HTTP status tables can switch on, a one-line message for people, and, for syntax errors, the
/// position in the input.
///
/// ```swift
/// throw OntologyError(.turtleSyntax, "expected `.`", at: TextPosition(line: 3, column: 7))
/// ```
public struct OntologyError: Error, Sendable, CustomStringConvertible {
    /// A stable, machine-readable error code. New codes can be added without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// Malformed RDF/XML (the XML itself or the RDF/XML grammar).
        public static let rdfxmlSyntax = Code("rdfxml.syntax")
        /// An RDF/XML document tried to use an external entity or DTD.
        public static let rdfxmlExternalEntity = Code("rdfxml.external_entity")
        /// An RDF/XML document expands entities beyond the allowed amount.
        public static let rdfxmlEntityLimit = Code("rdfxml.entity_limit")
        /// An RDF/XML document nests elements deeper than allowed.
        public static let rdfxmlDepthLimit = Code("rdfxml.depth_limit")
        /// Triples that RDF/XML cannot express (a predicate with no XML name, control characters).
        public static let rdfxmlUnserializable = Code("rdfxml.unserializable")
        /// Malformed Turtle.
        public static let turtleSyntax = Code("turtle.syntax")
        /// Malformed N-Triples.
        public static let ntriplesSyntax = Code("ntriples.syntax")
        /// An IRI that is not valid, or a relative reference with no base to resolve it against.
        public static let invalidIRI = Code("rdf.invalid_iri")
        /// A file could not be read or written.
        public static let io = Code("io")
        /// The format of a file could not be determined or is not supported.
        public static let unknownFormat = Code("rdf.unknown_format")
    }

    public var code: Code
    public var message: String
    public var position: TextPosition?

    public init(_ code: Code, _ message: String, at position: TextPosition? = nil) {
        self.code = code
        self.message = message
        self.position = position
    }

    /// `line:column: message`, or the message alone when there is no position.
    public var description: String {
        if let position { return "\(position): \(message)" }
        return message
    }
}
