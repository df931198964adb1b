/// The schema that RDFS reasoning works from, with its closures computed once.
///
/// Read from the default graph of the dataset's ``QueryableDataset/schemaDataset`` (for the
/// quad store, the graphs an admin wrote: never a registration's, docs/trust.md):
/// `rdfs:subClassOf`, `rdfs:subPropertyOf`, `rdfs:domain`, `rdfs:range`, `owl:inverseOf`,
/// `owl:equivalentClass`, `owl:equivalentProperty` and the `rdf:type owl:TransitiveProperty`
/// declarations (also through subclasses of `owl:TransitiveProperty`).
///
/// - `owl:equivalentClass` counts as `rdfs:subClassOf` both ways and `owl:equivalentProperty`
///   as `rdfs:subPropertyOf` both ways; both hierarchies are closed transitively (rdfs5, rdfs11).
/// - The vocabulary that defines the schema (``RDFSSchema/schemaPredicates``) is not itself
///   reasoned about: a subproperty of `rdf:type` or a domain of `rdfs:subClassOf` has no effect.
///   This keeps the schema fixed while instances are reasoned about (no meta-modelling).
///
/// A value: build it once per query (``ReasoningDataset/init(base:)`` does), or keep one
/// across queries while the store has not changed (``RDFSSchemaCache``) and hand it to
/// ``ReasoningDataset/init(base:schema:)``.
public struct RDFSSchema: Sendable {
    /// The predicates that state the schema. Their own triples are answered from the closures
    /// (`rdfs:subClassOf`, `rdfs:subPropertyOf`) or as stored; they never take part in the
    /// property rules.
    public static let schemaPredicates: Set<IRI> = [
        RDF.type, RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range,
        OWL.inverseOf, OWL.equivalentClass, OWL.equivalentProperty,
    ]

    /// `rdfs:subClassOf` closed transitively, equivalent classes included both ways.
    let classes: TransitiveClosure<Term>
    /// `rdfs:subPropertyOf` closed transitively, equivalent properties included both ways.
    let properties: TransitiveClosure<Term>
    /// How the triples of each property derive from stored triples (rdfs7, inverses, transitivity).
    let derivations: PropertyDerivations
    /// Which classes the subjects and objects of stored triples get (rdfs2, rdfs3, rdfs9).
    let typing: TypeDerivations
    /// How many schema statements the schema was built from.
    public let tripleCount: Int

    /// Reads the schema from the default graph of `dataset`.
    ///
    /// Errors of the dataset are recorded by the dataset itself (``QueryableDataset/storageFailure()``);
    /// the schema then holds what was read before the failure.
    public init(reading dataset: any QueryableDataset) {
        self.init(statements: Self.statements(in: dataset))
    }

    /// Builds the schema from triples; triples that do not state schema are ignored.
    public init(triples: some Sequence<Triple>) {
        let relevant = triples.filter { Self.schemaPredicates.contains($0.predicate) }
        let transitiveClasses = Set(Self.transitivePropertyClasses(relevant))
        self.init(statements: relevant.filter { $0.predicate != RDF.type || transitiveClasses.contains($0.object) })
    }

    /// A schema with no statements: reasoning over it changes nothing.
    public static let empty = RDFSSchema(triples: [])

    /// The statements a schema is built from, read from the default graph of `dataset`: the
    /// triples of the schema predicates, and the `rdf:type` triples that declare transitive
    /// properties. A few indexed lookups, far cheaper than building the schema.
    static func statements(in queried: any QueryableDataset) -> [Triple] {
        // Only trusted graphs state the schema (for the quad store, not the registrations').
        let dataset = queried.schemaDataset
        var triples: [Triple] = []
        let predicates = [RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range,
                          OWL.inverseOf, OWL.equivalentClass, OWL.equivalentProperty]
        for predicate in predicates {
            let quads = dataset.quads(subject: nil, predicate: .iri(predicate), object: nil, in: .defaultGraph)
            while let quad = quads.next() { triples.append(quad.triple) }
        }
        for transitiveClass in transitivePropertyClasses(triples) {
            let quads = dataset.quads(subject: nil, predicate: .iri(RDF.type), object: transitiveClass, in: .defaultGraph)
            while let quad = quads.next() { triples.append(quad.triple) }
        }
        return triples
    }

    /// `owl:TransitiveProperty` and its subclasses (or equivalent classes), by a walk up the
    /// class statements: an instance of any of them is a transitive property.
    private static func transitivePropertyClasses(_ triples: [Triple]) -> [Term] {
        var found: [Term] = [.iri(OWL.transitiveProperty)]
        var seen = Set(found)
        var position = 0
        while position < found.count {
            let target = found[position]
            position += 1
            for triple in triples {
                let next: Term
                if triple.predicate == RDFS.subClassOf, triple.object == target {
                    next = triple.subject
                } else if triple.predicate == OWL.equivalentClass, triple.object == target || triple.subject == target {
                    next = triple.object == target ? triple.subject : triple.object
                } else {
                    continue
                }
                if seen.insert(next).inserted { found.append(next) }
            }
        }
        return found
    }

    /// Builds the schema from ``statements(in:)``: every `rdf:type` statement among them
    /// declares a transitive property.
    init(statements: [Triple]) {
        self.init(schemaTriples: statements, classes: Self.classClosure(statements))
    }

    private init(schemaTriples triples: [Triple], classes: TransitiveClosure<Term>) {
        var propertyEdges: [(from: Term, to: Term)] = []
        var domains: [IRI: [Term]] = [:]
        var ranges: [IRI: [Term]] = [:]
        var described: [IRI] = []
        var inverses: [(IRI, IRI)] = []
        var transitive = Set<IRI>()
        for triple in triples {
            switch triple.predicate {
            case RDFS.subPropertyOf:
                propertyEdges.append((triple.subject, triple.object))
            case OWL.equivalentProperty:
                propertyEdges.append((triple.subject, triple.object))
                propertyEdges.append((triple.object, triple.subject))
            case RDFS.domain:
                guard let property = triple.subject.iri else { break }
                if domains[property] == nil && ranges[property] == nil { described.append(property) }
                domains[property, default: []].append(triple.object)
            case RDFS.range:
                guard let property = triple.subject.iri else { break }
                if domains[property] == nil && ranges[property] == nil { described.append(property) }
                ranges[property, default: []].append(triple.object)
            case OWL.inverseOf:
                // Inverses of property expressions (blank nodes) name no predicate to rewrite.
                if let first = triple.subject.iri, let second = triple.object.iri { inverses.append((first, second)) }
            case RDF.type:
                if let property = triple.subject.iri { transitive.insert(property) }
            default:
                break
            }
        }
        self.classes = classes
        self.properties = TransitiveClosure(edges: propertyEdges)
        let subPropertyEdges = propertyEdges.compactMap { edge -> (IRI, IRI)? in
            guard let sub = edge.from.iri, let sup = edge.to.iri else { return nil }
            return (sub, sup)
        }
        let derivations = PropertyDerivations(subPropertyEdges: subPropertyEdges, inverses: inverses,
                                              transitive: transitive, excluded: Self.schemaPredicates)
        self.derivations = derivations
        self.typing = TypeDerivations(domains: domains, ranges: ranges, described: described, derivations: derivations,
                                      classes: classes, excluded: Self.schemaPredicates)
        self.tripleCount = triples.count
    }

    /// The `rdfs:subClassOf` relation with `owl:equivalentClass` both ways, closed.
    private static func classClosure(_ triples: [Triple]) -> TransitiveClosure<Term> {
        var edges: [(from: Term, to: Term)] = []
        for triple in triples {
            if triple.predicate == RDFS.subClassOf {
                edges.append((triple.subject, triple.object))
            } else if triple.predicate == OWL.equivalentClass {
                edges.append((triple.subject, triple.object))
                edges.append((triple.object, triple.subject))
            }
        }
        return TransitiveClosure(edges: edges)
    }

    /// Whether reasoning over this schema can add anything to the stored triples.
    public var isEmpty: Bool {
        classes.pairCount == 0 && properties.pairCount == 0 && derivations.isEmpty && typing.isEmpty
    }

    /// The classes `term` is a subclass of, itself included (what `x a term` entails, rdfs9).
    public func superClasses(of term: Term) -> Set<Term> { Set(classes.ancestorsAndSelf(of: term)) }

    /// The classes that are subclasses of `term`, itself included.
    public func subClasses(of term: Term) -> Set<Term> { Set(classes.descendantsAndSelf(of: term)) }

    /// The properties `property` is a subproperty of, itself included (rdfs5, rdfs7).
    public func superProperties(of property: IRI) -> Set<IRI> {
        Set(properties.ancestorsAndSelf(of: .iri(property)).compactMap(\.iri))
    }

    /// Whether a property is transitive (declared `owl:TransitiveProperty`).
    public func isTransitive(_ property: IRI) -> Bool { derivations.transitive.contains(property) }
}
