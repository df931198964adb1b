/// Evaluates requests against a policy set. A pure function of the policies, the attributes
/// and the time: default deny, forbid overrides permit, and anything that cannot be evaluated
/// never permits and lets a forbid apply.
public enum DecisionPoint {
    /// Three-valued truth (Kleene).
    enum Truth {
        case yes, no, unknown

        init(_ value: Bool) { self = value ? .yes : .no }

        var text: String {
            switch self {
            case .yes: "true"
            case .no: "false"
            case .unknown: "unknown"
            }
        }
    }

    /// Per-evaluation state: the request, the earliest change of any time test, the slots used.
    struct Context {
        let attributes: AttributeBag
        let declarations: [AttributeDeclaration]
        let now: Double
        var stableUntil = Double.infinity
        var usedSlots: UInt64 = 0
        var trace: [Explanation.Test]?
    }

    public static func decide(api: String, action: Action, at time: Double, attributes: AttributeBag,
                              policies: PolicySet, explain: Bool = false) -> Decision {
        let candidates = policies.candidates(for: api)
        var context = Context(attributes: attributes, declarations: policies.attributes, now: time)
        var explained: [Explanation.Rule] = []
        var permits: [String] = []
        var forbids: [String] = []
        var permitStable = -Double.infinity
        var forbidStable = Double.infinity
        var permitSlots: UInt64 = 0

        for index in candidates.rules {
            let rule = policies.rules[index]
            guard rule.applies(to: action) else { continue }
            context.stableUntil = .infinity
            context.usedSlots = 0
            if explain { context.trace = [] }
            let when = rule.when.map { evaluate($0, &context) } ?? .yes
            let whenTrace = context.trace ?? []
            if explain { context.trace = [] }
            let unless = rule.unless.map { evaluate($0, &context) } ?? .no
            let applies: Bool
            if rule.effect == .permit {
                applies = when == .yes && unless == .no
                if applies {
                    permits.append(rule.id)
                    permitStable = max(permitStable, context.stableUntil)
                    permitSlots |= context.usedSlots
                }
            } else {
                applies = when != .no && unless != .yes
                if applies { forbids.append(rule.id) } else { forbidStable = min(forbidStable, context.stableUntil) }
            }
            if explain {
                explained.append(Explanation.Rule(rule: rule.id, effect: rule.effect, document: rule.document, line: rule.location.line,
                                                   applies: applies, when: whenTrace, unless: context.trace ?? []))
            } else if applies && rule.effect == .forbid {
                break
            }
        }

        var decision: Decision
        if !forbids.isEmpty {
            decision = Decision(effect: .deny, generation: policies.generation, rules: forbids,
                                reason: "forbidden by " + forbids.joined(separator: ", "), stableUntil: forbidStable,
                                constraints: Constraints())
        } else if permits.isEmpty {
            decision = Decision(effect: .deny, generation: policies.generation, rules: [],
                                reason: "no permit rule applies (default deny)", stableUntil: .infinity, constraints: Constraints())
        } else {
            var constraints = Constraints()
            for index in candidates.limits {
                let limit = policies.limits[index]
                guard limit.applies(to: action) else { continue }
                context.trace = nil
                if limit.when.map({ evaluate($0, &context) }) ?? .yes == .yes { constraints.tighten(with: limit.constraints) }
            }
            var expiry: Double?
            var slots = permitSlots
            var slot = 0
            while slots != 0 {
                if slots & 1 != 0, let expires = attributes.expiries[slot] { expiry = min(expiry ?? expires, expires) }
                slots >>= 1
                slot += 1
            }
            decision = Decision(effect: .permit, generation: policies.generation, rules: permits,
                                reason: "permitted by " + permits.joined(separator: ", "), stableUntil: min(permitStable, forbidStable),
                                credentialsExpire: expiry, constraints: constraints)
        }
        if explain {
            decision.explanation = Explanation(rules: explained, attributes: policies.attributes.map { declaration in
                Explanation.Attribute(attribute: declaration.reference.description, source: declaration.source.description,
                                      value: attributes.values[declaration.slot]?.description,
                                      problem: attributes.values[declaration.slot] == nil ? (attributes.problems[declaration.slot]?.description ?? "missing") : nil)
            })
        }
        return decision
    }

    static func evaluate(_ condition: Condition, _ context: inout Context) -> Truth {
        switch condition {
        case .test(let test):
            return evaluate(test, &context)
        case .not(let inner):
            switch evaluate(inner, &context) {
            case .yes: return .no
            case .no: return .yes
            case .unknown: return .unknown
            }
        case .and(let terms):
            var result = Truth.yes
            for term in terms {
                switch evaluate(term, &context) {
                case .no:
                    if context.trace == nil { return .no }
                    result = .no
                case .unknown: if result == .yes { result = .unknown }
                case .yes: break
                }
            }
            return result
        case .or(let terms):
            var result = Truth.no
            for term in terms {
                switch evaluate(term, &context) {
                case .yes:
                    if context.trace == nil { return .yes }
                    result = .yes
                case .unknown: if result == .no { result = .unknown }
                case .no: break
                }
            }
            return result
        }
    }

    private static func value(_ operand: ConditionTest.Operand, _ context: inout Context) -> AttributeValue? {
        switch operand {
        case .constant(let value): return value
        case .now: return .time(context.now)
        case .resource: return nil
        case .slot(let slot):
            if slot < 64 { context.usedSlots |= 1 << UInt64(slot) }
            return context.attributes.values[slot]
        }
    }

    /// When `operand` is `now`, the instants at which the test may change value.
    private static func noteBounds(_ operand: ConditionTest.Operand, _ low: Double?, _ high: Double?, _ context: inout Context) {
        guard case .now = operand else { return }
        let now = context.now
        if let low, low > now { context.stableUntil = min(context.stableUntil, low) }
        if let high, high >= now { context.stableUntil = min(context.stableUntil, high) }
    }

    private static func seconds(_ value: AttributeValue) -> (Double, Double)? {
        switch value {
        case .time(let t): (t, t)
        case .interval(let start, let end): (start, end)
        default: nil
        }
    }

    static func evaluate(_ test: ConditionTest, _ context: inout Context) -> Truth {
        var reason: String?
        let result: Truth
        func missing(_ operands: ConditionTest.Operand...) -> String {
            for operand in operands {
                if case .slot(let slot) = operand, context.attributes.values[slot] == nil {
                    return "\(name(slot, context)): \(context.attributes.problems[slot]?.description ?? "missing")"
                }
            }
            return "a value is missing"
        }
        switch test.kind {
        case .has(let slot):
            result = Truth(context.attributes.values[slot] != nil)
            if result == .no { reason = "\(name(slot, context)): \(context.attributes.problems[slot]?.description ?? "missing")" }
        case .compare(let a, let comparison, let b):
            if let left = value(a, &context), let right = value(b, &context) {
                if let order = left.compare(to: right) {
                    result = Truth(comparison.holds(order))
                } else if let equal = left.equals(right), comparison == .equal || comparison == .notEqual {
                    result = Truth(comparison == .equal ? equal : !equal)
                } else {
                    result = .unknown
                    reason = "\(left) and \(right) cannot be compared"
                }
                if case .time(let t) = right { noteBounds(a, t, nil, &context) }
                if case .time(let t) = left { noteBounds(b, t, nil, &context) }
                if context.trace != nil && reason == nil { reason = "\(left) \(comparison.rawValue) \(right)" }
            } else {
                result = .unknown
                reason = missing(a, b)
            }
        case .inRange(let x, let lowOperand, let highOperand), .withinRange(let x, let lowOperand, let highOperand):
            if let subject = value(x, &context), let low = value(lowOperand, &context), let high = value(highOperand, &context) {
                if let (start, end) = seconds(subject), case .time(let lowTime) = low, case .time(let highTime) = high {
                    result = Truth(start >= lowTime && end <= highTime)
                    noteBounds(x, lowTime, highTime, &context)
                } else if let lower = subject.compare(to: low), let upper = subject.compare(to: high) {
                    result = Truth(lower >= 0 && upper <= 0)
                } else {
                    result = .unknown
                    reason = "\(subject) cannot be compared with [\(low) .. \(high)]"
                }
                if context.trace != nil && reason == nil { reason = "\(subject) in [\(low) .. \(high)]" }
            } else {
                result = .unknown
                reason = missing(x, lowOperand, highOperand)
            }
        case .within(let x, let y):
            if let subject = value(x, &context), let container = value(y, &context), let (start, end) = seconds(subject), case .interval(let low, let high) = container {
                result = Truth(start >= low && end <= high)
                noteBounds(x, low, high, &context)
                if context.trace != nil { reason = "\(subject) within \(container)" }
            } else {
                result = .unknown
                reason = missing(x, y)
            }
        case .overlapsRange(let x, let lowOperand, let highOperand):
            if let subject = value(x, &context), let (start, end) = seconds(subject), case .time(let low)? = value(lowOperand, &context),
               case .time(let high)? = value(highOperand, &context) {
                result = Truth(start <= high && low <= end)
                noteBounds(x, low, high, &context)
                if context.trace != nil { reason = "\(subject) overlaps [\(Instant.format(low)) .. \(Instant.format(high))]" }
            } else {
                result = .unknown
                reason = missing(x, lowOperand, highOperand)
            }
        case .overlaps(let x, let y):
            if let subject = value(x, &context), let (start, end) = seconds(subject), case .interval(let low, let high)? = value(y, &context) {
                result = Truth(start <= high && low <= end)
                noteBounds(x, low, high, &context)
                if context.trace != nil { reason = "\(subject) overlaps [\(Instant.format(low)) .. \(Instant.format(high))]" }
            } else {
                result = .unknown
                reason = missing(x, y)
            }
        case .inSet(let x, let members):
            if let subject = value(x, &context) {
                result = Truth(members.contains { subject.equals($0) == true })
                if context.trace != nil { reason = "\(subject) in {\(members.map(\.description).joined(separator: ", "))}" }
            } else {
                result = .unknown
                reason = missing(x)
            }
        case .contains(let setOperand, let x):
            if case .set(let items)? = value(setOperand, &context), let subject = value(x, &context) {
                result = Truth(items.contains { subject.equals($0) == true })
                if context.trace != nil { reason = "{\(items.map(\.description).joined(separator: ", "))} contains \(subject)" }
            } else {
                result = .unknown
                reason = missing(setOperand, x)
            }
        case .inWindow(let x, let window):
            if case .time(let instant)? = value(x, &context) {
                let (inside, stable) = window.evaluate(at: instant)
                result = Truth(inside)
                if case .now = x { context.stableUntil = min(context.stableUntil, stable) }
                if context.trace != nil { reason = "\(Instant.format(instant)) \(inside ? "is" : "is not") in \(window)" }
            } else {
                result = .unknown
                reason = missing(x)
            }
        case .isA(let x, let classIRI):
            switch x {
            case .resource:
                if let known = context.attributes.resourceClasses[classIRI] {
                    result = Truth(known)
                    if context.trace != nil { reason = "the resource \(known ? "is" : "is not") a <\(classIRI)>" }
                } else {
                    result = .unknown
                    reason = "the resource is not registered, so its classes are unknown"
                }
            default:
                if case .iri(let iri)? = value(x, &context) {
                    result = Truth(iri == classIRI)
                    if context.trace != nil { reason = "<\(iri)> compared with <\(classIRI)>" }
                } else {
                    result = .unknown
                    reason = missing(x)
                }
            }
        }
        if context.trace != nil {
            context.trace?.append(Explanation.Test(test: test.text, line: test.location.line, column: test.location.column,
                                                   value: result.text, reason: reason))
        }
        return result
    }

    private static func name(_ slot: Int, _ context: Context) -> String {
        slot < context.declarations.count ? context.declarations[slot].reference.description : "attribute #\(slot)"
    }
}
