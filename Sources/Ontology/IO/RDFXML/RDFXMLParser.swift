#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A streaming RDF/XML parser on libxml2's SAX2 interface, covering the whole RDF 1.1 XML
/// Syntax grammar.
///
/// Triples are handed to `emit` as soon as the grammar allows, so memory stays flat whatever the
/// size of the document. The parser is safe by construction: it never opens a network
/// connection, never loads an external entity or DTD, bounds entity expansion (a
/// "billion laughs" document fails fast) and bounds element nesting.
///
/// ```swift
/// let parser = RDFXMLParser(baseIRI: "http://example.org/doc.rdf")
/// try parser.parse(fileAtPath: "site.rdf") { triple in print(triple) }
/// ```
public struct RDFXMLParser: Sendable {
    /// Limits that bound the work a hostile document can cause.
    public struct Limits: Sendable {
        /// The deepest element nesting accepted.
        public var maxDepth: Int = 200
        /// The most bytes of entity replacement text accepted in one document.
        public var maxEntityExpansion: Int = 4 << 20
        public init() {}
    }

    /// The base IRI that relative references resolve against until `xml:base` says otherwise.
    public var baseIRI: String?
    public var limits: Limits

    public init(baseIRI: String? = nil, limits: Limits = Limits()) {
        self.baseIRI = baseIRI
        self.limits = limits
    }

    /// Parses a file, streaming it through libxml2 in chunks.
    /// - Throws: ``OntologyError`` with a line and column for syntax errors.
    public func parse(fileAtPath path: String, emit: (Triple) throws -> Void) throws {
        var prefixes: [(prefix: String, iri: String)] = []
        try parse(fileAtPath: path, prefixes: &prefixes, emit: emit)
    }

    /// Parses a file and also returns the namespace prefixes it declares (`xmlns:prefix`).
    public func parse(fileAtPath path: String, prefixes: inout [(prefix: String, iri: String)],
                      emit: (Triple) throws -> Void) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw OntologyError(.io, "cannot open `\(path)`: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        try withoutActuallyEscaping(emit) { emit in
            let reader = try RDFXMLReader(baseIRI: baseIRI, limits: limits, emit: emit)
            var chunk = [UInt8](repeating: 0, count: 1 << 18)
            while true {
                let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if count < 0 {
                    if errno == EINTR { continue }
                    throw OntologyError(.io, "cannot read `\(path)`: \(String(cString: strerror(errno)))")
                }
                if count == 0 { break }
                try chunk.withUnsafeBufferPointer { try reader.feed(UnsafeBufferPointer(rebasing: $0[0..<count])) }
            }
            try reader.finish()
            prefixes = reader.prefixes
        }
    }

    /// Parses a document held in memory.
    public func parse(_ bytes: UnsafeBufferPointer<UInt8>, emit: (Triple) throws -> Void) throws {
        try withoutActuallyEscaping(emit) { emit in
            let reader = try RDFXMLReader(baseIRI: baseIRI, limits: limits, emit: emit)
            var offset = 0
            // Chunks keep libxml2's buffers small for large in-memory documents too.
            while offset < bytes.count {
                let end = min(offset + (1 << 18), bytes.count)
                try reader.feed(UnsafeBufferPointer(rebasing: bytes[offset..<end]))
                offset = end
            }
            try reader.finish()
        }
    }

    /// Parses a document held in a string.
    public func parse(_ string: String, emit: (Triple) throws -> Void) throws {
        var string = string
        try string.withUTF8 { try parse($0, emit: emit) }
    }

    /// Parses a document and returns all its triples.
    public func triples(in string: String) throws -> [Triple] {
        var result: [Triple] = []
        try parse(string) { result.append($0) }
        return result
    }
}
