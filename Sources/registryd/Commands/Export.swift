import ArgumentParser
import Foundation
import Ontology

/// `registryd export`: the whole dataset as N-Quads on standard output, streamed.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write every quad of the registry (stored graphs, the bundled ontologies, the registrations' graphs) as N-Quads to standard output.",
        discussion: """
            The store is read as one snapshot and written as it is read, so no result limit \
            applies and memory stays flat. The daemon must be stopped (it holds the store); while \
            it serves, `GET /rdf-graphs` with `Accept: application/n-quads` streams the same.

            Example:
              registryd export --data /var/lib/registryd > registry.nq
            """
    )

    @OptionGroup var storage: DataDirectoryOptions

    func run() throws {
        let store = try StoreAccess.openAsServed(storage.data)
        defer { store.close() }
        let output = FileHandle.standardOutput
        do {
            let count = try store.read { snapshot in
                try snapshot.exportNQuads { chunk in try output.write(contentsOf: chunk) }
            }
            writeToStandardError("registryd: exported \(count) quads\n")
        } catch let error as OntologyError {
            throw CommandFailure("export failed: \(error.message)")
        }
    }
}
