/// One token of Turtle (or N-Triples).
///
/// Tokens that name things carry byte ranges into the input rather than strings, so that a parser
/// can look repeated IRIs up in a cache before it pays for building a `String`.
enum TurtleToken: Equatable, Sendable {
    /// `<...>`: the range between the brackets; `escaped` when it holds `\u` or `\U` escapes.
    case iriRef(Range<Int>, escaped: Bool)
    /// `prefix:local`: the whole name, the offset of its colon, and whether the local part holds
    /// backslash escapes.
    case prefixedName(Range<Int>, colon: Int, escaped: Bool)
    /// `_:label`: the range of the label.
    case blankNodeLabel(Range<Int>)
    /// A string literal, already unescaped.
    case string(String)
    /// `@word`: a language tag or the `@prefix` / `@base` keyword; the range after the `@`.
    case atWord(Range<Int>)
    case integer(Range<Int>)
    case decimal(Range<Int>)
    case double(Range<Int>)
    case a
    case `true`
    case `false`
    /// SPARQL-style `PREFIX`, in any case.
    case prefixKeyword
    /// SPARQL-style `BASE`, in any case.
    case baseKeyword
    case dot
    case semicolon
    case comma
    case openBracket
    case closeBracket
    case openParen
    case closeParen
    /// `^^`
    case datatypeMarker
    case end
}
