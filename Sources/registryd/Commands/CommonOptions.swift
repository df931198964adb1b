import ArgumentParser
import Ontology

/// `--data DIR`, shared by every command that opens the store.
struct DataDirectoryOptions: ParsableArguments {
    @Option(help: "The directory holding the registry's data (created on first use).")
    var data: String = "./registry-data"
}

/// An RDF input format named on the command line.
enum InputFormat: String, ExpressibleByArgument, CaseIterable {
    case rdfxml, turtle, ntriples

    var format: RDFFormat {
        switch self {
        case .rdfxml: return .rdfXML
        case .turtle: return .turtle
        case .ntriples: return .nTriples
        }
    }

    /// The format given, or the one the file name's extension says.
    static func format(of file: String, given: InputFormat?) throws -> RDFFormat {
        guard let format = given?.format ?? RDFFormat(fileName: file) else {
            throw CommandFailure("\(file): cannot tell the format from the extension; use --format rdfxml|turtle|ntriples")
        }
        return format
    }
}
