/// What blank node labels in quads given to the store mean.
public enum BlankNodeScope: Hashable, Sendable {
    /// Labels are local to the call: each distinct label becomes a new blank node, distinct from
    /// every node already stored. What imports and SPARQL `INSERT DATA` need: `_:a` in two
    /// documents (or two registrations) are two nodes.
    case fresh
    /// Labels name blank nodes already in the store, in the `b<id>` form the store decodes them
    /// with. What writing back terms read from the store needs (`DELETE/INSERT WHERE`). A label
    /// that names no stored blank node is an error (`store.unknown_blank_node`).
    case store
}
