/// Checks parsed policy documents against their declarations (types, domains, sources,
/// rules that can never apply) and builds a `PolicySet`.
struct PolicyCompiler {
    let ontology: (any OntologySource)?

    private var prefixes: [String: String] = [:]
    private var domains: [String: OrderedDomain] = [:]
    private var domainOrder: [OrderedDomain] = []
    private var attributes: [AttributeDeclaration] = []
    private var slots: [AttributeReference: Int] = [:]
    private var resourceClasses: Set<String> = []
    private var document = ""

    init(ontology: (any OntologySource)?) {
        self.ontology = ontology
    }

    func compile(_ documents: [PolicyDocument], generation: Int64) throws(PolicyError) -> PolicySet {
        var compiler = self
        return try compiler.run(documents, generation: generation)
    }

    private mutating func run(_ documents: [PolicyDocument], generation: Int64) throws(PolicyError) -> PolicySet {
        var parsed: [(PolicyDocument, PolicySyntax)] = []
        for document in documents {
            do throws(PolicyError) {
                parsed.append((document, try PolicyParser.parse(document.text)))
            } catch {
                var located = error
                located.document = document.name
                throw located
            }
        }
        // Declarations first, across all documents, so that a rule may use an attribute
        // declared in another document.
        for pass in 0..<3 {
            for (document, syntax) in parsed {
                self.document = document.name
                do throws(PolicyError) {
                    for statement in syntax.statements {
                        switch (pass, statement) {
                        case (0, .prefix(let name, let iri, let location)): try declarePrefix(name, iri, at: location)
                        case (1, .domain(let domain)): try declareDomain(domain)
                        case (2, .attribute(let attribute)): try declareAttribute(attribute)
                        default: break
                        }
                    }
                } catch {
                    var located = error
                    located.document = document.name
                    throw located
                }
            }
        }
        var rules: [PolicyRule] = []
        var limits: [PolicyRule] = []
        var routes: [String: RouteRule] = [:]
        var labels: Set<String> = []
        for (document, syntax) in parsed {
            self.document = document.name
            do throws(PolicyError) {
                for case .rule(let rule) in syntax.statements {
                    let id = rule.label ?? "\(document.name):\(rule.location.line)"
                    guard labels.insert(id).inserted else { throw PolicyError.invalid("a rule named '\(id)' already exists", at: rule.location) }
                    switch rule.kind {
                    case .route(let targets):
                        let name = rule.patterns[0].0
                        guard routes[name] == nil else { throw PolicyError.invalid("'\(name)' is routed twice", at: rule.location) }
                        guard !targets.isEmpty, targets.allSatisfy({ $0.weight >= 0 }), targets.contains(where: { $0.weight > 0 }) else {
                            throw PolicyError.invalid("a route needs non-negative weights, at least one above zero", at: rule.location)
                        }
                        guard Set(targets.map(\.version)).count == targets.count else { throw PolicyError.invalid("a version appears twice in the route", at: rule.location) }
                        routes[name] = RouteRule(id: id, name: name, targets: targets.map { .init(version: $0.version, weight: $0.weight) })
                    case .redirect(let site):
                        let name = rule.patterns[0].0
                        guard routes[name] == nil else { throw PolicyError.invalid("'\(name)' is routed twice", at: rule.location) }
                        routes[name] = RouteRule(id: id, name: name, targets: [], redirect: site)
                    case .permit, .forbid, .limit:
                        let compiled = try compileRule(rule, id: id)
                        if compiled.effect == .limit { limits.append(compiled) } else { rules.append(compiled) }
                    }
                }
            } catch {
                var located = error
                located.document = document.name
                throw located
            }
        }
        return PolicySet(generation: generation, documents: documents, attributes: attributes, domains: domainOrder, rules: rules,
                         limits: limits, routes: routes, resourceClasses: resourceClasses.sorted())
    }

    // MARK: Declarations

    private mutating func declarePrefix(_ name: String, _ iri: String, at location: SourceLocation) throws(PolicyError) {
        if let existing = prefixes[name], existing != iri {
            throw .invalid("prefix '\(name):' is already bound to <\(existing)>", at: location)
        }
        prefixes[name] = iri
    }

    private func expand(_ name: PolicySyntax.Name) throws(PolicyError) -> String {
        switch name.form {
        case .full(let iri): return iri
        case .prefixed(let prefix, let local):
            guard let namespace = prefixes[prefix] else { throw .invalid("unknown prefix '\(prefix):' (declare it with `prefix \(prefix): <...>;`)", at: name.location) }
            return namespace + local
        }
    }

    private static let builtinTypes: Set<String> = ["Integer", "Decimal", "String", "Boolean", "Time", "Interval", "Class", "Set"]

    private mutating func declareDomain(_ domain: PolicySyntax.Domain) throws(PolicyError) {
        guard !Self.builtinTypes.contains(domain.name) else { throw .invalid("'\(domain.name)' is a built-in type", at: domain.location) }
        guard domains[domain.name] == nil else { throw .invalid("domain '\(domain.name)' is declared twice", at: domain.location) }
        let members: [String]
        switch domain.definition {
        case .members(let list):
            var seen: Set<String> = []
            for (member, location) in list where !seen.insert(member).inserted {
                throw .invalid("'\(member)' appears twice in domain '\(domain.name)'", at: location)
            }
            guard list.count >= 2 else { throw .invalid("an ordered domain needs at least two members", at: domain.location) }
            members = list.map(\.0)
        case .ontology(let type, let property):
            guard let ontology else {
                throw .invalid("domain '\(domain.name)' comes from the ontology; check it against a store (--data)", at: domain.location)
            }
            let classIRI = try expand(type)
            let propertyIRI = try expand(property)
            do {
                members = try ontology.orderedMembers(ofClass: classIRI, orderedBy: propertyIRI).map(Self.localName)
            } catch {
                throw .invalid("domain '\(domain.name)': \(error)", at: domain.location)
            }
            guard !members.isEmpty else { throw .invalid("domain '\(domain.name)': no resource in the store is typed <\(classIRI)>", at: type.location) }
        }
        let ordered = OrderedDomain(name: domain.name, members: members)
        domains[domain.name] = ordered
        domainOrder.append(ordered)
    }

    static func localName(_ iri: String) -> String {
        if let hash = iri.lastIndex(of: "#") { return String(iri[iri.index(after: hash)...]) }
        if let slash = iri.lastIndex(of: "/") { return String(iri[iri.index(after: slash)...]) }
        return iri
    }

    private func resolveType(_ type: PolicySyntax.TypeName) throws(PolicyError) -> AttributeType {
        switch type {
        case .set(let element):
            let inner = try resolveType(element)
            if case .set = inner { throw .invalid("sets of sets are not supported", at: location(of: element)) }
            return .set(inner)
        case .named(let name, let location):
            switch name {
            case "Integer": return .integer
            case "Decimal": return .decimal
            case "String": return .string
            case "Boolean": return .boolean
            case "Time": return .time
            case "Interval": return .interval
            case "Class": return .iri
            default:
                guard let domain = domains[name] else { throw .invalid("unknown type '\(name)' (declare it with `domain \(name) = ...;`)", at: location) }
                return .ordered(domain)
            }
        }
    }

    private func location(of type: PolicySyntax.TypeName) -> SourceLocation {
        switch type {
        case .named(_, let location): location
        case .set(let inner): location(of: inner)
        }
    }

    private mutating func declareAttribute(_ attribute: PolicySyntax.Attribute) throws(PolicyError) {
        let reference = attribute.reference
        guard slots[reference] == nil else { throw .invalid("attribute \(reference) is declared twice", at: attribute.location) }
        let type = try resolveType(attribute.type)
        let source: AttributeSource
        switch (reference.entity, attribute.source) {
        case (.context, .unspecified), (.context, .request): source = .request
        case (.context, _): throw .invalid("context attributes come from the request only", at: attribute.location)
        case (.subject, .unspecified), (.subject, .registry): source = .registry
        case (.subject, .authorities(let names)): source = .authorities(names)
        case (.subject, .request): throw .invalid("a subject's attributes never come from the request; use `from authority` or `from registry`", at: attribute.location)
        case (.subject, .property): throw .invalid("subject attributes come from authorities or the registry, not an RDF property", at: attribute.location)
        case (.resource, .property(let name)): source = .property(try expand(name))
        case (.resource, _): throw .invalid("resource attributes come from the resource's RDF: write `= prefix:property`", at: attribute.location)
        }
        slots[reference] = attributes.count
        attributes.append(AttributeDeclaration(reference: reference, type: type, source: source, slot: attributes.count,
                                               location: attribute.location, document: document))
    }

    // MARK: Rules

    private mutating func compileRule(_ rule: PolicySyntax.Rule, id: String) throws(PolicyError) -> PolicyRule {
        var patterns: [APIPattern] = []
        for (text, location) in rule.patterns {
            guard let pattern = APIPattern(text) else { throw .invalid("'\(text)' is not an API name pattern (segments separated by '/', none empty)", at: location) }
            patterns.append(pattern)
        }
        var constraints = Constraints()
        let effect: PolicyRule.Effect
        switch rule.kind {
        case .permit: effect = .permit
        case .forbid: effect = .forbid
        case .limit(let figures):
            effect = .limit
            if let action = rule.actions.first(where: { $0 == .create || $0 == .destroy }) {
                throw .invalid("limits apply to traffic (call, provide, publish, subscribe), not '\(action.rawValue)'", at: rule.location)
            }
            for figure in figures {
                guard figure.value > 0 else { throw .invalid("a limit must be above zero", at: figure.location) }
                var one = Constraints()
                switch figure.kind {
                case .messagesPerSecond: one.messagesPerSecond = figure.value
                case .bytesPerSecond: one.bytesPerSecond = figure.value
                case .burst: one.burst = figure.value
                }
                constraints.tighten(with: one)
            }
        default:
            throw .invalid("not an access rule", at: rule.location)
        }
        let when = try rule.when.map { expression throws(PolicyError) in try compile(expression) }
        let unless = try rule.unless.map { expression throws(PolicyError) in try compile(expression) }
        if let when, Self.constant(when) == false {
            throw .invalid("rule '\(id)' can never apply: its condition is false whatever the request", at: rule.location)
        }
        if let unless, Self.constant(unless) == true {
            throw .invalid("rule '\(id)' can never apply: its `unless` condition always holds", at: rule.location)
        }
        var mask: UInt8 = 0
        for action in rule.actions { mask |= action.bit }
        return PolicyRule(id: id, effect: effect, actions: Set(rule.actions), actionMask: mask, patterns: patterns, when: when, unless: unless,
                          constraints: constraints, document: document, location: rule.location)
    }

    /// The value of a condition that does not depend on the request, if it has one; also
    /// catches `x == "a" and x == "b"`.
    static func constant(_ condition: Condition) -> Bool? {
        switch condition {
        case .test(let test): return constant(test)
        case .not(let inner): return constant(inner).map { !$0 }
        case .or(let terms):
            let values = terms.map(constant)
            if values.contains(true) { return true }
            return values.allSatisfy { $0 == false } ? false : nil
        case .and(let terms):
            let values = terms.map(constant)
            if values.contains(false) { return false }
            var equalities: [Int: AttributeValue] = [:]
            for case .test(let test) in terms {
                if case .compare(.slot(let slot), .equal, .constant(let value)) = test.kind {
                    if let other = equalities[slot], other.equals(value) == false { return false }
                    equalities[slot] = value
                }
            }
            return values.allSatisfy { $0 == true } ? true : nil
        }
    }

    private static func constant(_ test: ConditionTest) -> Bool? {
        switch test.kind {
        case .compare(.constant(let a), let comparison, .constant(let b)):
            return a.compare(to: b).map(comparison.holds) ?? a.equals(b).map { comparison == .equal ? $0 : !$0 }
        case .inRange(_, .constant(let low), .constant(let high)), .withinRange(_, .constant(let low), .constant(let high)):
            if let order = low.compare(to: high), order > 0 { return false }
            return nil
        case .inSet(_, let members):
            return members.isEmpty ? false : nil
        default:
            return nil
        }
    }

    private mutating func compile(_ expression: PolicySyntax.Expression) throws(PolicyError) -> Condition {
        switch expression {
        case .and(let terms):
            var compiled: [Condition] = []
            for term in terms { compiled.append(try compile(term)) }
            return .and(compiled)
        case .or(let terms):
            var compiled: [Condition] = []
            for term in terms { compiled.append(try compile(term)) }
            return .or(compiled)
        case .not(let inner):
            return .not(try compile(inner))
        case .test(let test):
            return .test(try compile(test))
        }
    }

    private typealias Operand = ConditionTest.Operand

    /// An operand and its static type; `expected` resolves bare names (domain members).
    private mutating func operand(_ syntax: PolicySyntax.Operand, expected: AttributeType?) throws(PolicyError) -> (Operand, AttributeType) {
        switch syntax {
        case .attribute(let reference, let location):
            guard let slot = slots[reference] else { throw .invalid("unknown attribute \(reference) (declare it with `attribute \(reference) : Type ...;`)", at: location) }
            return (.slot(slot), attributes[slot].type)
        case .now:
            return (.now, .time)
        case .resource:
            return (.resource, .iri)
        case .literal(let literal, let location):
            switch literal {
            case .integer(let value): return (.constant(.integer(value)), .integer)
            case .decimal(let value): return (.constant(.decimal(value)), .decimal)
            case .string(let value): return (.constant(.string(value)), .string)
            case .instant(let value): return (.constant(.time(value)), .time)
            case .boolean(let value): return (.constant(.boolean(value)), .boolean)
            case .iri(let name): return (.constant(.iri(try expand(name))), .iri)
            case .name(let name):
                var target = expected
                if case .set(let element)? = expected { target = element }
                guard case .ordered(let domain)? = target else {
                    if case .string? = target { throw .invalid("'\(name)' is not a value; strings are quoted: \"\(name)\"", at: location) }
                    throw .invalid("unknown name '\(name)'", at: location)
                }
                guard let rank = domain.rank(of: name) else {
                    throw .invalid("'\(name)' is not in domain \(domain.name) (\(domain.members.joined(separator: " < ")))", at: location)
                }
                return (.constant(.member(rank: rank, name: name)), .ordered(domain))
            }
        }
    }

    private func isBareName(_ syntax: PolicySyntax.Operand) -> Bool {
        if case .literal(.name, _) = syntax { return true }
        return false
    }

    /// Resolves two operands where either may give the other its type.
    private mutating func pair(_ a: PolicySyntax.Operand, _ b: PolicySyntax.Operand) throws(PolicyError) -> ((Operand, AttributeType), (Operand, AttributeType)) {
        if isBareName(a) && !isBareName(b) {
            let second = try operand(b, expected: nil)
            return (try operand(a, expected: second.1), second)
        }
        let first = try operand(a, expected: nil)
        return (first, try operand(b, expected: first.1))
    }

    private func mismatch(_ a: AttributeType, _ b: AttributeType, at location: SourceLocation) -> PolicyError {
        .invalid("type mismatch: \(a) compared with \(b)", at: location)
    }

    private mutating func compile(_ test: PolicySyntax.Test) throws(PolicyError) -> ConditionTest {
        let location = test.location
        let kind: ConditionTest.Kind
        switch test.kind {
        case .compare(let a, let comparison, let b):
            let ((left, leftType), (right, rightType)) = try pair(a, b)
            guard leftType.compatible(with: rightType) else { throw mismatch(leftType, rightType, at: b.location) }
            if comparison != .equal && comparison != .notEqual && !leftType.isOrdered {
                throw .invalid("\(leftType) values are not ordered; only == and != apply", at: location)
            }
            kind = .compare(left, comparison, right)
        case .inRange(let x, let low, let high), .withinRange(let x, let low, let high), .overlapsRange(let x, let low, let high):
            let (value, valueType) = try operand(x, expected: nil)
            var boundType = valueType
            switch test.kind {
            case .inRange:
                guard valueType.isOrdered, valueType != .string else { throw .invalid("`in [a .. b]` needs an ordered value (a domain, a number or a time), not \(valueType)", at: x.location) }
            case .withinRange:
                guard valueType == .time || valueType == .interval else { throw .invalid("`within` applies to a time or an interval, not \(valueType)", at: x.location) }
                boundType = .time
            default:
                guard valueType == .interval || valueType == .time else { throw .invalid("`overlaps` applies to an interval, not \(valueType)", at: x.location) }
                boundType = .time
            }
            let (lowOperand, lowType) = try operand(low, expected: boundType)
            let (highOperand, highType) = try operand(high, expected: boundType)
            guard lowType.compatible(with: boundType) else { throw mismatch(boundType, lowType, at: low.location) }
            guard highType.compatible(with: boundType) else { throw mismatch(boundType, highType, at: high.location) }
            if case .constant(let lowValue) = lowOperand, case .constant(let highValue) = highOperand, let order = lowValue.compare(to: highValue), order > 0 {
                throw .invalid("the range [\(lowValue) .. \(highValue)] is empty, so this can never hold", at: low.location)
            }
            switch test.kind {
            case .inRange: kind = .inRange(value, lowOperand, highOperand)
            case .withinRange: kind = .withinRange(value, lowOperand, highOperand)
            default: kind = .overlapsRange(value, lowOperand, highOperand)
            }
        case .inSet(let x, let members):
            let (value, valueType) = try operand(x, expected: nil)
            var constants: [AttributeValue] = []
            for member in members {
                let (memberOperand, memberType) = try operand(member, expected: valueType)
                guard case .constant(let constant) = memberOperand else { throw .invalid("a set literal holds values, not attributes", at: member.location) }
                guard memberType.compatible(with: valueType) else { throw mismatch(valueType, memberType, at: member.location) }
                constants.append(constant)
            }
            kind = .inSet(value, constants)
        case .inCollection(let x, let collection), .contains(let collection, let x):
            let (setOperand, setType) = try operand(collection, expected: nil)
            guard case .set(let element) = setType else { throw .invalid("expected a set attribute, found \(setType)", at: collection.location) }
            let (value, valueType) = try operand(x, expected: element)
            guard valueType.compatible(with: element) else { throw mismatch(element, valueType, at: x.location) }
            kind = .contains(setOperand, value)
        case .inWindow(let x, let window):
            let (value, valueType) = try operand(x, expected: nil)
            guard valueType == .time else { throw .invalid("`in hours` applies to a time, not \(valueType)", at: x.location) }
            guard window.start != window.end else { throw .invalid("the window is empty (it starts when it ends)", at: window.location) }
            guard window.days != 0 else { throw .invalid("the window has no days", at: window.location) }
            var zone = ZoneOffsets.utc
            if let name = window.zone {
                guard let found = ZoneOffsets(identifier: name) else { throw .invalid("unknown time zone \"\(name)\"", at: window.location) }
                zone = found
            }
            kind = .inWindow(value, WeeklyWindow(start: window.start, end: window.end, days: window.days, zone: zone))
        case .within(let x, let y), .overlaps(let x, let y):
            let (value, valueType) = try operand(x, expected: nil)
            let (container, containerType) = try operand(y, expected: nil)
            guard containerType == .interval else { throw .invalid("expected an interval, found \(containerType)", at: y.location) }
            if case .within = test.kind {
                guard valueType == .time || valueType == .interval else { throw .invalid("`within` applies to a time or an interval, not \(valueType)", at: x.location) }
                kind = .within(value, container)
            } else {
                guard valueType == .interval || valueType == .time else { throw .invalid("`overlaps` applies to an interval, not \(valueType)", at: x.location) }
                kind = .overlaps(value, container)
            }
        case .isA(let x, let name):
            let (value, valueType) = try operand(x, expected: nil)
            guard valueType == .iri else { throw .invalid("`is` tests a resource or a Class attribute, not \(valueType)", at: x.location) }
            let classIRI = try expand(name)
            if case .resource = value { resourceClasses.insert(classIRI) }
            kind = .isA(value, classIRI)
        case .has(let reference, let referenceLocation):
            guard let slot = slots[reference] else { throw .invalid("unknown attribute \(reference)", at: referenceLocation) }
            kind = .has(slot)
        }
        return ConditionTest(kind: kind, text: test.text, location: location)
    }
}
