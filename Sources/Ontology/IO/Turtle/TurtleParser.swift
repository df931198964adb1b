/// Parses RDF 1.1 Turtle from UTF-8 bytes, handing each triple to a closure as soon as it is read.
///
/// The parser accepts exactly the W3C grammar: `@prefix`/`@base` and SPARQL-style
/// `PREFIX`/`BASE`, prefixed names with their escapes, blank node property lists, collections,
/// every string form with `ECHAR` and `UCHAR` escapes, numbers, booleans, language tags and
/// datatypes. Relative IRIs are resolved against the base IRI (RFC 3986). Any other input throws
/// an ``OntologyError`` with code ``OntologyError/Code/turtleSyntax`` (or
/// ``OntologyError/Code/invalidIRI`` for a relative IRI with no base) and the line and column
/// of the offending token.
///
/// ```swift
/// var parser = TurtleParser(baseIRI: "http://example.org/")
/// try parser.parse("<a> a <B> .") { triple in print(triple) }
/// parser.prefixes   // the prefixes the document declared
/// ```
public struct TurtleParser: Sendable {
    /// How deeply `[` and `(` may nest before the parser gives up.
    public static let maximumNestingDepth = 1000

    /// The prefixes the last parsed document declared, in the order of their first declaration;
    /// a prefix declared again keeps its place and takes its latest IRI.
    public private(set) var prefixes: [(prefix: String, iri: String)] = []

    /// The base IRI the last parsed document ended with (after any `@base`), if any.
    public private(set) var finalBaseIRI: String?

    private let baseIRI: String?

    /// Makes a parser. `baseIRI`, if given, must be absolute; relative IRIs in a document
    /// without `@base` are resolved against it, and are an error when there is none.
    public init(baseIRI: String? = nil) {
        self.baseIRI = baseIRI
    }

    /// Parses a whole document. Each parse starts from the base IRI given to ``init(baseIRI:)``
    /// with no prefixes; blank node labels written in the document are kept as written.
    public mutating func parse(_ bytes: UnsafeBufferPointer<UInt8>, emit: (Triple) throws -> Void) throws {
        var resolver: IRIResolver?
        if let baseIRI {
            guard let baseResolver = IRIResolver(base: baseIRI) else {
                throw OntologyError(.invalidIRI, "base IRI `\(baseIRI)` is not absolute")
            }
            resolver = baseResolver
        }
        var grammar = TurtleGrammar(bytes: bytes, resolver: resolver, maximumDepth: Self.maximumNestingDepth)
        defer {
            prefixes = grammar.declaredPrefixes
            finalBaseIRI = grammar.baseIRI
        }
        try grammar.run(emit: emit)
    }

    /// Parses a whole document held in a string.
    public mutating func parse(_ string: String, emit: (Triple) throws -> Void) throws {
        var string = string
        try string.withUTF8 { bytes in
            try parse(bytes, emit: emit)
        }
    }
}
