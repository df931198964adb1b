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
        /// A query ran past its time limit.
        public static let sparqlTimeout = Code("sparql.timeout")
        /// A query's result is larger than allowed.
        public static let sparqlResultLimit = Code("sparql.result_limit")
        /// A query uses a feature registryd does not support (SERVICE).
        public static let sparqlUnsupported = Code("sparql.unsupported")
        /// An update operation that cannot be applied (a graph that exists or does not).
        public static let sparqlUpdate = Code("sparql.update")
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
        /// A malformed SPARQL query or update, or one the SPARQL grammar's extra rules reject
        /// (scoping of variables, blank node labels, aggregates).
        public static let sparqlSyntax = Code("sparql.syntax")
        /// A SPARQL query or update that nests groups, expressions or paths too deeply.
        public static let sparqlDepthLimit = Code("sparql.depth_limit")
        /// SQLite reported an error while reading or writing the quad store.
        public static let storage = Code("store.sqlite")
        /// Another process has the store's directory open.
        public static let storeLocked = Code("store.locked")
        /// The database file is not a registryd store, or was written by an unknown version.
        public static let storeSchema = Code("store.schema")
        /// A term id that no stored term has.
        public static let storeUnknownTerm = Code("store.unknown_term")
        /// A blank node label that names no blank node of the store.
        public static let storeUnknownBlankNode = Code("store.unknown_blank_node")
        /// A quad the store cannot hold, such as one whose graph name is a literal.
        public static let storeInvalidQuad = Code("store.invalid_quad")
        /// The store was used after it was closed.
        public static let storeClosed = Code("store.closed")
        /// The store was used in a way its API forbids (a write inside a write, a snapshot used
        /// after its closure returned).
        public static let storeMisuse = Code("store.misuse")
        /// A write to a graph its owner keeps in memory (``MemoryGraphs``), such as a
        /// registration's graph, through the generic quad operations.
        public static let storeReadOnlyGraph = Code("store.read_only_graph")
        /// `LOAD` of a source the server may not read (a file outside the allowed directory, a
        /// host not allowed).
        public static let sparqlLoadForbidden = Code("sparql.load_forbidden")
        /// `LOAD` of an allowed source that does not exist.
        public static let sparqlLoadNotFound = Code("sparql.load_not_found")
        /// `LOAD` of a source that is not RDF of its format (the message never quotes it).
        public static let sparqlLoadFailed = Code("sparql.load_failed")
        /// A replicated store could not append a write to the site's log (cluster mode: etcd
        /// has no quorum or cannot be reached); nothing was written.
        public static let replicationUnavailable = Code("cluster.unavailable")
        /// A replicated write is larger than the site's log takes in one entry.
        public static let replicationTooLarge = Code("cluster.write_too_large")
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
