import ArgumentParser
import Ontology

/// `registryd update`: run a SPARQL Update request against the store, atomically.
struct Update: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a SPARQL 1.1 Update request against the store (all of it, or nothing).",
        discussion: """
            Examples:
              registryd update 'INSERT DATA { <http://example.org/a> <http://example.org/p> "x" }'
              registryd update 'DROP GRAPH <http://example.org/old>'
            LOAD reads local files only (file: IRIs).
            """
    )

    @Argument(help: "The SPARQL Update request.")
    var request: String

    @OptionGroup var storage: DataDirectoryOptions

    func run() throws {
        let parsed: Ontology.Update
        do {
            parsed = try SPARQLParser().parseUpdate(request)
        } catch let error as OntologyError {
            throw CommandFailure("update:\(error)")
        }
        let store = try StoreAccess.openAsServed(storage.data)
        defer { store.close() }
        do {
            try store.write { transaction in
                var dataset = StoreUpdateDataset(transaction)
                try UpdateExecutor().execute(parsed, on: &dataset)
            }
            print("ok")
        } catch let error as OntologyError {
            throw CommandFailure("\(error.code): \(error.message)")
        }
    }
}
