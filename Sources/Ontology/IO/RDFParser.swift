#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Parses RDF in any supported format, the one entry point that commands and the store use.
///
/// ```swift
/// try RDFParser.parse(fileAtPath: "ssn.ttl", format: .turtle) { triple in ... }
/// ```
public enum RDFParser {
    /// The base IRI a file gets when none is given: its `file://` URL, as `rapper` does.
    public static func defaultBaseIRI(forPath path: String) -> String {
        var absolute = path
        // The canonical path (no `..`, no symbolic links), since an absolute IRI is taken as
        // written and `file:///a/../b` would differ from `file:///b`.
        if let resolved = realpath(path, nil) {
            absolute = String(cString: resolved)
            free(resolved)
        } else if !path.hasPrefix("/") {
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            if getcwd(&buffer, buffer.count) != nil {
                absolute = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                    + "/" + path
            }
        }
        var encoded = "file://"
        for byte in absolute.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "/"), UInt8(ascii: "-"), UInt8(ascii: "."),
                UInt8(ascii: "_"), UInt8(ascii: "~"):
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                encoded += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return encoded
    }

    /// Parses a file, streaming where the format allows (RDF/XML always streams).
    /// - Parameters:
    ///   - baseIRI: the base for relative IRIs; by default the file's `file://` URL.
    /// - Throws: ``OntologyError`` with the position of the first syntax error.
    public static func parse(fileAtPath path: String, format: RDFFormat, baseIRI: String? = nil,
                             emit: (Triple) throws -> Void) throws {
        var prefixes: [(prefix: String, iri: String)] = []
        try parse(fileAtPath: path, format: format, baseIRI: baseIRI, prefixes: &prefixes, emit: emit)
    }

    /// Parses a file and also returns the prefixes it declares (Turtle `@prefix`, RDF/XML
    /// `xmlns:`), for writers that want to keep them.
    public static func parse(fileAtPath path: String, format: RDFFormat, baseIRI: String? = nil,
                             prefixes: inout [(prefix: String, iri: String)],
                             emit: (Triple) throws -> Void) throws {
        let base = baseIRI ?? defaultBaseIRI(forPath: path)
        switch format {
        case .rdfXML:
            try RDFXMLParser(baseIRI: base).parse(fileAtPath: path, prefixes: &prefixes, emit: emit)
        case .turtle:
            let bytes = try readFile(atPath: path)
            var parser = TurtleParser(baseIRI: base)
            try bytes.withUnsafeBufferPointer { try parser.parse($0, emit: emit) }
            prefixes = parser.prefixes
        case .nTriples:
            let bytes = try readFile(atPath: path)
            var parser = NTriplesParser()
            try bytes.withUnsafeBufferPointer { try parser.parse($0, emit: emit) }
        }
    }

    /// Parses a document held in memory.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, format: RDFFormat, baseIRI: String? = nil,
                             emit: (Triple) throws -> Void) throws {
        switch format {
        case .rdfXML:
            try RDFXMLParser(baseIRI: baseIRI).parse(bytes, emit: emit)
        case .turtle:
            var parser = TurtleParser(baseIRI: baseIRI)
            try parser.parse(bytes, emit: emit)
        case .nTriples:
            var parser = NTriplesParser()
            try parser.parse(bytes, emit: emit)
        }
    }

    /// Parses a document held in a string.
    public static func parse(_ string: String, format: RDFFormat, baseIRI: String? = nil,
                             emit: (Triple) throws -> Void) throws {
        var string = string
        try string.withUTF8 { try parse($0, format: format, baseIRI: baseIRI, emit: emit) }
    }

    /// Reads a whole file.
    public static func readFile(atPath path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw OntologyError(.io, "cannot open `\(path)`: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw OntologyError(.io, "cannot read `\(path)`: \(String(cString: strerror(errno)))")
            }
            if count == 0 { return result }
            result.append(contentsOf: chunk[0..<count])
        }
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
