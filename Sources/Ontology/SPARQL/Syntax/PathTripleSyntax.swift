/// A triple pattern whose predicate may be a property path.
struct PathTripleSyntax: Sendable {
    enum Predicate: Sendable {
        case term(TermPattern)
        case path(PropertyPath)
    }

    var subject: TermPattern
    var predicate: Predicate
    var object: TermPattern
}
