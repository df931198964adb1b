/// The parsed, not yet validated, form of a policy document. `PolicyCompiler` checks it against
/// the declarations and turns it into a `PolicySet`.
struct PolicySyntax: Sendable {
    var statements: [Statement] = []

    enum Statement: Sendable {
        case prefix(name: String, iri: String, at: SourceLocation)
        case domain(Domain)
        case attribute(Attribute)
        case rule(Rule)
    }

    struct Domain: Sendable {
        enum Definition: Sendable {
            case members([(String, SourceLocation)])
            case ontology(type: Name, orderedBy: Name)
        }
        var name: String
        var definition: Definition
        var location: SourceLocation
    }

    struct Attribute: Sendable {
        var reference: AttributeReference
        var type: TypeName
        var source: Source
        var location: SourceLocation
    }

    indirect enum TypeName: Sendable {
        case named(String, SourceLocation)
        case set(TypeName)
    }

    enum Source: Sendable {
        case authorities([String])
        case registry
        case request
        case property(Name)
        case unspecified
    }

    /// An IRI written in full or as a prefixed name.
    struct Name: Sendable {
        enum Form: Sendable {
            case full(String)
            case prefixed(prefix: String, local: String)
        }
        var form: Form
        var location: SourceLocation
    }

    struct Rule: Sendable {
        enum Kind: Sendable {
            case permit, forbid
            case limit([LimitFigure])
            case route([RouteTarget])
            case redirect(String)
        }
        var label: String?
        var kind: Kind
        var actions: [Action]
        var patterns: [(String, SourceLocation)]
        var when: Expression?
        var unless: Expression?
        var location: SourceLocation
    }

    struct LimitFigure: Sendable {
        enum Kind: Sendable { case messagesPerSecond, bytesPerSecond, burst }
        var kind: Kind
        var value: Double
        var location: SourceLocation
    }

    struct RouteTarget: Sendable {
        var version: String
        var weight: Int
        var location: SourceLocation
    }

    indirect enum Expression: Sendable {
        case and([Expression])
        case or([Expression])
        case not(Expression)
        case test(Test)
    }

    struct Test: Sendable {
        enum Kind: Sendable {
            case compare(Operand, Comparison, Operand)
            case inRange(Operand, low: Operand, high: Operand)
            case inSet(Operand, [Operand])
            case inCollection(Operand, Operand)
            case inWindow(Operand, Window)
            case withinRange(Operand, low: Operand, high: Operand)
            case within(Operand, Operand)
            case overlapsRange(Operand, low: Operand, high: Operand)
            case overlaps(Operand, Operand)
            case contains(Operand, Operand)
            case isA(Operand, Name)
            case has(AttributeReference, SourceLocation)
        }
        var kind: Kind
        /// The test as written, quoted in explanations.
        var text: String
        var location: SourceLocation
    }

    struct Window: Sendable {
        var start: Int
        var end: Int
        var zone: String?
        var days: UInt8
        var location: SourceLocation
    }

    enum Operand: Sendable {
        case attribute(AttributeReference, SourceLocation)
        case now(SourceLocation)
        case resource(SourceLocation)
        case literal(Literal, SourceLocation)

        var location: SourceLocation {
            switch self {
            case .attribute(_, let location), .now(let location), .resource(let location), .literal(_, let location): location
            }
        }
    }

    enum Literal: Sendable {
        case integer(Int)
        case decimal(Double)
        case string(String)
        case instant(Double)
        case boolean(Bool)
        /// A bare name: a member of the domain it is compared with.
        case name(String)
        case iri(Name)
    }
}

/// `subject.rank`, `resource.sensitivity`, `context.site`.
public struct AttributeReference: Sendable, Hashable, CustomStringConvertible {
    public enum Entity: String, Sendable, Hashable, CaseIterable {
        case subject, resource, context
    }

    public var entity: Entity
    public var name: String

    public init(entity: Entity, name: String) {
        self.entity = entity
        self.name = name
    }

    public var description: String { "\(entity.rawValue).\(name)" }
}

/// What a subject asks to do with an API.
public enum Action: String, Sendable, Hashable, Codable, CaseIterable {
    case call, provide, publish, subscribe, create, destroy

    var bit: UInt8 { UInt8(1) << UInt8(Action.allCases.firstIndex(of: self)!) }
}

/// The comparison operators of conditions.
public enum Comparison: String, Sendable, Hashable {
    case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="

    func holds(_ order: Int) -> Bool {
        switch self {
        case .equal: order == 0
        case .notEqual: order != 0
        case .less: order < 0
        case .lessOrEqual: order <= 0
        case .greater: order > 0
        case .greaterOrEqual: order >= 0
        }
    }
}
