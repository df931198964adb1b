/// One element of a group graph pattern, with the offset where it starts.
struct GroupElementSyntax: Sendable {
    enum Kind: Sendable {
        /// A triples block: its patterns (collections and property lists already expanded),
        /// and the blank node labels it uses with the offset of the first use.
        case triples([PathTripleSyntax], labels: [String: Int])
        case filter(Expression)
        case optional(GroupSyntax)
        case minus(GroupSyntax)
        /// `{…} UNION {…} …`, or one nested group.
        case union([GroupSyntax])
        case graph(TermPattern, GroupSyntax)
        case service(TermPattern, GroupSyntax, silent: Bool)
        case bind(Expression, Variable)
        case values(ValuesSyntax)
    }

    var kind: Kind
    var offset: Int
}
