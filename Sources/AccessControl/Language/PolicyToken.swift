/// One lexical token of policy text.
struct PolicyToken: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        case identifier(String)
        /// `prefix:local`, kept split.
        case prefixedName(prefix: String, local: String)
        case iri(String)
        case string(String)
        case integer(Int)
        case decimal(Double)
        /// An RFC 3339 instant, seconds since 1970.
        case instant(Double)
        /// `HH:MM`, minutes after midnight.
        case clock(Int)
        case symbol(String)
        case end
    }

    var kind: Kind
    var location: SourceLocation
    /// Offset of the token's first byte in the source, for quoting conditions in explanations.
    var offset: Int
    var endOffset: Int
}
