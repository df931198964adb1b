/// What a literal means to SPARQL operators: its value when the engine knows the datatype and
/// the lexical form is valid for it, or the literal itself otherwise.
///
/// SPARQL's operator mapping (§17.3) dispatches on the value's type. Literals of datatypes the
/// engine does not interpret (`"x"^^ex:unknown`), and ill-typed literals of datatypes it does
/// (`"abc"^^xsd:integer`), are only equal to themselves: comparing them with anything else is
/// an error, except where the answer is known regardless of value (a language-tagged string
/// is never equal to a typed literal, §17.4.1.7 and the `open-world` tests).
enum LiteralValue: Sendable {
    /// An `xsd:string` (in RDF 1.1, every simple literal).
    case string(String)
    /// An `rdf:langString`, with its lower-case language tag.
    case langString(String, language: String)
    case boolean(Bool)
    case numeric(NumericValue)
    /// An `xsd:dateTime` or `xsd:date`.
    case dateTime(XSDDateTime)
    /// A literal of a known datatype whose lexical form is not in its lexical space.
    case invalid(Literal)
    /// A literal of a datatype the engine does not interpret.
    case unknown(Literal)

    init(_ literal: Literal) {
        if literal.language != nil {
            self = .langString(literal.lexicalForm, language: literal.language ?? "")
            return
        }
        let datatype = literal.datatype
        if datatype == XSD.string {
            self = .string(literal.lexicalForm)
        } else if datatype == XSD.boolean {
            switch literal.lexicalForm {
            case "true", "1": self = .boolean(true)
            case "false", "0": self = .boolean(false)
            default: self = .invalid(literal)
            }
        } else if let kind = NumericDatatype(datatype) {
            if let value = NumericValue(lexicalForm: literal.lexicalForm, kind: kind) {
                self = .numeric(value)
            } else {
                self = .invalid(literal)
            }
        } else if datatype == XSD.dateTime {
            self = XSDDateTime(dateTime: literal.lexicalForm).map { .dateTime($0) } ?? .invalid(literal)
        } else if datatype == XSD.date {
            self = XSDDateTime(date: literal.lexicalForm).map { .dateTime($0) } ?? .invalid(literal)
        } else if datatype == RDF.langString {
            // A langString without a language tag cannot be written in RDF; keep it opaque.
            self = .invalid(literal)
        } else {
            self = .unknown(literal)
        }
    }

    /// The value of a term, or `nil` for IRIs and blank nodes.
    init?(_ term: Term) {
        guard case .literal(let literal) = term else { return nil }
        self.init(literal)
    }

    /// The number, when the value is one.
    var numeric: NumericValue? {
        if case .numeric(let value) = self { return value }
        return nil
    }

    /// Whether the value is opaque to operators (unknown datatype or ill-typed).
    var isOpaque: Bool {
        switch self {
        case .invalid, .unknown: return true
        default: return false
        }
    }
}
