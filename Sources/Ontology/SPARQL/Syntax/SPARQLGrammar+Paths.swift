extension SPARQLGrammar {
    /// `Path ::= PathAlternative`, translated by the table of §18.2.2.4 (a negated set with
    /// inverse members becomes an alternative of two negated sets).
    mutating func parsePath() throws -> PropertyPath {
        try enter()
        let entered = depth
        defer {
            depth = entered
            leave()
        }
        var path = try parsePathSequence()
        while accept(.pipe) {
            try enter()
            path = .alternative(path, try parsePathSequence())
        }
        return path
    }

    /// `PathSequence ::= PathEltOrInverse ( '/' PathEltOrInverse )*`
    private mutating func parsePathSequence() throws -> PropertyPath {
        var path = try parsePathEltOrInverse()
        while accept(.slash) {
            try enter()
            path = .sequence(path, try parsePathEltOrInverse())
        }
        return path
    }

    /// `PathEltOrInverse ::= PathElt | '^' PathElt`
    private mutating func parsePathEltOrInverse() throws -> PropertyPath {
        if accept(.caret) { return .inverse(try parsePathElt()) }
        return try parsePathElt()
    }

    /// `PathElt ::= PathPrimary PathMod?`
    private mutating func parsePathElt() throws -> PropertyPath {
        let primary = try parsePathPrimary()
        if accept(.question) { return .zeroOrOne(primary) }
        if accept(.star) { return .zeroOrMore(primary) }
        if accept(.plus) { return .oneOrMore(primary) }
        return primary
    }

    /// `PathPrimary ::= iri | 'a' | '!' PathNegatedPropertySet | '(' Path ')'`
    private mutating func parsePathPrimary() throws -> PropertyPath {
        if acceptKeywordA() { return .iri(RDF.type) }
        if startsIRI { return .iri(try parseIRI()) }
        if accept(.bang) { return try parseNegatedPropertySet() }
        if accept(.openParen) {
            let path = try parsePath()
            try expect(.closeParen)
            return path
        }
        throw unexpected("a predicate or a property path")
    }

    /// `PathNegatedPropertySet`, after `!`.
    private mutating func parseNegatedPropertySet() throws -> PropertyPath {
        var forward: [IRI] = []
        var inverse: [IRI] = []
        if accept(.openParen) {
            repeat {
                try parsePathOneInPropertySet(forward: &forward, inverse: &inverse)
            } while accept(.pipe)
            try expect(.closeParen)
        } else if !accept(.nilList) {
            try parsePathOneInPropertySet(forward: &forward, inverse: &inverse)
        }
        switch (forward.isEmpty, inverse.isEmpty) {
        case (_, true): return .negatedPropertySet(forward)
        case (true, false): return .inverse(.negatedPropertySet(inverse))
        case (false, false): return .alternative(.negatedPropertySet(forward), .inverse(.negatedPropertySet(inverse)))
        }
    }

    /// `PathOneInPropertySet ::= iri | 'a' | '^' ( iri | 'a' )`
    private mutating func parsePathOneInPropertySet(forward: inout [IRI], inverse: inout [IRI]) throws {
        let isInverse = accept(.caret)
        let iri: IRI
        if acceptKeywordA() {
            iri = RDF.type
        } else if startsIRI {
            iri = try parseIRI()
        } else {
            throw unexpected("an IRI or `a` in a negated property set")
        }
        if isInverse { inverse.append(iri) } else { forward.append(iri) }
    }
}
