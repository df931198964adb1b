import ArgumentParser
import Ontology
import Registry

/// `registryd query`: run a SPARQL query against the store.
struct Query: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a SPARQL 1.1 query against the store.",
        discussion: """
            The default graph is the union of all graphs, and RDFS reasoning is on (subclasses, \
            subproperties, domains, ranges, inverses, transitive properties, equivalences) \
            unless --no-reasoning. SELECT and ASK results are printed as a table unless \
            --format says otherwise; CONSTRUCT and DESCRIBE results as Turtle.

            Examples:
              registryd query 'SELECT ?s WHERE { ?s a <http://www.w3.org/ns/sosa/Sensor> }'
              registryd query --format json 'ASK { ?s ?p ?o }'
            """
    )

    @Argument(help: "The SPARQL query.")
    var query: String

    @Option(help: "Output format: table, json, xml, csv, tsv (solutions); turtle, ntriples, rdfxml, jsonld (graphs).")
    var format: OutputFormat = .table

    @Option(help: "Give up after this many seconds.")
    var timeout: Int = 30

    @Flag(name: .customLong("no-reasoning"), help: "Answer from the stored triples only, without RDFS entailments.")
    var withoutReasoning = false

    @Option(name: .customLong("repeat"), help: ArgumentHelp("Run the query this many more times after the first and print the median time to standard error (for benchmarks).", visibility: .hidden))
    var repetitions: Int = 0

    @OptionGroup var storage: DataDirectoryOptions

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case table, json, xml, csv, tsv, turtle, ntriples, rdfxml, jsonld

        var syntax: ResultRenderer.Syntax {
            switch self {
            case .table: return .table
            case .json: return .results(.json)
            case .xml: return .results(.xml)
            case .csv: return .results(.csv)
            case .tsv: return .results(.tsv)
            case .turtle: return .graph(.turtle)
            case .ntriples: return .graph(.nTriples)
            case .rdfxml: return .graph(.rdfXML)
            case .jsonld: return .jsonLD
            }
        }
    }

    func run() throws {
        let parsed: Ontology.Query
        do {
            parsed = try SPARQLParser().parseQuery(query)
        } catch let error as OntologyError {
            throw CommandFailure("query:\(error)")
        }
        let store = try StoreAccess.openAsServed(storage.data)
        defer { store.close() }
        let limits = EvaluationLimits(timeout: .seconds(timeout))
        do {
            var timings: [Duration] = []
            var result = QueryResult.boolean(false)
            for _ in 0...max(0, repetitions) {
                let start = ContinuousClock.now
                result = try store.read { snapshot in
                    try QueryEvaluator(dataset: StoreDataset(snapshot), reasoning: !withoutReasoning, limits: limits).evaluate(parsed)
                }
                timings.append(ContinuousClock.now - start)
            }
            if repetitions > 0 {
                // The first run warms the caches; the median of the others is reported.
                let sorted = timings.dropFirst().sorted()
                let median = sorted[sorted.count / 2]
                let milliseconds = Double(median.components.seconds) * 1000 + Double(median.components.attoseconds) / 1e15
                writeToStandardError("median \(milliseconds) ms over \(sorted.count) runs\n")
            }
            let prefixes = parsed.prefixes.sorted { $0.key < $1.key }.map { (prefix: $0.key, iri: $0.value) }
            try ResultRenderer.write(result, as: format.syntax, prefixes: prefixes, to: ByteOutput(fileDescriptor: 1))
        } catch let error as OntologyError {
            throw CommandFailure("\(error.code): \(error.message)")
        }
    }
}

/// Opening the store for a command, with a one-line error.
enum StoreAccess {
    static func open(_ directory: String, configuration: QuadStore.Configuration = QuadStore.Configuration()) throws -> QuadStore {
        do {
            return try QuadStore(directory: directory, configuration: configuration)
        } catch let error as OntologyError where error.code == .storeLocked {
            throw CommandFailure("\(directory): the store is in use by another process (is `registryd serve` running?)")
        } catch {
            throw CommandFailure("\(directory): \(error)")
        }
    }

    /// Opens the store as the daemon serves it: with the registrations' graphs, which live in
    /// memory (``MemoryGraphs``), built from their records.
    static func openAsServed(_ directory: String) throws -> QuadStore {
        let store = try open(directory)
        do {
            _ = try Registry(store: store)
        } catch {
            store.close()
            throw CommandFailure("\(directory): \(error)")
        }
        return store
    }
}
