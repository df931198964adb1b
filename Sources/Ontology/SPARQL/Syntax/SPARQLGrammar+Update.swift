extension SPARQLGrammar {
    /// `UpdateUnit ::= Prologue ( Update1 ( ';' Update )? )?`, with prefixes and base carried
    /// from one operation to the next.
    mutating func parseUpdateUnit() throws -> Update {
        var operations: [UpdateOperation] = []
        // Blank node labels of data and patterns are scoped to one operation (§19.6).
        var earlierLabels: [String: Int] = [:]
        while true {
            try parsePrologue()
            if case .end = peek { break }
            let (operation, labels) = try parseUpdateOperation()
            for (label, offset) in labels.sorted(by: { $0.value < $1.value }) where earlierLabels[label] != nil {
                throw error("blank node `_:\(label)` is already used by an earlier operation", at: offset)
            }
            earlierLabels.merge(labels) { first, _ in first }
            operations.append(operation)
            guard accept(.semicolon) else { break }
        }
        guard case .end = peek else { throw unexpected("`;` or the end of the update") }
        return Update(operations: operations, baseIRI: base?.base, prefixes: prefixes)
    }

    /// `Update1`, with the blank node labels it uses.
    private mutating func parseUpdateOperation() throws -> (UpdateOperation, [String: Int]) {
        let token = current
        guard case .keyword(let word) = token.token else { throw unexpected("an update operation") }
        switch word {
        case "LOAD":
            advance()
            let silent = accept(keyword: "SILENT")
            let source = try parseIRI()
            var destination: IRI?
            if accept(keyword: "INTO") { destination = try parseGraphRef() }
            return (.load(source: source, destination: destination, silent: silent), [:])
        case "CLEAR", "DROP":
            advance()
            let silent = accept(keyword: "SILENT")
            let target = try parseGraphRefAll()
            return (word == "CLEAR" ? .clear(target, silent: silent) : .drop(target, silent: silent), [:])
        case "CREATE":
            advance()
            let silent = accept(keyword: "SILENT")
            return (.create(try parseGraphRef(), silent: silent), [:])
        case "ADD", "MOVE", "COPY":
            advance()
            let silent = accept(keyword: "SILENT")
            let from = try parseGraphOrDefault()
            try expect(keyword: "TO")
            let to = try parseGraphOrDefault()
            switch word {
            case "ADD": return (.add(from: from, to: to, silent: silent), [:])
            case "MOVE": return (.move(from: from, to: to, silent: silent), [:])
            default: return (.copy(from: from, to: to, silent: silent), [:])
            }
        case "INSERT" where peekNext == .keyword("DATA"):
            advance()
            advance()
            blockLabels = [:]
            let quads = try groundQuads(try parseQuadBlock(rules: .insertData))
            return (.insertData(quads), blockLabels)
        case "DELETE" where peekNext == .keyword("DATA"):
            advance()
            advance()
            let quads = try groundQuads(try parseQuadBlock(rules: .deleteData))
            return (.deleteData(quads), [:])
        case "DELETE" where peekNext == .keyword("WHERE"):
            advance()
            advance()
            let quads = try parseQuadBlock(rules: .deleteWhere)
            return (.deleteInsert(delete: quads, insert: [], using: nil, pattern: Self.pattern(of: quads)), [:])
        case "WITH", "DELETE", "INSERT":
            return try parseModify()
        default:
            throw error("unknown update operation \(source.quote(token))", at: token.start)
        }
    }

    /// `Modify ::= ( 'WITH' iri )? ( DeleteClause InsertClause? | InsertClause ) UsingClause* 'WHERE' GroupGraphPattern`
    private mutating func parseModify() throws -> (UpdateOperation, [String: Int]) {
        var with: IRI?
        if accept(keyword: "WITH") { with = try parseIRI() }
        var delete: [QuadPattern] = []
        var insert: [QuadPattern] = []
        if accept(keyword: "DELETE") {
            delete = try parseQuadBlock(rules: .delete)
            if accept(keyword: "INSERT") { insert = try parseQuadBlock(rules: .insert) }
        } else if accept(keyword: "INSERT") {
            insert = try parseQuadBlock(rules: .insert)
        } else {
            throw unexpected("`DELETE` or `INSERT`")
        }
        var using: QueryDataset?
        while accept(keyword: "USING") {
            var dataset = using ?? QueryDataset()
            if accept(keyword: "NAMED") {
                dataset.namedGraphs = (dataset.namedGraphs ?? []) + [try parseIRI()]
            } else {
                dataset.defaultGraphs.append(try parseIRI())
            }
            using = dataset
        }
        try expect(keyword: "WHERE")
        guard isSymbol(.openBrace) else { throw unexpected("`{`") }
        let group = try parseGroupGraphPattern()
        let (pattern, labels) = try builder.translateStandalone(group)
        if let with {
            // WITH names the graph of the templates and, unless USING says otherwise, the
            // default graph of the pattern (SPARQL 1.1 Update §3.1.3).
            let graph = TermPattern.term(.iri(with))
            for k in delete.indices where delete[k].graph == nil { delete[k].graph = graph }
            for k in insert.indices where insert[k].graph == nil { insert[k].graph = graph }
            if using == nil { using = QueryDataset(defaultGraphs: [with], namedGraphs: nil) }
        }
        return (.deleteInsert(delete: delete, insert: insert, using: using, pattern: pattern), labels)
    }

    /// `QuadPattern` / `QuadData`: `'{' Quads '}'`, where
    /// `Quads ::= TriplesTemplate? ( QuadsNotTriples '.'? TriplesTemplate? )*`.
    private mutating func parseQuadBlock(rules: TemplateRules) throws -> [QuadPattern] {
        try expect(.openBrace)
        var quads: [QuadPattern] = []
        var (triples, open) = try parseTemplateTriples(rules: rules)
        quads += triples.map { QuadPattern($0.subject, $0.predicate, $0.object) }
        while !accept(.closeBrace) {
            guard accept(keyword: "GRAPH") else {
                throw unexpected(open ? "`.`, `GRAPH` or `}`" : "`GRAPH` or `}`")
            }
            let nameOffset = current.start
            let name = try parseVariableOrIRI()
            if case .variable = name, !rules.allowsVariables {
                throw error("variables are not allowed in `\(rules.clause)`", at: nameOffset)
            }
            try expect(.openBrace)
            (triples, open) = try parseTemplateTriples(rules: rules)
            guard accept(.closeBrace) else {
                throw unexpected(isKeyword("GRAPH") ? "`}` (`GRAPH` blocks cannot nest)" : open ? "`.` or `}`" : "`}`")
            }
            quads += triples.map { QuadPattern($0.subject, $0.predicate, $0.object, graph: name) }
            _ = accept(.dot)
            (triples, open) = try parseTemplateTriples(rules: rules)
            quads += triples.map { QuadPattern($0.subject, $0.predicate, $0.object) }
        }
        return quads
    }

    /// Quads of a data block, which the rules kept free of variables.
    private func groundQuads(_ patterns: [QuadPattern]) throws -> [Quad] {
        patterns.compactMap { pattern in
            guard let subject = pattern.subject.term, case .iri(let predicate)? = pattern.predicate.term,
                  let object = pattern.object.term else { return nil }
            return Quad(subject, predicate, object, graph: pattern.graph?.term)
        }
    }

    /// The pattern of `DELETE WHERE`: its quads, default graph first, then one `GRAPH` per name.
    private static func pattern(of quads: [QuadPattern]) -> GraphPattern {
        var defaultGraph: [TriplePattern] = []
        var names: [TermPattern] = []
        var byName: [TermPattern: [TriplePattern]] = [:]
        for quad in quads {
            guard let name = quad.graph else {
                defaultGraph.append(quad.triple)
                continue
            }
            if byName[name] == nil { names.append(name) }
            byName[name, default: []].append(quad.triple)
        }
        var pattern = GraphPattern.bgp(defaultGraph)
        for name in names {
            pattern = AlgebraBuilder.join(pattern, .graph(name, .bgp(byName[name] ?? [])))
        }
        return pattern
    }

    /// `GraphRef ::= 'GRAPH' iri`
    private mutating func parseGraphRef() throws -> IRI {
        try expect(keyword: "GRAPH")
        return try parseIRI()
    }

    /// `GraphRefAll ::= GraphRef | 'DEFAULT' | 'NAMED' | 'ALL'`
    private mutating func parseGraphRefAll() throws -> GraphTarget {
        if accept(keyword: "DEFAULT") { return .defaultGraph }
        if accept(keyword: "NAMED") { return .namedGraphs }
        if accept(keyword: "ALL") { return .allGraphs }
        guard isKeyword("GRAPH") else { throw unexpected("`GRAPH`, `DEFAULT`, `NAMED` or `ALL`") }
        return .graph(try parseGraphRef())
    }

    /// `GraphOrDefault ::= 'DEFAULT' | 'GRAPH'? iri`
    private mutating func parseGraphOrDefault() throws -> GraphReference {
        if accept(keyword: "DEFAULT") { return .defaultGraph }
        _ = accept(keyword: "GRAPH")
        guard startsIRI else { throw unexpected("`DEFAULT` or a graph IRI") }
        return .graph(try parseIRI())
    }
}
