extension SPARQLGrammar {
    /// `GroupGraphPattern ::= '{' ( SubSelect | GroupGraphPatternSub ) '}'`
    mutating func parseGroupGraphPattern() throws -> GroupSyntax {
        try expect(.openBrace)
        try enter()
        // Each element of a group adds a join above the earlier ones, so a long group is a deep
        // tree: every element counts as one more level until the group ends.
        let entered = depth
        defer {
            depth = entered
            leave()
        }
        if isKeyword("SELECT") {
            let subSelect = try parseSubSelect()
            try expect(.closeBrace)
            return .subSelect(subSelect)
        }
        var elements: [GroupElementSyntax] = []
        var openTriples = false
        if startsTriples {
            elements.append(try parseTriplesBlock(&openTriples))
        }
        while !accept(.closeBrace) {
            let offset = current.start
            guard let kind = try parseGraphPatternNotTriples() else {
                throw unexpected(openTriples ? "`.`, `}` or a graph pattern" : "`}` or a graph pattern")
            }
            try enter()
            elements.append(GroupElementSyntax(kind: kind, offset: offset))
            _ = accept(.dot)
            openTriples = false
            if startsTriples {
                elements.append(try parseTriplesBlock(&openTriples))
            }
        }
        return .elements(elements)
    }

    /// `SubSelect ::= SelectClause WhereClause SolutionModifier ValuesClause`
    mutating func parseSubSelect() throws -> SubSelectSyntax {
        let select = try parseSelectClause()
        let body = try parseWhereClause()
        let modifiers = try parseSolutionModifier()
        let values = try parseValuesClause()
        return SubSelectSyntax(select: select, body: body, modifiers: modifiers, values: values)
    }

    /// `TriplesBlock ::= TriplesSameSubjectPath ( '.' TriplesBlock? )?`. `open` tells whether
    /// the block ended without a dot (so that a message can suggest one).
    mutating func parseTriplesBlock(_ open: inout Bool) throws -> GroupElementSyntax {
        let offset = current.start
        let outerLabels = blockLabels
        blockLabels = [:]
        defer { blockLabels = outerLabels }
        var triples: [PathTripleSyntax] = []
        while true {
            try parseTriplesSameSubject(.pattern, into: &triples)
            guard accept(.dot) else {
                open = true
                break
            }
            guard startsTriples else {
                open = false
                break
            }
        }
        try enter()
        return GroupElementSyntax(kind: .triples(triples, labels: blockLabels), offset: offset)
    }

    /// Whether the current token can start a triple (`VarOrTerm` or `TriplesNode`).
    var startsTriples: Bool {
        switch peek {
        case .variable, .iri, .prefixedName, .blankNodeLabel, .string, .integer, .decimal, .double:
            return true
        case .symbol(let symbol):
            return symbol == .openParen || symbol == .openBracket || symbol == .nilList || symbol == .anon
        case .keyword(let word):
            return word == "TRUE" || word == "FALSE"
        default:
            return false
        }
    }

    /// `GraphPatternNotTriples`, or nil when the current token starts none.
    mutating func parseGraphPatternNotTriples() throws -> GroupElementSyntax.Kind? {
        if isSymbol(.openBrace) {
            // GroupOrUnionGraphPattern: each `UNION` nests the earlier branches one level deeper.
            let entered = depth
            defer { depth = entered }
            var branches = [try parseGroupGraphPattern()]
            while accept(keyword: "UNION") {
                try enter()
                branches.append(try parseGroupGraphPattern())
            }
            return .union(branches)
        }
        guard case .keyword(let word) = peek else { return nil }
        switch word {
        case "OPTIONAL":
            advance()
            return .optional(try parseGroupGraphPattern())
        case "MINUS":
            advance()
            return .minus(try parseGroupGraphPattern())
        case "GRAPH":
            advance()
            let name = try parseVariableOrIRI()
            return .graph(name, try parseGroupGraphPattern())
        case "SERVICE":
            advance()
            let silent = accept(keyword: "SILENT")
            let name = try parseVariableOrIRI()
            return .service(name, try parseGroupGraphPattern(), silent: silent)
        case "FILTER":
            advance()
            return .filter(try parseConstraint())
        case "BIND":
            advance()
            try expect(.openParen)
            let expression = try parseExpression()
            try expect(keyword: "AS")
            let variable = try parseVariable()
            try expect(.closeParen)
            return .bind(expression, variable)
        case "VALUES":
            let offset = current.start
            advance()
            return .values(try parseDataBlock(offset: offset))
        default:
            return nil
        }
    }
}
