extension QuadStore {
    /// A consistent, read-only view of the store, valid inside one `read` closure.
    ///
    /// Patterns are matched on term ids (``EncodedQuadPattern``, ``EncodedQuad``); encode constants with
    /// ``id(for:)`` and decode results in bulk with ``terms(for:)``. ``quads(subject:predicate:object:in:)``
    /// does both for callers that want ``Quad`` values.
    ///
    /// A snapshot is not `Sendable` and must not escape its closure: it uses a connection that
    /// goes back to the pool when the closure returns. Calls after that throw `store.misuse`.
    public class Snapshot {
        let connection: SQLiteConnection
        let dictionary: TermDictionary
        private(set) var isActive = true
        private var cursors: [Weak] = []

        private struct Weak {
            weak var cursor: QuadCursor?
        }

        /// The in-memory graphs as of this snapshot's start.
        let memory: MemoryGraphs.View

        /// ``QuadStore/commitCount`` when this snapshot began: two snapshots with the same
        /// count see the same data, so it versions what is derived from a snapshot (an RDFS
        /// schema, a resource's facts). Nil for a transaction's own view (it sees its
        /// uncommitted writes).
        public internal(set) var commitCount: UInt64?

        init(connection: SQLiteConnection, cache: TermCache, memory: MemoryGraphs.View) {
            self.connection = connection
            self.dictionary = TermDictionary(connection: connection, cache: cache)
            self.memory = memory
        }

        init(dictionary: TermDictionary, memory: MemoryGraphs.View) {
            self.connection = dictionary.connection
            self.dictionary = dictionary
            self.memory = memory
        }

        func checkActive() throws {
            guard isActive else {
                throw OntologyError(.storeMisuse, "a store snapshot was used after its `read` or `write` closure returned")
            }
        }

        /// Ends the snapshot: closes its open cursors so that none touches the connection later.
        func end() {
            if isActive { memory.graphs.close(memory) }
            isActive = false
            for entry in cursors { entry.cursor?.close() }
            cursors = []
        }

        // MARK: Terms

        /// The id of a term, or nil when no quad could use it because the store does not hold it.
        public func id(for term: Term) throws -> TermID? {
            try checkActive()
            return try dictionary.id(for: term)
        }

        /// The ids of many terms, in order (nil for a term the store does not hold).
        public func ids(for terms: [Term]) throws -> [TermID?] {
            try checkActive()
            return try terms.map { try dictionary.id(for: $0) }
        }

        /// The term with an id.
        /// - Throws: `store.unknown_term` for an id that is not in this snapshot.
        public func term(for id: TermID) throws -> Term {
            try checkActive()
            return try dictionary.term(for: id)
        }

        /// Decodes many ids at once, each distinct id once.
        public func terms<S: Sequence>(for ids: S) throws -> [TermID: Term] where S.Element == TermID {
            try checkActive()
            return try dictionary.terms(for: ids)
        }

        /// Decodes a quad; the default graph becomes a nil graph name.
        public func decode(_ quad: EncodedQuad) throws -> Quad {
            try checkActive()
            guard case .iri(let predicate) = try dictionary.term(for: quad.predicate) else {
                throw OntologyError(.storeUnknownTerm, "the predicate with id \(quad.predicate.rawValue) is not an IRI")
            }
            return Quad(try dictionary.term(for: quad.subject), predicate, try dictionary.term(for: quad.object),
                        graph: quad.graph == .defaultGraph ? nil : try dictionary.term(for: quad.graph))
        }

        // MARK: Quads

        /// A cursor over the quads that match a pattern, streamed from one index range per
        /// graph family. See ``QuadCursor`` for the order.
        public func cursor(matching pattern: EncodedQuadPattern) throws -> QuadCursor {
            try checkActive()
            let cursor = QuadCursor(snapshot: self, pattern: pattern)
            cursors.removeAll { $0.cursor == nil }
            cursors.append(Weak(cursor: cursor))
            return cursor
        }

        /// All quads that match a pattern.
        public func quads(matching pattern: EncodedQuadPattern) throws -> [EncodedQuad] {
            try checkActive()
            var result: [EncodedQuad] = []
            for sql in pattern.selectSQL {
                try connection.withStatement(sql) { statement in
                    pattern.bind(to: statement)
                    while try statement.step() {
                        result.append(EncodedQuad(statement.termID(at: 0), statement.termID(at: 1),
                                                  statement.termID(at: 2), graph: statement.termID(at: 3)))
                    }
                }
            }
            return result
        }

        /// How many quads match a pattern (exact; it counts the index range).
        public func count(matching pattern: EncodedQuadPattern) throws -> Int {
            try checkActive()
            var total = 0
            for sql in pattern.countSQL {
                total += try connection.withStatement(sql) { statement in
                    pattern.bind(to: statement)
                    return try statement.step() ? Int(statement.int64(at: 0)) : 0
                }
            }
            return total
        }

        /// The quads with the given terms in the given graphs, decoded, the in-memory graphs
        /// (``MemoryGraphs``) included. Nil matches anything.
        public func quads(subject: Term? = nil, predicate: IRI? = nil, object: Term? = nil,
                          in graph: GraphScope = .all) throws -> [Quad] {
            try checkActive()
            var result: [Quad] = []
            if let pattern = try encodedPattern(subject: subject, predicate: predicate, object: object, in: graph) {
                result = try quads(matching: pattern).map { try decode($0) }
            }
            switch graph {
            case .defaultGraph:
                break
            case .named(let name):
                guard case .iri(let iri) = name else { break }
                result += memory.graphs.quads(subject: subject, predicate: predicate, object: object, graph: iri, in: memory)
            case .allNamed, .all:
                result += memory.graphs.quads(subject: subject, predicate: predicate, object: object, graph: nil, in: memory)
            }
            return result
        }

        /// The quads of the SQLite tables alone (the graphs written by SPARQL Update, the Graph
        /// Store protocol, imports and the bundled ontologies), without the in-memory graphs.
        public func storedQuads(subject: Term? = nil, predicate: IRI? = nil, object: Term? = nil,
                                in graph: GraphScope = .all) throws -> [Quad] {
            try checkActive()
            guard let pattern = try encodedPattern(subject: subject, predicate: predicate, object: object, in: graph) else { return [] }
            return try quads(matching: pattern).map { try decode($0) }
        }

        /// The quads of one in-memory graph (a registration's), with their graph.
        public func memoryQuads(subject: Term? = nil, predicate: IRI? = nil, object: Term? = nil, graph: IRI) throws -> [Quad] {
            try checkActive()
            return memory.graphs.quads(subject: subject, predicate: predicate, object: object, graph: graph, in: memory)
        }

        /// Whether the in-memory graphs hold nothing this snapshot sees, so that the stored
        /// quads alone answer any pattern.
        public var memoryGraphsAreEmpty: Bool { memory.graphs.isEmpty(in: memory) }

        /// An upper bound of the in-memory quads matching a pattern.
        func estimatedMemoryCount(subject: Term?, predicate: IRI?, object: Term?, in graph: GraphScope) -> Int {
            switch graph {
            case .defaultGraph: return 0
            case .named(let name):
                guard case .iri(let iri) = name else { return 0 }
                return memory.graphs.estimatedCount(subject: subject, predicate: predicate, object: object, graph: iri, in: memory)
            case .allNamed, .all:
                return memory.graphs.estimatedCount(subject: subject, predicate: predicate, object: object, graph: nil, in: memory)
            }
        }

        /// The pattern for terms, or nil when a bound term is not in the store (no match).
        func encodedPattern(subject: Term?, predicate: IRI?, object: Term?, in graph: GraphScope) throws -> EncodedQuadPattern? {
            var pattern = EncodedQuadPattern()
            if let subject {
                guard let id = try dictionary.id(for: subject) else { return nil }
                pattern.subject = id
            }
            if let predicate {
                guard let id = try dictionary.id(for: .iri(predicate)) else { return nil }
                pattern.predicate = id
            }
            if let object {
                guard let id = try dictionary.id(for: object) else { return nil }
                pattern.object = id
            }
            switch graph {
            case .defaultGraph: pattern.graph = .defaultGraph
            case .allNamed: pattern.graph = .anyNamed
            case .all: pattern.graph = .all
            case .named(let name):
                guard let id = try dictionary.id(for: name) else { return nil }
                pattern.graph = .named(id)
            }
            return pattern
        }

        // MARK: Graphs

        /// The ids of the named graphs, in id order. A graph exists from its first quad (or
        /// `createGraph`) until it is dropped, even while it is empty.
        public func namedGraphIDs() throws -> [TermID] {
            try checkActive()
            return try connection.withStatement("SELECT id FROM named_graph ORDER BY id") { statement in
                var result: [TermID] = []
                while try statement.step() { result.append(statement.termID(at: 0)) }
                return result
            }
        }

        /// The whole dataset as N-Quads, handed to `emit` in pieces of about `chunkBytes`: the
        /// stored quads through a cursor (never all in memory at once), then each in-memory
        /// graph in turn. No result limit applies: this is the export (`registryd export`,
        /// `GET /rdf-graphs`). Returns the number of quads.
        @discardableResult
        public func exportNQuads(chunkBytes: Int = 1 << 16, emit: ([UInt8]) throws -> Void) throws -> Int {
            try checkActive()
            var buffer: [UInt8] = []
            buffer.reserveCapacity(chunkBytes + 4096)
            var count = 0
            func append(_ quad: Quad) throws {
                NTriplesEscaping.appendQuad(quad, to: &buffer)
                count += 1
                if buffer.count >= chunkBytes {
                    try emit(buffer)
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            let cursor = try cursor(matching: EncodedQuadPattern(graph: .all))
            while let quad = try cursor.next() { try append(try decode(quad)) }
            for graph in memory.graphs.graphNames(in: memory) {
                for quad in memory.graphs.quads(subject: nil, predicate: nil, object: nil, graph: graph, in: memory) { try append(quad) }
            }
            if !buffer.isEmpty { try emit(buffer) }
            return count
        }

        /// The names of the named graphs: the stored ones, then the in-memory ones.
        public func namedGraphs() throws -> [Term] {
            let ids = try namedGraphIDs()
            let terms = try dictionary.terms(for: ids)
            var names = ids.compactMap { terms[$0] }
            let stored = Set(names)
            for iri in memory.graphs.graphNames(in: memory) where !stored.contains(.iri(iri)) { names.append(.iri(iri)) }
            return names
        }

        /// Whether a named graph exists, stored or in memory.
        public func containsGraph(_ name: Term) throws -> Bool {
            try checkActive()
            if case .iri(let iri) = name, memory.graphs.contains(graph: iri, in: memory) { return true }
            guard let id = try dictionary.id(for: name) else { return false }
            return try connection.scalar("SELECT count(*) FROM named_graph WHERE id = ?1", id.rawValue) > 0
        }

        /// Whether `name` is a graph kept in memory, which the generic quad writes must not touch.
        public func isMemoryGraph(_ name: Term) -> Bool {
            guard case .iri(let iri) = name else { return false }
            return memory.graphs.contains(graph: iri, in: memory)
        }

        // MARK: Statistics

        /// The number of quads in the store, over all graphs, the in-memory ones included (from
        /// the maintained statistics, so it costs one small query). In a transaction, its own
        /// changes to stored graphs are included.
        public func quadCount() throws -> Int {
            try checkActive()
            return Int(try connection.scalar("SELECT ifnull(sum(triples), 0) FROM predicate_stats")) + memory.graphs.count(in: memory)
        }

        /// Statistics for one predicate, or nil when no quad uses it. In a transaction, its own
        /// changes are included in ``PredicateStatistics/triples``.
        public func statistics(for predicate: TermID) throws -> PredicateStatistics? {
            try checkActive()
            return try connection.withStatement("SELECT triples, subjects, objects FROM predicate_stats WHERE p = ?1") { statement in
                statement.bind(predicate, at: 1)
                guard try statement.step() else { return nil }
                return PredicateStatistics(triples: Int(statement.int64(at: 0)), distinctSubjects: Int(statement.int64(at: 1)),
                                           distinctObjects: Int(statement.int64(at: 2)))
            }
        }

        /// Statistics for every predicate in use.
        public func predicateStatistics() throws -> [TermID: PredicateStatistics] {
            try checkActive()
            return try connection.withStatement("SELECT p, triples, subjects, objects FROM predicate_stats") { statement in
                var result: [TermID: PredicateStatistics] = [:]
                while try statement.step() {
                    result[statement.termID(at: 0)] = PredicateStatistics(
                        triples: Int(statement.int64(at: 1)), distinctSubjects: Int(statement.int64(at: 2)),
                        distinctObjects: Int(statement.int64(at: 3)))
                }
                return result
            }
        }
    }
}
