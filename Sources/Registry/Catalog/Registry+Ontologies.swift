import Foundation
import JSON
import Ontology

/// One ontology file the registry keeps loaded in its own named graph.
public struct LoadedOntology: Codable, Sendable, Hashable {
    /// The named graph: the file's `owl:Ontology` IRI.
    public var graph: String
    public var file: String
    /// FNV-1a hash of the file's bytes, to tell when a new release changed it.
    public var hash: String
    public var triples: Int
}

extension Registry {
    static let ontologyCollection = "ontology"

    /// Loads each RDF file of `directory` into the graph named by its `owl:Ontology`, replacing
    /// that graph when the file changed since it was last loaded (so an upgrade takes effect on
    /// the next start) and leaving it alone otherwise.
    /// - Returns: the ontologies loaded or replaced now.
    @discardableResult
    public func loadOntologies(from directory: String) async throws -> [LoadedOntology] {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { RDFFormat(fileName: $0) != nil }.sorted()
        var loaded: [LoadedOntology] = []
        for file in files {
            let path = directory + "/" + file
            let bytes = try RDFParser.readFile(atPath: path)
            var triples: [Triple] = []
            do {
                try bytes.withUnsafeBufferPointer { buffer in
                    try RDFParser.parse(buffer, format: RDFFormat(fileName: file)!, baseIRI: RDFParser.defaultBaseIRI(forPath: path)) {
                        triples.append($0)
                    }
                }
            } catch let error as OntologyError {
                throw RegistryError(.invalidRequest, "ontology `\(path)`: \(error.message)")
            }
            let ontologyIRI = triples.first { $0.predicate == RDF.type && $0.object == .iri(OWL.namespace + "Ontology") }?.subject.iri?.value
            let graph = ontologyIRI ?? "urn:registryd:ontology:" + IRIText.encodeSegment(file)
            let entry = LoadedOntology(graph: graph, file: file, hash: Self.fnv1a(bytes), triples: triples.count)
            let stored = try await store.read { snapshot in try snapshot.record(in: Self.ontologyCollection, key: graph) }
            if let stored, let previous = try? JSONValueDecoder(rejectsUnknownFields: false).decode(LoadedOntology.self, from: Array(stored.utf8)), previous.hash == entry.hash {
                continue
            }
            let statements = triples
            try await write { transaction, _, pending in
                _ = try transaction.replace(graph: .iri(graph), with: statements)
                try transaction.putRecord(try Self.encode(entry), in: Self.ontologyCollection, key: graph)
                _ = pending.event(.ontologyLoaded, id: file, name: graph)
            }
            loaded.append(entry)
        }
        return loaded
    }

    /// The ontologies loaded so far.
    public func loadedOntologies() async throws -> [LoadedOntology] {
        try await store.read { snapshot in
            try snapshot.records(in: Self.ontologyCollection).compactMap {
                try? JSONValueDecoder(rejectsUnknownFields: false).decode(LoadedOntology.self, from: Array($0.value.utf8))
            }
        }
    }

    static func fnv1a(_ bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}
