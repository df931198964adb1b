import JSON

/// Writes triples as JSON-LD 1.1 in expanded, flattened form (JSON-LD 1.1 §5.1, §5.4): an
/// array of node objects, one per subject in the order subjects first appear, each with its
/// `@id`, its `rdf:type` values as `@type`, and every other predicate as a full IRI key.
///
/// Expanded form needs no `@context`, so every JSON-LD processor reads the output as exactly
/// these triples (`toRdf` gives them back), and no term a context would define can be read
/// differently by another client. Literals keep their lexical form (`@value` with `@type` or
/// `@language`); numbers are not turned into JSON numbers, which could change them.
/// Duplicate triples are written once.
public struct JSONLDWriter: RDFWriter {
    private let output: ByteOutput
    private var subjects: [Term] = []
    /// The predicates of each subject in first-seen order, with their objects.
    private var statements: [Term: [(predicate: IRI, objects: [Term])]] = [:]
    private var seen = Set<Triple>()

    public init(output: ByteOutput) {
        self.output = output
    }

    /// Keeps a triple for ``finish()``; a literal subject, which JSON-LD cannot write, throws.
    public mutating func write(_ triple: Triple) throws {
        if case .literal(let literal) = triple.subject {
            throw OntologyError(.turtleSyntax, "a literal (`\(literal)`) cannot be the subject of a JSON-LD node")
        }
        guard seen.insert(triple).inserted else { return }
        if statements[triple.subject] == nil {
            subjects.append(triple.subject)
            statements[triple.subject] = []
        }
        if let index = statements[triple.subject]!.firstIndex(where: { $0.predicate == triple.predicate }) {
            statements[triple.subject]![index].objects.append(triple.object)
        } else {
            statements[triple.subject]!.append((triple.predicate, [triple.object]))
        }
    }

    public mutating func finish() throws {
        var json = JSONTextWriter()
        json.beginArray()
        for subject in subjects {
            json.beginObject()
            json.key("@id")
            json.string(Self.identifier(subject))
            let predicates = statements[subject] ?? []
            // `@type` takes IRIs and blank nodes; a literal type stays a property.
            if let types = predicates.first(where: { $0.predicate == RDF.type })?.objects, types.allSatisfy({ $0.literal == nil }) {
                json.key("@type")
                json.beginArray()
                for type in types { json.string(Self.identifier(type)) }
                json.endArray()
            }
            for (predicate, objects) in predicates {
                if predicate == RDF.type, objects.allSatisfy({ $0.literal == nil }) { continue }
                json.key(predicate.value)
                json.beginArray()
                for object in objects { Self.write(object, to: &json) }
                json.endArray()
            }
            json.endObject()
        }
        json.endArray()
        output.append(json.text)
        output.append("\n")
        try output.flush()
    }

    private static func identifier(_ term: Term) -> String {
        switch term {
        case .iri(let iri): iri.value
        case .blankNode(let node): "_:" + node.id
        case .literal(let literal): literal.lexicalForm
        }
    }

    private static func write(_ object: Term, to json: inout JSONTextWriter) {
        json.beginObject()
        switch object {
        case .iri, .blankNode:
            json.key("@id")
            json.string(identifier(object))
        case .literal(let literal):
            json.key("@value")
            json.string(literal.lexicalForm)
            if let language = literal.language {
                json.key("@language")
                json.string(language)
            } else if literal.datatype != XSD.string {
                json.key("@type")
                json.string(literal.datatype.value)
            }
        }
        json.endObject()
    }
}
