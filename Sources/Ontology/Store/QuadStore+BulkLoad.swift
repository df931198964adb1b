extension QuadStore {
    /// Loads a large file in one transaction, faster than ``insert(_:blankNodes:)``.
    ///
    /// Parsing overlaps with term encoding on a second core, quads are sorted before they are
    /// written, and the indexes of an empty table are built after the data (see `BulkLoader`).
    /// The load is atomic: if the file has a syntax error halfway, the store is left exactly as
    /// it was, and readers never see part of it. Blank nodes are fresh for this load.
    ///
    /// ```swift
    /// let result = try store.bulkLoad(fileAtPath: "site.rdf", format: .rdfXML)
    /// print("\(result.quadsAdded) quads")
    /// ```
    /// - Parameters:
    ///   - graph: the named graph to load into; nil for the default graph.
    ///   - baseIRI: the base for relative IRIs; by default the file's `file://` URL.
    ///   - progress: called now and then, on the calling thread, with the phase and the triples
    ///     parsed so far.
    /// - Throws: the parser's ``OntologyError`` (with a position) or `store.sqlite`.
    @discardableResult
    public func bulkLoad(fileAtPath path: String, format: RDFFormat, baseIRI: String? = nil, graph: Term? = nil,
                         progress: (@Sendable (BulkLoadProgress) -> Void)? = nil) throws -> BulkLoadResult {
        try bulkLoad(graph: graph, progress: progress) { emit in
            try RDFParser.parse(fileAtPath: path, format: format, baseIRI: baseIRI, emit: emit)
        }
    }

    /// ``bulkLoad(fileAtPath:format:baseIRI:graph:progress:)`` on the writer queue, off Swift's
    /// cooperative pool; `progress` is called on that queue.
    @discardableResult
    public func bulkLoad(fileAtPath path: String, format: RDFFormat, baseIRI: String? = nil, graph: Term? = nil,
                         progress: (@Sendable (BulkLoadProgress) -> Void)? = nil) async throws -> BulkLoadResult {
        let cache = (configuration.bulkLoadCacheMiB, configuration.writerCacheMiB)
        let result = try await write { transaction in
            try transaction.withBulkLoadCache(cache.0, restoring: cache.1) {
                try BulkLoader.load(into: transaction, graph: graph, progress: progress) { emit in
                    try RDFParser.parse(fileAtPath: path, format: format, baseIRI: baseIRI, emit: emit)
                }
            }
        }
        progress?(BulkLoadProgress(phase: .committing, triples: result.triplesParsed))
        try await checkpoint()
        return result
    }

    /// Bulk-loads the triples that `produce` hands to its `emit` argument, as one transaction.
    ///
    /// `produce` runs on the calling thread (a parser, typically); encoding and storing run on a
    /// second thread meanwhile. If `produce` throws, nothing is stored.
    @discardableResult
    public func bulkLoad(graph: Term? = nil, progress: (@Sendable (BulkLoadProgress) -> Void)? = nil,
                         from produce: (_ emit: (Triple) throws -> Void) throws -> Void) throws -> BulkLoadResult {
        let result = try write { transaction in
            try transaction.withBulkLoadCache(configuration.bulkLoadCacheMiB, restoring: configuration.writerCacheMiB) {
                try BulkLoader.load(into: transaction, graph: graph, progress: progress, from: produce)
            }
        }
        progress?(BulkLoadProgress(phase: .committing, triples: result.triplesParsed))
        // Move the load out of the WAL now, on the writer, rather than leave a WAL the size of
        // the import for the next commit's automatic checkpoint.
        try checkpoint()
        return result
    }
}

extension QuadStore.Transaction {
    /// Runs `body` with a larger page cache, so that the B-trees a bulk load builds stay in
    /// memory until COMMIT writes them out once.
    func withBulkLoadCache<T>(_ mebibytes: Int, restoring normal: Int, _ body: () throws -> T) throws -> T {
        try connection.execute("PRAGMA cache_size = -\(mebibytes * 1024)")
        defer { try? connection.execute("PRAGMA cache_size = -\(normal * 1024)") }
        return try body()
    }
}
