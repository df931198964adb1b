/// Translates the parse of a query into the SPARQL algebra, following SPARQL 1.1 §18.2, and
/// checks the rules the grammar alone does not express.
///
/// Group graph patterns (§18.2.2.6): the elements join in order, `OPTIONAL` becomes a left join
/// that takes the optional group's own filters as its condition, `MINUS` a minus, `BIND` an
/// extend, and the filters of a group apply to the whole group. Property paths that are a
/// plain IRI, `^iri` or a sequence become triple patterns (§18.2.2.4), with a fresh variable
/// in the middle of a sequence. The empty pattern is dropped from joins (§18.2.2.8).
struct AlgebraBuilder: Sendable {
    /// The input, for error positions.
    var source = SourceText("")
    /// Variables introduced so far, for fresh names across the whole query (the patterns of
    /// `EXISTS` are translated with the same builder, so their names never collide).
    private var generatedCount = 0

    /// A variable no query can name.
    mutating func freshVariable(_ stem: String) -> Variable {
        generatedCount += 1
        return Variable(stem + String(generatedCount), kind: .generated)
    }

    func error(_ message: String, at offset: Int) -> OntologyError {
        source.error(message, at: offset)
    }

    /// `Join(a, b)`, dropping the empty pattern and merging adjacent basic graph patterns.
    static func join(_ left: GraphPattern, _ right: GraphPattern) -> GraphPattern {
        switch (left, right) {
        case (.bgp(let a), _) where a.isEmpty: return right
        case (_, .bgp(let b)) where b.isEmpty: return left
        case (.bgp(let a), .bgp(let b)): return .bgp(a + b)
        default: return .join(left, right)
        }
    }

    /// Translates a group that stands alone (the pattern of `EXISTS`, or the `WHERE` of an
    /// update) after checking its blank node labels; returns the labels it uses.
    mutating func translateStandalone(_ group: GroupSyntax) throws -> (pattern: GraphPattern, labels: [String: Int]) {
        let labels = try blankNodeLabels(in: group)
        return (try translate(group), labels)
    }

    /// `Translate(group)`, with the group's filters applied.
    mutating func translate(_ group: GroupSyntax) throws -> GraphPattern {
        let (pattern, filter) = try translateKeepingFilter(group)
        guard let filter else { return pattern }
        return .filter(pattern, filter)
    }

    /// The pattern of a group and, apart, the conjunction of its filters (which `OPTIONAL`
    /// turns into the condition of its left join).
    mutating func translateKeepingFilter(_ group: GroupSyntax) throws -> (GraphPattern, Expression?) {
        guard case .elements(let elements) = group else {
            if case .subSelect(let subSelect) = group { return (try translateSubSelect(subSelect), nil) }
            return (.unit, nil)
        }
        var pattern = GraphPattern.unit
        var filter: Expression?
        for element in elements {
            switch element.kind {
            case .triples(let triples, _):
                pattern = Self.join(pattern, translate(triples))
            case .filter(let expression):
                try rejectAggregates(expression, in: "FILTER", at: element.offset)
                filter = filter.map { .and($0, expression) } ?? expression
            case .optional(let group):
                let (right, condition) = try translateKeepingFilter(group)
                pattern = .leftJoin(pattern, right, condition)
            case .minus(let group):
                pattern = .minus(pattern, try translate(group))
            case .union(let branches):
                var union: GraphPattern?
                for branch in branches {
                    let translated = try translate(branch)
                    union = union.map { .union($0, translated) } ?? translated
                }
                pattern = Self.join(pattern, union ?? .unit)
            case .graph(let name, let group):
                pattern = Self.join(pattern, .graph(name, try translate(group)))
            case .service(let name, let group, let silent):
                pattern = Self.join(pattern, .service(name, try translate(group), silent: silent))
            case .bind(let expression, let variable):
                try rejectAggregates(expression, in: "BIND", at: element.offset)
                if pattern.inScopeVariables.contains(variable) {
                    throw error("`BIND` cannot assign `\(variable)`, which the group already binds", at: element.offset)
                }
                pattern = .extend(pattern, variable, expression)
            case .values(let values):
                pattern = Self.join(pattern, .values(values.variables, values.rows))
            }
        }
        return (pattern, filter)
    }

    func rejectAggregates(_ expression: Expression, in clause: String, at offset: Int) throws {
        if expression.containsAggregate {
            throw error("aggregates are not allowed in `\(clause)`", at: offset)
        }
    }

    /// A triples block: adjacent triple patterns form basic graph patterns, joined in order
    /// with the paths that remain paths.
    mutating func translate(_ triples: [PathTripleSyntax]) -> GraphPattern {
        var parts: [GraphPattern] = []
        var bgp: [TriplePattern] = []
        for triple in triples {
            switch triple.predicate {
            case .term(let predicate):
                bgp.append(TriplePattern(triple.subject, predicate, triple.object))
            case .path(let path):
                expand(triple.subject, path, triple.object, bgp: &bgp, parts: &parts)
            }
        }
        if !bgp.isEmpty { parts.append(.bgp(bgp)) }
        return parts.reduce(GraphPattern.unit, Self.join)
    }

    /// §18.2.2.4: `X iri Y` and `X ^iri Y` are triples, `X a/b Y` is `X a ?v . ?v b Y`, any
    /// other path stays a path.
    private mutating func expand(_ subject: TermPattern, _ path: PropertyPath, _ object: TermPattern,
                                 bgp: inout [TriplePattern], parts: inout [GraphPattern]) {
        switch path {
        case .iri(let iri):
            bgp.append(TriplePattern(subject, .term(.iri(iri)), object))
        case .inverse(.iri(let iri)):
            bgp.append(TriplePattern(object, .term(.iri(iri)), subject))
        case .sequence(let first, let second):
            let middle = TermPattern.variable(freshVariable("path"))
            expand(subject, first, middle, bgp: &bgp, parts: &parts)
            expand(middle, second, object, bgp: &bgp, parts: &parts)
        default:
            if !bgp.isEmpty {
                parts.append(.bgp(bgp))
                bgp = []
            }
            parts.append(.path(subject, path, object))
        }
    }
}
