#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Readers for the sources of SPARQL `LOAD <iri>`.
///
/// `LOAD` makes the server read what the request names, so a server must bound it: `file:`
/// IRIs only under one directory an admin chose (after resolving `..` and symbolic links), and
/// errors that never quote what was read (a parse error of `/etc/shadow` would otherwise show
/// its first line). Network sources are fetched by the caller before the update runs (the
/// update itself runs in a store transaction, where nothing may wait on the network) and
/// handed in through ``prefetched(_:otherwise:)``.
public enum LoadSources {
    /// A reader of `file:` IRIs for files under `directory` (`/` for any file); other schemes
    /// are refused with `sparql.load_forbidden`.
    public static func files(under directory: String) -> @Sendable (IRI) throws -> [Triple] {
        let root = resolved(directory) ?? directory
        return { source in
            guard let path = filePath(of: source.value) else {
                throw OntologyError(.sparqlLoadForbidden, "LOAD <\(source.value)>: this server loads only `file:` IRIs under the directory an admin allowed")
            }
            let lexical = normalized(path)
            guard root == "/" || lexical == root || lexical.hasPrefix(root + "/") else {
                throw OntologyError(.sparqlLoadForbidden, "LOAD <\(source.value)>: the file is outside the directory this server may load from (serve --load-allow-dir)")
            }
            guard let real = resolved(lexical) else {
                throw OntologyError(.sparqlLoadNotFound, "LOAD <\(source.value)>: no such file")
            }
            guard root == "/" || real.hasPrefix(root + "/") else {
                throw OntologyError(.sparqlLoadForbidden, "LOAD <\(source.value)>: the file is outside the directory this server may load from (serve --load-allow-dir)")
            }
            guard let format = RDFFormat(fileName: real) else {
                throw OntologyError(.sparqlLoadFailed, "LOAD <\(source.value)>: cannot tell the RDF format from the file name (.rdf, .ttl, .nt...)")
            }
            let bytes: [UInt8]
            do {
                bytes = try RDFParser.readFile(atPath: real)
            } catch {
                throw OntologyError(.sparqlLoadFailed, "LOAD <\(source.value)>: the file cannot be read")
            }
            return try parse(bytes, format: format, source: source.value)
        }
    }

    /// A reader that answers from sources fetched beforehand and asks `otherwise` for the rest.
    public static func prefetched(_ fetched: [String: [Triple]], otherwise: @escaping (IRI) throws -> [Triple]) -> (IRI) throws -> [Triple] {
        { source in try fetched[source.value] ?? otherwise(source) }
    }

    /// Parses a source's bytes; a syntax error says where, never what was there.
    public static func parse(_ bytes: [UInt8], format: RDFFormat, source: String) throws -> [Triple] {
        var triples: [Triple] = []
        do {
            try bytes.withUnsafeBufferPointer { buffer in
                try RDFParser.parse(buffer, format: format, baseIRI: source) { triples.append($0) }
            }
        } catch let error as OntologyError {
            let place = error.position.map { " (at \($0))" } ?? ""
            throw OntologyError(.sparqlLoadFailed, "LOAD <\(source)>: the source is not valid \(format.rawValue)\(place)")
        }
        return triples
    }

    /// The path of a `file:` IRI (`file:///p`, `file://localhost/p`, `file:/p`), %-decoded.
    static func filePath(of iri: String) -> String? {
        guard iri.lowercased().hasPrefix("file:") else { return nil }
        var rest = Substring(iri.dropFirst(5))
        if rest.hasPrefix("//") {
            rest = rest.dropFirst(2)
            let authority = rest.prefix { $0 != "/" }
            guard authority.isEmpty || authority.lowercased() == "localhost" else { return nil }
            rest = rest.dropFirst(authority.count)
        }
        guard rest.first == "/", !rest.contains("?"), !rest.contains("#") else { return nil }
        var bytes: [UInt8] = []
        var iterator = rest.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next(), let low = iterator.next(),
                  let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16), value != 0 else { return nil }
            bytes.append(value)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    /// The absolute path with `.` and `..` segments resolved lexically.
    static func normalized(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            if part == "." { continue }
            if part == ".." { _ = parts.popLast(); continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// The path with symbolic links resolved, nil when it does not exist.
    static func resolved(_ path: String) -> String? {
        guard let pointer = realpath(path, nil) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }
}
