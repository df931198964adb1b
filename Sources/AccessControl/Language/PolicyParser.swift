/// Recursive-descent parser for the policy language (docs/policy.md). Errors carry the line and
/// column of the token that could not be read.
struct PolicyParser {
    /// How deeply conditions (parentheses, `not`) and set types may nest: far more than any policy
    /// needs, and few enough that this recursive descent, the compiler's and the syntax tree's
    /// release cannot exhaust a thread's stack on hostile input.
    static let maximumDepth = 200

    private let lexer: PolicyLexer
    private let tokens: [PolicyToken]
    private var position = 0
    private var depth = 0

    init(_ text: String) throws(PolicyError) {
        var lexer = PolicyLexer(text)
        tokens = try lexer.tokenize()
        self.lexer = lexer
    }

    static func parse(_ text: String) throws(PolicyError) -> PolicySyntax {
        var parser = try PolicyParser(text)
        return try parser.document()
    }

    // MARK: Tokens

    private var current: PolicyToken { tokens[position] }

    private mutating func advance() -> PolicyToken {
        let token = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    private func isSymbol(_ symbol: String) -> Bool {
        if case .symbol(let text) = current.kind { return text == symbol }
        return false
    }

    private func isKeyword(_ word: String) -> Bool {
        if case .identifier(let text) = current.kind { return text == word }
        return false
    }

    private mutating func expectSymbol(_ symbol: String, _ context: String) throws(PolicyError) {
        guard isSymbol(symbol) else { throw .syntax("expected '\(symbol)' \(context), found \(describe(current))", at: current.location) }
        _ = advance()
    }

    private mutating func expectKeyword(_ word: String, _ context: String) throws(PolicyError) {
        guard isKeyword(word) else { throw .syntax("expected '\(word)' \(context), found \(describe(current))", at: current.location) }
        _ = advance()
    }

    private mutating func identifier(_ what: String) throws(PolicyError) -> (String, SourceLocation) {
        guard case .identifier(let name) = current.kind else { throw .syntax("expected \(what), found \(describe(current))", at: current.location) }
        return (name, advance().location)
    }

    private mutating func string(_ what: String) throws(PolicyError) -> (String, SourceLocation) {
        guard case .string(let text) = current.kind else { throw .syntax("expected \(what) (a quoted string), found \(describe(current))", at: current.location) }
        return (text, advance().location)
    }

    /// Counts one more level of nesting; callers undo it with `defer { depth -= 1 }`.
    private mutating func enterNesting(_ what: String) throws(PolicyError) {
        depth += 1
        guard depth <= Self.maximumDepth else {
            throw .syntax("\(what) nest more than \(Self.maximumDepth) levels deep", at: current.location)
        }
    }

    private func describe(_ token: PolicyToken) -> String {
        switch token.kind {
        case .identifier(let name): "'\(name)'"
        case .prefixedName(let prefix, let local): "'\(prefix):\(local)'"
        case .iri(let iri): "<\(iri)>"
        case .string(let text): "\"\(text)\""
        case .integer(let value): "\(value)"
        case .decimal(let value): "\(value)"
        case .instant(let value): Instant.format(value)
        case .clock: "a time of day"
        case .symbol(let symbol): "'\(symbol)'"
        case .end: "the end of the policy"
        }
    }

    // MARK: Statements

    private mutating func document() throws(PolicyError) -> PolicySyntax {
        var syntax = PolicySyntax()
        while current.kind != .end {
            syntax.statements.append(try statement())
        }
        return syntax
    }

    private mutating func statement() throws(PolicyError) -> PolicySyntax.Statement {
        let start = current.location
        guard case .identifier(let word) = current.kind else {
            throw .syntax("expected a statement (prefix, domain, attribute, permit, forbid, limit, route), found \(describe(current))", at: start)
        }
        switch word {
        case "prefix":
            _ = advance()
            let (name, _) = try identifier("a prefix name")
            try expectSymbol(":", "after the prefix name")
            guard case .iri(let iri) = current.kind else { throw .syntax("expected <IRI> for prefix '\(name)', found \(describe(current))", at: current.location) }
            _ = advance()
            try expectSymbol(";", "at the end of the prefix")
            return .prefix(name: name, iri: iri, at: start)
        case "domain":
            _ = advance()
            return .domain(try domain(at: start))
        case "attribute":
            _ = advance()
            return .attribute(try attribute(at: start))
        default:
            var label: String?
            if tokens.count > position + 1, case .symbol(":") = tokens[position + 1].kind {
                label = word
                _ = advance()
                _ = advance()
            }
            return .rule(try rule(label: label, at: start))
        }
    }

    private mutating func domain(at start: SourceLocation) throws(PolicyError) -> PolicySyntax.Domain {
        let (name, _) = try identifier("a domain name")
        try expectSymbol("=", "after the domain name")
        if isKeyword("ontology") {
            _ = advance()
            let type = try iriName("the class whose members form the domain")
            try expectKeyword("ordered", "after the ontology class")
            try expectKeyword("by", "after 'ordered'")
            let property = try iriName("the ordering property")
            try expectSymbol(";", "at the end of the domain")
            return .init(name: name, definition: .ontology(type: type, orderedBy: property), location: start)
        }
        var members = [try identifier("a domain member")]
        while isSymbol("<") {
            _ = advance()
            members.append(try identifier("a domain member after '<'"))
        }
        try expectSymbol(";", "at the end of the domain (members are separated by '<')")
        return .init(name: name, definition: .members(members), location: start)
    }

    private mutating func attributeReference() throws(PolicyError) -> (AttributeReference, SourceLocation) {
        let (entityName, location) = try identifier("subject, resource or context")
        guard let entity = AttributeReference.Entity(rawValue: entityName) else {
            throw .syntax("attributes belong to subject, resource or context, not '\(entityName)'", at: location)
        }
        try expectSymbol(".", "after '\(entityName)'")
        let (name, _) = try identifier("an attribute name")
        return (AttributeReference(entity: entity, name: name), location)
    }

    private mutating func attribute(at start: SourceLocation) throws(PolicyError) -> PolicySyntax.Attribute {
        let (reference, _) = try attributeReference()
        try expectSymbol(":", "before the attribute's type")
        let type = try typeName()
        var source = PolicySyntax.Source.unspecified
        if isKeyword("from") {
            _ = advance()
            if isKeyword("authority") {
                _ = advance()
                var names = [try string("an authority name").0]
                while isSymbol(",") {
                    _ = advance()
                    names.append(try string("an authority name").0)
                }
                source = .authorities(names)
            } else if isKeyword("registry") {
                _ = advance()
                source = .registry
            } else if isKeyword("request") {
                _ = advance()
                source = .request
            } else {
                throw .syntax("expected 'authority', 'registry' or 'request' after 'from', found \(describe(current))", at: current.location)
            }
        } else if isSymbol("=") {
            _ = advance()
            source = .property(try iriName("the RDF property that holds the attribute"))
        }
        try expectSymbol(";", "at the end of the attribute declaration")
        return .init(reference: reference, type: type, source: source, location: start)
    }

    private mutating func typeName() throws(PolicyError) -> PolicySyntax.TypeName {
        let (name, location) = try identifier("a type")
        if name == "Set" {
            try enterNesting("set types")
            defer { depth -= 1 }
            try expectSymbol("<", "after Set")
            let element = try typeName()
            try expectSymbol(">", "after the set's element type")
            return .set(element)
        }
        return .named(name, location)
    }

    private mutating func iriName(_ what: String) throws(PolicyError) -> PolicySyntax.Name {
        let location = current.location
        switch current.kind {
        case .iri(let iri):
            _ = advance()
            return .init(form: .full(iri), location: location)
        case .prefixedName(let prefix, let local):
            _ = advance()
            return .init(form: .prefixed(prefix: prefix, local: local), location: location)
        default:
            throw .syntax("expected \(what) (<IRI> or prefix:name), found \(describe(current))", at: location)
        }
    }

    // MARK: Rules

    private mutating func rule(label: String?, at start: SourceLocation) throws(PolicyError) -> PolicySyntax.Rule {
        let (word, location) = try identifier("permit, forbid, limit or route")
        switch word {
        case "permit", "forbid", "limit":
            let actions = try actionList()
            try expectKeyword("on", "after the actions")
            var patterns = [try string("an API name pattern")]
            while isSymbol(",") {
                _ = advance()
                patterns.append(try string("an API name pattern"))
            }
            var when: PolicySyntax.Expression?
            var unless: PolicySyntax.Expression?
            if isKeyword("when") {
                _ = advance()
                when = try expression()
            }
            if isKeyword("unless") {
                _ = advance()
                unless = try expression()
            }
            var kind: PolicySyntax.Rule.Kind = word == "permit" ? .permit : .forbid
            if word == "limit" {
                guard unless == nil else { throw .syntax("a limit takes 'when', not 'unless'", at: location) }
                try expectKeyword("to", "before the limit's figures")
                kind = .limit(try limitFigures())
            }
            try expectSymbol(";", "at the end of the rule")
            return .init(label: label, kind: kind, actions: actions, patterns: patterns, when: when, unless: unless, location: start)
        case "route":
            let name = try string("the API name to route")
            let kind: PolicySyntax.Rule.Kind
            if isKeyword("redirect") {
                _ = advance()
                kind = .redirect(try string("the site to redirect to").0)
            } else {
                try expectKeyword("to", "after the routed name")
                var targets: [PolicySyntax.RouteTarget] = []
                repeat {
                    if !targets.isEmpty { _ = advance() }
                    let targetLocation = current.location
                    try expectKeyword("version", "in a route target")
                    let (version, _) = try string("a version")
                    try expectKeyword("weight", "after the version")
                    guard case .integer(let weight) = current.kind else { throw .syntax("expected an integer weight, found \(describe(current))", at: current.location) }
                    _ = advance()
                    targets.append(.init(version: version, weight: weight, location: targetLocation))
                } while isSymbol(",")
                kind = .route(targets)
            }
            try expectSymbol(";", "at the end of the route")
            return .init(label: label, kind: kind, actions: [], patterns: [name], location: start)
        default:
            throw .syntax("expected a statement (prefix, domain, attribute, permit, forbid, limit, route), found '\(word)'", at: location)
        }
    }

    private mutating func actionList() throws(PolicyError) -> [Action] {
        var actions: [Action] = []
        repeat {
            if !actions.isEmpty { _ = advance() }
            let (name, location) = try identifier("an action")
            if name == "any" {
                actions.append(contentsOf: Action.allCases)
            } else if let action = Action(rawValue: name) {
                actions.append(action)
            } else {
                throw .syntax("unknown action '\(name)' (call, provide, publish, subscribe, create, destroy, any)", at: location)
            }
        } while isSymbol(",")
        return actions
    }

    private mutating func limitFigures() throws(PolicyError) -> [PolicySyntax.LimitFigure] {
        var figures: [PolicySyntax.LimitFigure] = []
        repeat {
            if !figures.isEmpty { _ = advance() }
            let location = current.location
            if isKeyword("burst") {
                _ = advance()
                figures.append(.init(kind: .burst, value: try number("a burst size"), location: location))
                continue
            }
            let value = try number("a rate")
            let (unit, unitLocation) = try identifier("a unit (msg, B, KiB, MiB)")
            try expectSymbol("/", "after the unit")
            guard isKeyword("s") else { throw .syntax("rates are per second: expected 's' after '/'", at: current.location) }
            _ = advance()
            switch unit {
            case "msg": figures.append(.init(kind: .messagesPerSecond, value: value, location: location))
            case "B": figures.append(.init(kind: .bytesPerSecond, value: value, location: location))
            case "KiB": figures.append(.init(kind: .bytesPerSecond, value: value * 1024, location: location))
            case "MiB": figures.append(.init(kind: .bytesPerSecond, value: value * 1_048_576, location: location))
            default: throw .syntax("unknown unit '\(unit)' (msg, B, KiB, MiB)", at: unitLocation)
            }
        } while isSymbol(",")
        return figures
    }

    private mutating func number(_ what: String) throws(PolicyError) -> Double {
        switch current.kind {
        case .integer(let value):
            _ = advance()
            return Double(value)
        case .decimal(let value):
            _ = advance()
            return value
        default:
            throw .syntax("expected \(what), found \(describe(current))", at: current.location)
        }
    }

    // MARK: Conditions

    private mutating func expression() throws(PolicyError) -> PolicySyntax.Expression {
        var terms = [try conjunction()]
        while isKeyword("or") {
            _ = advance()
            terms.append(try conjunction())
        }
        return terms.count == 1 ? terms[0] : .or(terms)
    }

    private mutating func conjunction() throws(PolicyError) -> PolicySyntax.Expression {
        var terms = [try unary()]
        while isKeyword("and") {
            _ = advance()
            terms.append(try unary())
        }
        return terms.count == 1 ? terms[0] : .and(terms)
    }

    private mutating func unary() throws(PolicyError) -> PolicySyntax.Expression {
        if isKeyword("not") {
            try enterNesting("conditions")
            defer { depth -= 1 }
            _ = advance()
            return .not(try unary())
        }
        if isSymbol("(") {
            try enterNesting("conditions")
            defer { depth -= 1 }
            _ = advance()
            let inner = try expression()
            try expectSymbol(")", "to close the parenthesis")
            return inner
        }
        return .test(try test())
    }

    private mutating func test() throws(PolicyError) -> PolicySyntax.Test {
        let startToken = current
        if isKeyword("has") {
            _ = advance()
            let (reference, location) = try attributeReference()
            let kind: PolicySyntax.Test.Kind = .has(reference, location)
            return finish(kind, from: startToken)
        }
        let subject = try operand()
        let location = current.location
        switch current.kind {
        case .symbol(let symbol):
            guard let comparison = Comparison(rawValue: symbol) else {
                throw .syntax("expected a comparison (==, !=, <, <=, >, >=, in, within, overlaps, contains, is), found '\(symbol)'", at: location)
            }
            _ = advance()
            let kind: PolicySyntax.Test.Kind = .compare(subject, comparison, try operand())
            return finish(kind, from: startToken)
        case .identifier("in"):
            _ = advance()
            if isSymbol("[") {
                let (low, high) = try range()
                let kind: PolicySyntax.Test.Kind = .inRange(subject, low: low, high: high)
            return finish(kind, from: startToken)
            }
            if isSymbol("{") {
                _ = advance()
                var members: [PolicySyntax.Operand] = []
                if !isSymbol("}") {
                    repeat {
                        if !members.isEmpty { _ = advance() }
                        members.append(try operand())
                    } while isSymbol(",")
                }
                try expectSymbol("}", "to close the set")
                let kind: PolicySyntax.Test.Kind = .inSet(subject, members)
            return finish(kind, from: startToken)
            }
            if isKeyword("hours") {
                let kind: PolicySyntax.Test.Kind = .inWindow(subject, try window())
            return finish(kind, from: startToken)
            }
            let kind: PolicySyntax.Test.Kind = .inCollection(subject, try operand())
            return finish(kind, from: startToken)
        case .identifier("within"):
            _ = advance()
            if isSymbol("[") {
                let (low, high) = try range()
                let kind: PolicySyntax.Test.Kind = .withinRange(subject, low: low, high: high)
            return finish(kind, from: startToken)
            }
            let kind: PolicySyntax.Test.Kind = .within(subject, try operand())
            return finish(kind, from: startToken)
        case .identifier("overlaps"):
            _ = advance()
            if isSymbol("[") {
                let (low, high) = try range()
                let kind: PolicySyntax.Test.Kind = .overlapsRange(subject, low: low, high: high)
            return finish(kind, from: startToken)
            }
            let kind: PolicySyntax.Test.Kind = .overlaps(subject, try operand())
            return finish(kind, from: startToken)
        case .identifier("contains"):
            _ = advance()
            let kind: PolicySyntax.Test.Kind = .contains(subject, try operand())
            return finish(kind, from: startToken)
        case .identifier("is"):
            _ = advance()
            let kind: PolicySyntax.Test.Kind = .isA(subject, try iriName("a class"))
            return finish(kind, from: startToken)
        default:
            throw .syntax("expected a comparison (==, !=, <, <=, >, >=, in, within, overlaps, contains, is) after the operand, found \(describe(current))", at: location)
        }
    }

    private func finish(_ kind: PolicySyntax.Test.Kind, from start: PolicyToken) -> PolicySyntax.Test {
        let end = tokens[max(position - 1, 0)].endOffset
        return .init(kind: kind, text: lexer.text(from: start.offset, to: end), location: start.location)
    }

    private mutating func range() throws(PolicyError) -> (PolicySyntax.Operand, PolicySyntax.Operand) {
        try expectSymbol("[", "to open the range")
        let low = try operand()
        try expectSymbol("..", "between the range's bounds")
        let high = try operand()
        try expectSymbol("]", "to close the range")
        return (low, high)
    }

    private mutating func window() throws(PolicyError) -> PolicySyntax.Window {
        let location = advance().location
        guard case .clock(let start) = current.kind else { throw .syntax("expected a start time HH:MM after 'hours', found \(describe(current))", at: current.location) }
        _ = advance()
        try expectSymbol("-", "between the window's start and end")
        guard case .clock(let end) = current.kind else { throw .syntax("expected an end time HH:MM, found \(describe(current))", at: current.location) }
        _ = advance()
        var zone: String?
        if case .string(let name) = current.kind {
            zone = name
            _ = advance()
        }
        var days: UInt8 = 0x7f
        if isKeyword("on") {
            _ = advance()
            days = 0
            repeat {
                if days != 0 { _ = advance() }
                let (spec, specLocation) = try identifier("a day (Mon..Sun) or a range (Mon-Fri)")
                var names = spec.split(separator: "-").map(String.init)
                if names.count == 1, isSymbol("-") {
                    _ = advance()
                    names.append(try identifier("the end of a day range").0)
                }
                let order = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
                let indices = names.map { order.firstIndex(of: $0) }
                guard (1...2).contains(names.count), let first = indices.first ?? nil, let last = indices.last ?? nil else {
                    throw .syntax("'\(spec)' is not a day (Mon, Tue, Wed, Thu, Fri, Sat, Sun) or a range of days", at: specLocation)
                }
                var day = first
                while true {
                    days |= 1 << UInt8(day)
                    if day == last { break }
                    day = (day + 1) % 7
                }
            } while isSymbol(",")
        }
        return .init(start: start, end: end, zone: zone, days: days, location: location)
    }

    private mutating func operand() throws(PolicyError) -> PolicySyntax.Operand {
        let location = current.location
        switch current.kind {
        case .identifier(let name):
            switch name {
            case "subject", "resource", "context":
                if tokens.count > position + 1, case .symbol(".") = tokens[position + 1].kind {
                    let (reference, location) = try attributeReference()
                    return .attribute(reference, location)
                }
                if name == "resource" {
                    _ = advance()
                    return .resource(location)
                }
                throw .syntax("expected '.' and an attribute name after '\(name)'", at: tokens[min(position + 1, tokens.count - 1)].location)
            case "now":
                _ = advance()
                return .now(location)
            case "true", "false":
                _ = advance()
                return .literal(.boolean(name == "true"), location)
            default:
                _ = advance()
                return .literal(.name(name), location)
            }
        case .integer(let value):
            _ = advance()
            return .literal(.integer(value), location)
        case .decimal(let value):
            _ = advance()
            return .literal(.decimal(value), location)
        case .string(let text):
            _ = advance()
            return .literal(.string(text), location)
        case .instant(let value):
            _ = advance()
            return .literal(.instant(value), location)
        case .iri, .prefixedName:
            return .literal(.iri(try iriName("an IRI")), location)
        case .symbol("-"):
            _ = advance()
            switch current.kind {
            case .integer(let value):
                _ = advance()
                return .literal(.integer(-value), location)
            case .decimal(let value):
                _ = advance()
                return .literal(.decimal(-value), location)
            default:
                throw .syntax("expected a number after '-'", at: current.location)
            }
        default:
            throw .syntax("expected an attribute, 'now' or a value, found \(describe(current))", at: location)
        }
    }
}
