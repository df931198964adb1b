extension SPARQLGrammar {
    /// `TriplesSameSubjectPath` (in patterns) or `TriplesSameSubject` (in templates), with
    /// the triples appended to `triples`.
    mutating func parseTriplesSameSubject(_ mode: TriplesMode, into triples: inout [PathTripleSyntax]) throws {
        if isSymbol(.openParen) || isSymbol(.openBracket) {
            let subject = try parseTriplesNode(mode, into: &triples)
            if startsVerb(mode) { try parsePropertyList(subject, mode, into: &triples) }
            return
        }
        let subject = try parseVarOrTerm(mode)
        guard startsVerb(mode) else { throw unexpected("a predicate") }
        try parsePropertyList(subject, mode, into: &triples)
    }

    /// `PropertyListPathNotEmpty` / `PropertyListNotEmpty` for `subject`.
    mutating func parsePropertyList(_ subject: TermPattern, _ mode: TriplesMode,
                                    into triples: inout [PathTripleSyntax]) throws {
        while true {
            let predicate = try parseVerb(mode)
            repeat {
                // The triple comes before those of a nested node, so that variables keep the
                // order in which the query names them (which `SELECT *` shows).
                var nested: [PathTripleSyntax] = []
                let object = try parseGraphNode(mode, into: &nested)
                triples.append(PathTripleSyntax(subject: subject, predicate: predicate, object: object))
                triples += nested
            } while accept(.comma)
            guard accept(.semicolon) else { return }
            while accept(.semicolon) {}
            guard startsVerb(mode) else { return }
        }
    }

    /// Whether the current token can start a predicate.
    func startsVerb(_ mode: TriplesMode) -> Bool {
        switch peek {
        case .variable, .iri, .prefixedName, .a: return true
        case .symbol(let symbol):
            return mode.isPattern && (symbol == .caret || symbol == .bang || symbol == .openParen)
        default: return false
        }
    }

    /// `VerbPath | VerbSimple` in patterns, `Verb` in templates.
    mutating func parseVerb(_ mode: TriplesMode) throws -> PathTripleSyntax.Predicate {
        if case .variable = peek {
            return .term(try parseVarOrTerm(mode))
        }
        guard mode.isPattern else {
            if acceptKeywordA() { return .term(.term(.iri(RDF.type))) }
            guard startsIRI else { throw unexpected("a predicate") }
            return .term(.term(.iri(try parseIRI())))
        }
        let path = try parsePath()
        if case .iri(let iri) = path { return .term(.term(.iri(iri))) }
        return .path(path)
    }

    /// `GraphNodePath` / `GraphNode`.
    mutating func parseGraphNode(_ mode: TriplesMode, into triples: inout [PathTripleSyntax]) throws -> TermPattern {
        if isSymbol(.openParen) || isSymbol(.openBracket) {
            return try parseTriplesNode(mode, into: &triples)
        }
        return try parseVarOrTerm(mode)
    }

    /// `TriplesNodePath` / `TriplesNode`: a collection or a blank node property list.
    mutating func parseTriplesNode(_ mode: TriplesMode, into triples: inout [PathTripleSyntax]) throws -> TermPattern {
        try enter()
        defer { leave() }
        let offset = current.start
        if accept(.openBracket) {
            let node = try freshNode(mode, at: offset)
            guard startsVerb(mode) else { throw unexpected("a predicate after `[`") }
            try parsePropertyList(node, mode, into: &triples)
            try expect(.closeBracket)
            return node
        }
        try expect(.openParen)
        var items: [(node: TermPattern, nested: [PathTripleSyntax])] = []
        while !accept(.closeParen) {
            var nested: [PathTripleSyntax] = []
            items.append((try parseGraphNode(mode, into: &nested), nested))
        }
        guard !items.isEmpty else { return .term(.iri(RDF.nil)) }
        let first = try freshNode(mode, at: offset)
        var node = first
        for (k, item) in items.enumerated() {
            triples.append(PathTripleSyntax(subject: node, predicate: .term(.term(.iri(RDF.first))), object: item.node))
            triples += item.nested
            let rest = k == items.count - 1 ? TermPattern.term(.iri(RDF.nil)) : try freshNode(mode, at: offset)
            triples.append(PathTripleSyntax(subject: node, predicate: .term(.term(.iri(RDF.rest))), object: rest))
            node = rest
        }
        return first
    }

    /// A new anonymous node: a blank node variable in patterns, a blank node in templates.
    private mutating func freshNode(_ mode: TriplesMode, at offset: Int) throws -> TermPattern {
        switch mode {
        case .pattern:
            return .variable(freshBlankVariable())
        case .template(let rules):
            guard rules.allowsBlankNodes else {
                throw error("blank nodes are not allowed in `\(rules.clause)`", at: offset)
            }
            return .term(.blankNode(freshBlankNode()))
        }
    }

    /// `VarOrTerm`.
    mutating func parseVarOrTerm(_ mode: TriplesMode) throws -> TermPattern {
        let token = current
        switch token.token {
        case .variable(let name):
            if case .template(let rules) = mode, !rules.allowsVariables {
                throw error("variables are not allowed in `\(rules.clause)`", at: token.start)
            }
            advance()
            return .variable(Variable(name))
        case .iri, .prefixedName:
            return .term(.iri(try parseIRI()))
        case .blankNodeLabel(let label):
            if case .template(let rules) = mode, !rules.allowsBlankNodes {
                throw error("blank nodes are not allowed in `\(rules.clause)`", at: token.start)
            }
            advance()
            if blockLabels[label] == nil { blockLabels[label] = token.start }
            return mode.isPattern ? .variable(Variable(label, kind: .blankNode)) : .term(.blankNode(BlankNode(label)))
        case .symbol(.anon):
            advance()
            return try freshNode(mode, at: token.start)
        case .symbol(.nilList):
            advance()
            return .term(.iri(RDF.nil))
        default:
            if let literal = try parseLiteral() { return .term(.literal(literal)) }
            throw unexpected("a variable or a term")
        }
    }

    /// `TriplesTemplate?` (or `ConstructTriples?`), ending before `closer`.
    mutating func parseTemplate(rules: TemplateRules, until closer: SPARQLToken.Symbol) throws -> [TriplePattern] {
        let (triples, open) = try parseTemplateTriples(rules: rules)
        guard isSymbol(closer) else { throw unexpected(open ? "`.` or `\(closer.rawValue)`" : "`\(closer.rawValue)`") }
        return triples
    }

    /// `TriplesTemplate?`, and whether it ended without a dot.
    mutating func parseTemplateTriples(rules: TemplateRules) throws -> (triples: [TriplePattern], open: Bool) {
        var triples: [PathTripleSyntax] = []
        var open = false
        while startsTriples {
            try parseTriplesSameSubject(.template(rules), into: &triples)
            guard accept(.dot) else {
                open = true
                break
            }
        }
        let patterns = triples.map { triple in
            var predicate = TermPattern.term(.iri(RDF.type))
            if case .term(let term) = triple.predicate { predicate = term }
            return TriplePattern(triple.subject, predicate, triple.object)
        }
        return (patterns, open)
    }
}
