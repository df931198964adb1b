/// One token of a SPARQL query or update (SPARQL 1.1 §19.8, the terminals in capitals).
///
/// Names and strings are decoded already (escapes removed); IRIs are not yet resolved against
/// the base, since `BASE` may change between tokens.
enum SPARQLToken: Equatable, Sendable {
    /// `<…>`, the text between the brackets with `\u` escapes decoded.
    case iri(String)
    /// `prefix:local` (either part may be empty), the local part with backslash escapes removed.
    case prefixedName(prefix: String, local: String)
    /// `_:label`, the label.
    case blankNodeLabel(String)
    /// `?name` or `$name`, the name.
    case variable(String)
    /// A string in any of the four quoting styles, unescaped.
    case string(String)
    /// `@tag`, the tag.
    case languageTag(String)
    /// A number, as written (with its sign, when it has one).
    case integer(String)
    case decimal(String)
    case double(String)
    /// A keyword or built-in name, in upper case (`SELECT`, `STR`, `GROUP_CONCAT`).
    case keyword(String)
    /// The keyword `a`, which alone among keywords is case-sensitive.
    case a
    case symbol(Symbol)
    case end

    /// Punctuation and operators.
    enum Symbol: String, Sendable {
        case openBrace = "{"
        case closeBrace = "}"
        case openParen = "("
        case closeParen = ")"
        case openBracket = "["
        case closeBracket = "]"
        /// `()` with only white space inside: `rdf:nil`, or an empty argument list.
        case nilList = "()"
        /// `[]` with only white space inside: an anonymous blank node.
        case anon = "[]"
        case dot = "."
        case comma = ","
        case semicolon = ";"
        case star = "*"
        case slash = "/"
        case plus = "+"
        case minus = "-"
        case bang = "!"
        case equal = "="
        case notEqual = "!="
        case less = "<"
        case greater = ">"
        case lessOrEqual = "<="
        case greaterOrEqual = ">="
        case and = "&&"
        case or = "||"
        case caret = "^"
        case datatype = "^^"
        case pipe = "|"
        case question = "?"
    }
}

/// A token and where it is in the input, as byte offsets.
struct LocatedToken: Sendable {
    var token: SPARQLToken
    var start: Int
    var end: Int
}
