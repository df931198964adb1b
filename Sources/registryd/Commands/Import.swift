import ArgumentParser
import Ontology

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `registryd import`: bulk-load RDF files into the store.
struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load RDF files (RDF/XML, Turtle, N-Triples) into the store.",
        discussion: """
            Each file is loaded in one transaction: a file with a syntax error adds nothing, and \
            the command stops there. Progress is shown on a terminal; the last line gives the \
            count. Blank nodes of each file are new nodes, distinct from those already stored.

            Examples:
              registryd import ontology.owl --graph http://example.org/ontology
              registryd import site.rdf devices.ttl --data /var/lib/registryd
            """
    )

    @Argument(help: "The files to load.")
    var files: [String]

    @Option(help: "Load into this named graph (an absolute IRI) instead of the default graph.")
    var graph: String?

    @Option(help: "The input format: rdfxml, turtle or ntriples (default: from each file's extension).")
    var format: InputFormat?

    @Option(help: "The base IRI for relative references (default: each file's file:// URL).")
    var base: String?

    @OptionGroup var storage: DataDirectoryOptions

    func validate() throws {
        if files.isEmpty { throw ValidationError("name at least one file to import") }
        if let graph, !IRI.isAbsolute(graph) { throw ValidationError("--graph must be an absolute IRI") }
    }

    func run() throws {
        let start = ContinuousClock.now
        let store: QuadStore
        do {
            store = try QuadStore(directory: storage.data)
        } catch {
            throw CommandFailure("\(storage.data): \(error)")
        }
        defer { store.close() }
        let showProgress = isatty(2) == 1
        var parsed = 0
        var added = 0
        for file in files {
            let format = try InputFormat.format(of: file, given: self.format)
            var progress: (@Sendable (BulkLoadProgress) -> Void)?
            if showProgress {
                progress = { [file] update in Import.show(file, update) }
            }
            do {
                let target: Term? = graph.map { .iri(IRI($0)) }
                let result = try store.bulkLoad(fileAtPath: file, format: format, baseIRI: base, graph: target,
                                                progress: progress)
                parsed += result.triplesParsed
                added += result.quadsAdded
                if showProgress { writeToStandardError("\r\u{1B}[K") }
            } catch let error as OntologyError {
                if showProgress { writeToStandardError("\r\u{1B}[K") }
                throw CommandFailure(error.position != nil ? "\(file):\(error)" : "\(file): \(error)")
            }
        }
        let seconds = Double((ContinuousClock.now - start).components.attoseconds) / 1e18
            + Double((ContinuousClock.now - start).components.seconds)
        let plural = files.count == 1 ? "" : "s"
        print("imported \(files.count) file\(plural) in \(String(format: seconds)) s, \(added) new quads of \(parsed) triples")
    }

    private static func show(_ file: String, _ progress: BulkLoadProgress) {
        writeToStandardError("\r\u{1B}[K\(file): \(progress.phase) \(progress.triples) triples")
    }
}

extension String {
    /// Seconds with two decimals, without Foundation's formatter.
    init(format seconds: Double) {
        let hundredths = Int((seconds * 100).rounded())
        let fraction = hundredths % 100
        self = "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
