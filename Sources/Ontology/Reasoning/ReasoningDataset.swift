/// A dataset that answers with the stored quads plus what RDFS (and a little OWL) entails.
///
/// Wrap the dataset of one query; the evaluator, unchanged, then sees the entailments:
///
/// ```swift
/// let result = try store.read { snapshot in
///     try QueryEvaluator(dataset: ReasoningDataset(base: StoreDataset(snapshot))).evaluate(query)
/// }
/// ```
///
/// Reasoning is switched off for a query by not wrapping: `QueryEvaluator(dataset: StoreDataset(snapshot))`
/// (or `QueryEvaluator(dataset:reasoning:)` with `false`). Wrap only for queries, never for
/// updates. Building the schema costs about a millisecond for SOSA, SSN and IoT-Lite; a server
/// keeps an ``RDFSSchemaCache`` and passes its schema to ``init(base:schema:)``.
///
/// Rules (RDF 1.1 Semantics §9.2, with a schema that is fixed while the query runs):
/// - rdfs2 / rdfs3: `s p o`, `p rdfs:domain C` ⇒ `s rdf:type C`; `p rdfs:range C` ⇒
///   `o rdf:type C` (not for literal `o`).
/// - rdfs5 / rdfs11: `rdfs:subPropertyOf` and `rdfs:subClassOf` are transitive (a class or
///   property is its own subclass or subproperty only when a cycle says so).
/// - rdfs7: `s q o`, `q rdfs:subPropertyOf p` ⇒ `s p o`.
/// - rdfs9: `x rdf:type C`, `C rdfs:subClassOf D` ⇒ `x rdf:type D`.
/// - `owl:inverseOf` (declared either way): `s p o` ⇒ `o q s`; `owl:TransitiveProperty`:
///   closure; `owl:equivalentClass` / `owl:equivalentProperty`: subclass / subproperty both ways.
/// - Rules combine: a subproperty's triple feeds the domain of the superproperty, the inverse
///   of a superproperty, a transitive closure above it, and so on.
///
/// Not derived: the axiomatic triples and rdfs1, 4, 6, 8, 10, 12, 13 (every resource an
/// `rdfs:Resource`, every class its own subclass...), triples with a literal subject, and
/// anything about the schema vocabulary itself (``RDFSSchema/schemaPredicates``). Derivations
/// may pass through a triple with a literal subject (generalized RDF, as RDF 1.1 Semantics
/// §9.2.1 allows): `s p "v"` with `q` the inverse of `p` gives `"v" q s`, which is not
/// returned but still types `s` by the range of `q`.
///
/// Graphs: the schema is read from the base's default graph (for the quad store the union of
/// all graphs) when the wrapper is made, so a change to the ontology shows in the next query.
/// For the default graph, entailments are computed over it and reported in it. For a named
/// graph (``GraphSelector/named(_:)``, ``GraphSelector/anyNamed``) they are computed from that
/// graph's own triples, with the default-graph schema, and reported in that graph: `GRAPH ?g
/// { ?x a sosa:System }` finds what each registration says of itself. The closures of
/// `rdfs:subClassOf` and `rdfs:subPropertyOf` themselves are reported in the default graph only.
/// A query with `FROM` sees each `FROM` graph reasoned about alone (the evaluator reads them as
/// named graphs), so an entailment that needs triples of two `FROM` graphs is not made.
///
/// Cost: `?x rdf:type C` reads the stored types of each subclass of `C` and the triples of
/// each property whose domain or range gives `C`; `s p ?o` reads each property feeding `p`;
/// a transitive property walks from the bound end. Patterns with neither subject nor object
/// bound read everything they could match and keep the answers in memory to drop duplicates.
///
/// A triple is never returned twice by one call to ``quads(subject:predicate:object:in:)``
/// once any entailment is involved; patterns that no rule touches are passed through to the
/// base untouched (and keep its behaviour).
public final class ReasoningDataset: QueryableDataset {
    /// The dataset with the stored quads.
    public let base: any QueryableDataset
    /// The schema the entailments follow.
    public let schema: RDFSSchema
    /// Estimates already asked of the base: the planner asks again for every input solution.
    private var estimates: [EstimateKey: Int] = [:]

    private struct EstimateKey: Hashable {
        var subject: Term?
        var predicate: Term?
        var object: Term?
        var graphs: GraphSelector
    }

    public var schemaDataset: any QueryableDataset { base.schemaDataset }

    /// Wraps `base`, reading the schema from its default graph now.
    public convenience init(base: any QueryableDataset) {
        self.init(base: base, schema: RDFSSchema(reading: base))
    }

    /// Wraps `base` with a schema read earlier, for a caller that caches the schema while the
    /// store is unchanged. The schema must come from the same data, or answers follow the old one.
    public init(base: any QueryableDataset, schema: RDFSSchema) {
        self.base = base
        self.schema = schema
    }

    public func quads(subject: Term?, predicate: Term?, object: Term?, in graphs: GraphSelector) -> AnyIterator<Quad> {
        guard !schema.isEmpty else { return base.quads(subject: subject, predicate: predicate, object: object, in: graphs) }
        // No rule derives a triple with a literal subject, nor a predicate that is not an IRI.
        if let subject, subject.literal != nil { return AnyIterator { nil } }
        guard let predicate else { return unboundPredicateQuads(subject: subject, object: object, in: graphs) }
        guard let property = predicate.iri else { return AnyIterator { nil } }
        return propertyQuads(property, subject: subject, object: object, in: graphs)
    }

    public func namedGraphs() -> [Term] { base.namedGraphs() }

    public func storageFailure() -> Error? { base.storageFailure() }

    /// The base's estimate, summed over the stored patterns an entailed pattern reads (and
    /// doubled for a transitive closure, whose size the base cannot know). Remembered for the
    /// life of the wrapper, since the data does not change under one query.
    public func estimatedCount(subject: Term?, predicate: Term?, object: Term?, in graphs: GraphSelector) -> Int {
        guard !schema.isEmpty else {
            return base.estimatedCount(subject: subject, predicate: predicate, object: object, in: graphs)
        }
        let key = EstimateKey(subject: subject, predicate: predicate, object: object, graphs: graphs)
        if let known = estimates[key] { return known }
        let estimate = computeEstimate(subject: subject, predicate: predicate, object: object, in: graphs)
        if estimates.count >= 4096 { estimates.removeAll(keepingCapacity: true) }
        estimates[key] = estimate
        return estimate
    }

    // MARK: - Dispatch

    /// The triples of one property: from the schema closures, the typing rules, or the
    /// property's derivation units.
    func propertyQuads(_ property: IRI, subject: Term?, object: Term?, in graphs: GraphSelector) -> AnyIterator<Quad> {
        if property == RDF.type {
            return typeQuads(subject: subject, object: object, in: graphs)
        }
        if graphs == .defaultGraph, property == RDFS.subClassOf {
            return AnyIterator(closureQuads(schema.classes, property, subject: subject, object: object).makeIterator())
        }
        if graphs == .defaultGraph, property == RDFS.subPropertyOf {
            return AnyIterator(closureQuads(schema.properties, property, subject: subject, object: object).makeIterator())
        }
        guard let units = schema.derivations.units(of: property) else {
            return base.quads(subject: subject, predicate: .iri(property), object: object, in: graphs)
        }
        var union = QuadUnion()
        for unit in units {
            switch unit {
            case .stored(let edge):
                union.add { [self] in
                    let (from, to) = edge.flipped ? (object, subject) : (subject, object)
                    let stored = base.quads(subject: from, predicate: .iri(edge.predicate), object: to, in: graphs)
                    return QuadUnion.rewrite(stored) { Self.rewrite($0, as: property, flipped: edge.flipped) }
                }
            case .closure(let edge):
                union.add { [self] in
                    let (from, to) = edge.flipped ? (object, subject) : (subject, object)
                    let closed = transitiveQuads(edge.predicate, subject: from, object: to, in: graphs)
                    return QuadUnion.rewrite(closed) { Self.rewrite($0, as: property, flipped: edge.flipped) }
                }
            }
        }
        return union.makeIterator(distinctBy: QuadUnion.SubjectObjectKey.init)
    }

    /// A stored (or closed) quad as a triple of `property`, turned round when `flipped`; nil
    /// when that would put a literal in subject position.
    static func rewrite(_ quad: Quad, as property: IRI, flipped: Bool) -> Quad? {
        let (subject, object) = flipped ? (quad.object, quad.subject) : (quad.subject, quad.object)
        if subject.literal != nil { return nil }
        return Quad(subject, property, object, graph: quad.graph)
    }

    /// The pairs of a schema closure matching the pattern, as default-graph quads.
    func closureQuads(_ closure: TransitiveClosure<Term>, _ property: IRI, subject: Term?, object: Term?) -> [Quad] {
        switch (subject, object) {
        case (let subject?, let object?):
            return closure.reaches(subject, object) ? [Quad(subject, property, object)] : []
        case (let subject?, nil):
            return closure.ancestors(of: subject).map { Quad(subject, property, $0) }
        case (nil, let object?):
            return closure.descendants(of: object).compactMap { $0.literal == nil ? Quad($0, property, object) : nil }
        case (nil, nil):
            return closure.pairs.compactMap { $0.from.literal == nil ? Quad($0.from, property, $0.to) : nil }
        }
    }
}
