import ArgumentParser
import Ontology

/// `registryd convert`: parse an RDF file and write it out in another syntax, like `rapper`.
struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Parse an RDF file and write it to standard output as N-Triples, Turtle or RDF/XML.",
        discussion: """
            The input format comes from the file extension (.rdf .owl .xml, .ttl, .nt) unless \
            --from is given. On a syntax error, prints `file:line:column: message` and exits 1.

            Examples:
              registryd convert site.rdf > site.nt
              registryd convert --to turtle ontology.owl
            """
    )

    @Argument(help: "The RDF file to read.")
    var file: String

    @Option(help: "The input format: rdfxml, turtle or ntriples (default: from the file extension).")
    var from: InputFormat?

    @Option(help: "The output format: ntriples, turtle or rdfxml.")
    var to: OutputFormat = .ntriples

    @Option(help: "The base IRI for relative references (default: the file's file:// URL).")
    var base: String?

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case ntriples, turtle, rdfxml
    }

    func run() throws {
        guard let format = from?.format ?? RDFFormat(fileName: file) else {
            throw CommandFailure("\(file): cannot tell the format from the extension; use --from rdfxml|turtle|ntriples")
        }
        let output = ByteOutput(fileDescriptor: 1)
        do {
            switch to {
            case .ntriples:
                // Writing runs on the second core while the parser fills the next batch.
                var writer = NTriplesWriter(output: output)
                let sink = PipelinedSink { batch in
                    for triple in batch { try writer.write(triple) }
                }
                try RDFParser.parse(fileAtPath: file, format: format, baseIRI: base) { try sink.add($0) }
                try sink.finish()
                try writer.finish()
            case .turtle, .rdfxml:
                // Both writers group by subject, so they take the whole graph before writing.
                var prefixes: [(prefix: String, iri: String)] = []
                var triples: [Triple] = []
                try RDFParser.parse(fileAtPath: file, format: format, baseIRI: base, prefixes: &prefixes) {
                    triples.append($0)
                }
                var writer: any RDFWriter = to == .turtle
                    ? TurtleWriter(output: output, prefixes: prefixes)
                    : RDFXMLWriter(output: output, prefixes: prefixes)
                for triple in triples { try writer.write(triple) }
                try writer.finish()
            }
        } catch let error as OntologyError {
            try? output.flush()
            throw CommandFailure(error.position != nil ? "\(file):\(error)" : "\(file): \(error)")
        }
    }
}
