/// Where a bulk load is, for progress displays.
public struct BulkLoadProgress: Sendable {
    /// The steps of a bulk load, in order.
    public enum Phase: Sendable {
        /// Parsing and encoding terms; ``BulkLoadProgress/triples`` grows.
        case parsing
        /// Sorting the encoded quads.
        case sorting
        /// Writing quads in key order.
        case writing
        /// Building the secondary indexes.
        case indexing
        /// Committing and checkpointing.
        case committing
    }

    /// The step the load is in.
    public var phase: Phase
    /// Triples parsed so far.
    public var triples: Int
}

/// What a bulk load did.
public struct BulkLoadResult: Hashable, Sendable {
    /// Triples the parser produced (duplicates included).
    public var triplesParsed: Int
    /// Quads added to the store (duplicates, and triples already stored, excluded).
    public var quadsAdded: Int
    /// Terms added to the term table (blank nodes included).
    public var termsAdded: Int
}
