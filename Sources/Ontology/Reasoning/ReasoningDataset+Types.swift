/// `rdf:type` triples: the stored ones, their superclasses (rdfs9), and the types that domains
/// (rdfs2) and ranges (rdfs3) give to the subjects and objects of other triples.
extension ReasoningDataset {
    /// The `rdf:type` triples matching the pattern.
    ///
    /// `?x rdf:type C` reads the stored types of every subclass of `C` and the subjects
    /// (objects) of every stored predicate whose domain (range), or that of a property it
    /// feeds, is a subclass of `C`. `s rdf:type ?c` reads the stored types of `s` and the
    /// triples around `s` whose predicates type anything.
    func typeQuads(subject: Term?, object: Term?, in graphs: GraphSelector) -> AnyIterator<Quad> {
        let typing = schema.typing
        let type = Term.iri(RDF.type)
        var union = QuadUnion()
        if let typeClass = object {
            let subClasses = schema.classes.descendants(of: typeClass).filter { $0 != typeClass }
            let bySubject = typing.subjectPredicates[typeClass] ?? []
            let byObject = typing.objectPredicates[typeClass] ?? []
            if subClasses.isEmpty, bySubject.isEmpty, byObject.isEmpty {
                return base.quads(subject: subject, predicate: type, object: typeClass, in: graphs)
            }
            if let subject {
                // A check for one resource (a join probing candidates): its stored types, read
                // once, against the subclasses, rather than a lookup per subclass.
                let wanted = Set(subClasses).union([typeClass])
                union.add { [self] in
                    QuadUnion.rewrite(base.quads(subject: subject, predicate: type, object: nil, in: graphs)) {
                        wanted.contains($0.object) ? Quad(subject, RDF.type, typeClass, graph: $0.graph) : nil
                    }
                }
            } else {
                // The stored answers first, so that an ASK or a LIMIT met by them costs nothing more.
                union.add { [self] in base.quads(subject: nil, predicate: type, object: typeClass, in: graphs) }
                for subClass in subClasses {
                    union.add { [self] in
                        QuadUnion.rewrite(base.quads(subject: nil, predicate: type, object: subClass, in: graphs)) {
                            Quad($0.subject, RDF.type, typeClass, graph: $0.graph)
                        }
                    }
                }
            }
            for predicate in bySubject {
                union.add { [self] in
                    QuadUnion.rewrite(base.quads(subject: subject, predicate: .iri(predicate), object: nil, in: graphs)) {
                        Quad($0.subject, RDF.type, typeClass, graph: $0.graph)
                    }
                }
            }
            for predicate in byObject {
                union.add { [self] in
                    QuadUnion.rewrite(base.quads(subject: nil, predicate: .iri(predicate), object: subject, in: graphs)) {
                        $0.object.literal == nil ? Quad($0.object, RDF.type, typeClass, graph: $0.graph) : nil
                    }
                }
            }
            return union.makeIterator(distinctBy: QuadUnion.SubjectKey.init)
        }
        union.add { [self] in
            QuadUnion.expand(base.quads(subject: subject, predicate: type, object: nil, in: graphs)) { [schema] quad in
                // The stored triple first, then what its class entails.
                schema.classes.ancestorsAndSelf(of: quad.object).map { Quad(quad.subject, RDF.type, $0, graph: quad.graph) }
            }
        }
        union.add { [self] in
            QuadUnion.expand(storedQuads(around: subject, asSubject: true, predicates: typing.typingSubjectPredicates, in: graphs)) {
                (typing.subjectClasses[$0.predicate] ?? []).map { [quad = $0] in Quad(quad.subject, RDF.type, $0, graph: quad.graph) }
            }
        }
        union.add { [self] in
            QuadUnion.expand(storedQuads(around: subject, asSubject: false, predicates: typing.typingObjectPredicates, in: graphs)) {
                guard $0.object.literal == nil else { return [] }
                return (typing.objectClasses[$0.predicate] ?? []).map { [quad = $0] in Quad(quad.object, RDF.type, $0, graph: quad.graph) }
            }
        }
        return union.makeIterator()
    }

    /// The stored quads with one of `predicates` that have `node` as subject (`asSubject`) or
    /// object; with no node, all quads of those predicates.
    ///
    /// One lookup per predicate is cheap when the node has many triples (a class with
    /// thousands of instances); one lookup of the node's triples, filtered, is cheap when the
    /// schema has many predicates and the node few triples (a service). The base's estimate
    /// decides between them.
    func storedQuads(around node: Term?, asSubject: Bool, predicates: [IRI], in graphs: GraphSelector) -> AnyIterator<Quad> {
        if let node, predicates.count > 4 {
            let (subject, object) = asSubject ? (node, nil) : (nil, Optional(node))
            let estimate = base.estimatedCount(subject: subject, predicate: nil, object: object, in: graphs)
            if estimate <= predicates.count * 16 {
                let wanted = Set(predicates)
                let around = base.quads(subject: subject, predicate: nil, object: object, in: graphs)
                return QuadUnion.rewrite(around) { wanted.contains($0.predicate) ? $0 : nil }
            }
        }
        var union = QuadUnion()
        for predicate in predicates {
            union.add { [self] in
                asSubject
                    ? base.quads(subject: node, predicate: .iri(predicate), object: nil, in: graphs)
                    : base.quads(subject: nil, predicate: .iri(predicate), object: node, in: graphs)
            }
        }
        // Lookups of different predicates never give the same quad.
        return union.makeIterator(deduplicating: false)
    }
}
