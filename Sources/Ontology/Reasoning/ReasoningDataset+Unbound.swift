/// Patterns with an unbound predicate (`<s> ?p ?o`, `?s ?p <o>`, `?s ?p ?o`): every property
/// at once.
extension ReasoningDataset {
    /// The stored quads matching the pattern, each followed by the triples it gives directly to
    /// other properties (subproperties, inverses); then the properties that need a transitive
    /// closure, the entailed types, and the schema closures. Without any bound position this
    /// reads the whole dataset and holds every answer in memory to remove duplicates.
    func unboundPredicateQuads(subject: Term?, object: Term?, in graphs: GraphSelector) -> AnyIterator<Quad> {
        let derivations = schema.derivations
        let bothOpen = subject == nil && object == nil
        var union = QuadUnion()
        union.add { [self] in
            QuadUnion.expand(base.quads(subject: subject, predicate: nil, object: object, in: graphs)) { quad in
                var found = [quad]
                for target in derivations.storedTargets[quad.predicate] ?? [] where !target.flipped || bothOpen {
                    if let rewritten = Self.rewrite(quad, as: target.predicate, flipped: target.flipped) { found.append(rewritten) }
                }
                return found
            }
        }
        if !bothOpen {
            // A stored `o q s` gives `s p o` for an inverse `p` of `q`: read the pattern turned round.
            let flippedSources = derivations.flippedSources
            if !flippedSources.isEmpty {
                union.add { [self] in
                    let turned = subject.map { storedQuads(around: $0, asSubject: false, predicates: flippedSources, in: graphs) }
                        ?? object.map { storedQuads(around: $0, asSubject: true, predicates: flippedSources, in: graphs) }
                        ?? AnyIterator { nil }
                    return QuadUnion.expand(turned) { quad in
                        // With both ends bound, the turned-round lookup was filtered on one end only.
                        if let subject, let object, quad.subject != object || quad.object != subject { return [] }
                        return (derivations.storedTargets[quad.predicate] ?? []).compactMap { target in
                            target.flipped ? Self.rewrite(quad, as: target.predicate, flipped: true) : nil
                        }
                    }
                }
            }
        }
        for property in derivations.closureTargets {
            union.add { [self] in propertyQuads(property, subject: subject, object: object, in: graphs) }
        }
        if !schema.typing.isEmpty || schema.classes.pairCount > 0 {
            union.add { [self] in typeQuads(subject: subject, object: object, in: graphs) }
        }
        if graphs == .defaultGraph {
            union.add { [self] in
                AnyIterator(closureQuads(schema.classes, RDFS.subClassOf, subject: subject, object: object).makeIterator())
            }
            union.add { [self] in
                AnyIterator(closureQuads(schema.properties, RDFS.subPropertyOf, subject: subject, object: object).makeIterator())
            }
        }
        return union.makeIterator()
    }
}
