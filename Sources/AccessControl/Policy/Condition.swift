/// A validated condition, ready to evaluate: attributes are slots, members are ranks.
indirect enum Condition: Sendable {
    case and([Condition])
    case or([Condition])
    case not(Condition)
    case test(ConditionTest)
}

/// One test of a condition, with its source text for explanations.
struct ConditionTest: Sendable {
    enum Operand: Sendable {
        case slot(Int)
        case now
        case resource
        case constant(AttributeValue)
    }

    enum Kind: Sendable {
        case compare(Operand, Comparison, Operand)
        case inRange(Operand, Operand, Operand)
        case inSet(Operand, [AttributeValue])
        case inWindow(Operand, WeeklyWindow)
        case withinRange(Operand, Operand, Operand)
        case within(Operand, Operand)
        case overlapsRange(Operand, Operand, Operand)
        case overlaps(Operand, Operand)
        case contains(Operand, Operand)
        case isA(Operand, String)
        case has(Int)
    }

    var kind: Kind
    var text: String
    var location: SourceLocation
}
