import Ontology

/// A W3C test manifest read into a graph indexed by subject, with the lookups every runner
/// needs: a property's values, the entries list, RDF lists.
struct ManifestGraph {
    static let mf = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"

    /// The manifest's own IRI (its file's).
    let iri: String
    private var index: [Term: [IRI: [Term]]] = [:]

    /// Reads the Turtle manifest at `path`.
    init(path: String) throws {
        iri = RDFParser.defaultBaseIRI(forPath: path)
        var index: [Term: [IRI: [Term]]] = [:]
        try RDFParser.parse(fileAtPath: path, format: .turtle, baseIRI: iri) { triple in
            index[triple.subject, default: [:]][triple.predicate, default: []].append(triple.object)
        }
        self.index = index
    }

    func values(_ subject: Term, _ predicate: String) -> [Term] { index[subject]?[IRI(predicate)] ?? [] }
    func value(_ subject: Term, _ predicate: String) -> Term? { values(subject, predicate).first }
    func text(_ subject: Term, _ predicate: String) -> String? { value(subject, predicate)?.literal?.lexicalForm }

    /// The members of the RDF list that starts at `head`.
    func list(_ head: Term?) -> [Term] {
        var items: [Term] = []
        var cell = head
        while let current = cell, current != .iri(RDF.nil), items.count < 100_000 {
            if let first = value(current, RDF.first.value) { items.append(first) }
            cell = value(current, RDF.rest.value)
        }
        return items
    }

    /// The manifest node: usually `<>`, but some manifests describe themselves with a blank node.
    var manifestNode: Term {
        index.first { $0.value[RDF.type]?.contains(.iri(IRI(Self.mf + "Manifest"))) == true
            && $0.value[IRI(Self.mf + "entries")] != nil }?.key ?? .iri(IRI(iri))
    }

    /// The tests `mf:entries` lists, in order.
    var entries: [Term] { list(value(manifestNode, Self.mf + "entries")) }

    /// The local name of an entry's IRI (after `#`).
    static func localName(_ term: Term) -> String {
        String(term.iri?.value.split(separator: "#").last ?? "")
    }
}
