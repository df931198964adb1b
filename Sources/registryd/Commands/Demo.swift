import ArgumentParser
import Foundation
import Ontology
import Registry

/// `registryd demo`: loads the examples of seed 001 into a data directory and prints commands to try.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load the example services (weight management, platooning, telemedicine) and print commands to try.",
        discussion: """
            Registers every manifest under examples/ (JSON manifests, the RDF/XML thermostat and the \
            Thing Description) and loads the domain ontologies of examples/domain/ into their own \
            graphs, in the data directory; then start the daemon on it with `registryd serve`.
            """
    )

    @OptionGroup var storage: DataDirectoryOptions

    func run() async throws {
        let setup = try await DaemonSetup.open(data: storage.data)
        defer { setup.store.close() }
        guard let share = setup.shareDirectory else {
            throw CommandFailure("the examples were not found (set REGISTRYD_SHARE to the directory holding examples/ and ontologies/)")
        }
        let examples = share + "/examples"
        let domains = try await setup.registry.loadOntologies(from: examples + "/domain")
        for domain in domains { writeToStandardOutput("loaded domain ontology \(domain.file) into <\(domain.graph)>\n") }
        // Domain ontologies are loaded above; policies and their expected decisions are not services.
        let files = try Self.files(under: examples).filter { !$0.hasPrefix(examples + "/domain/") && !$0.hasPrefix(examples + "/policies/") }
        var count = 0
        for path in files {
            let bytes = try RDFParser.readFile(atPath: path)
            let input: RegistrationInput
            do {
                if path.hasSuffix(".td.json") {
                    let manifest = try ThingDescriptionDecoder.decode(Data(bytes))
                    input = .manifest(manifest, source: .thingDescription)
                } else if path.hasSuffix(".json") {
                    input = .manifest(try ManifestDecoder.decode(Data(bytes)), source: .manifest)
                } else if let format = RDFFormat(fileName: path) {
                    input = .rdf(try RDFManifestReader.read(bytes, format: format, baseIRI: RDFParser.defaultBaseIRI(forPath: path)))
                } else {
                    continue
                }
                let (registration, _) = try await setup.registry.register(input)
                writeToStandardOutput("registered \(registration.name) \(registration.manifest.version) as \(registration.id)\n")
                count += 1
            } catch let error as RegistryError {
                throw CommandFailure("\(path): \(error.message)")
            }
        }
        let token = setup.newAdminToken ?? "$(cat \(storage.data)/admin.token)"
        writeToStandardOutput("""

            \(count) registrations in \(storage.data). Start the daemon and try:

              registryd serve --data \(storage.data) &
              TOKEN=\(token)
              curl -s -H "Authorization: Bearer $TOKEN" 'http://127.0.0.1:8470/v1/services?name=snac.asu.edu/&tier=edge'
              curl -s -H "Authorization: Bearer $TOKEN" 'http://127.0.0.1:8470/v1/services?class=sosa:Sensor'
              curl -s -H "Authorization: Bearer $TOKEN" 'http://127.0.0.1:8470/v1/resolve?name=snac.asu.edu/Weather/phoenix/getForecast'
              curl -s -H "Authorization: Bearer $TOKEN" -N 'http://127.0.0.1:8470/v1/events?since=0'
              registryd query --data \(storage.data) 'PREFIX sosa: <http://www.w3.org/ns/sosa/> PREFIX ms: <https://w3id.org/registryd/ms#> SELECT ?service ?device WHERE { ?s ms:name ?service ; ms:exposes ?device . ?device a sosa:Sensor }'
                (the last one with the daemon stopped; while it runs, POST the query to /sparql)

            """)
    }

    static func files(under directory: String) throws -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return [] }
        return enumerator.compactMap { $0 as? String }.map { directory + "/" + $0 }
            .filter { !$0.hasSuffix("/") && ($0.hasSuffix(".json") || RDFFormat(fileName: $0) != nil) }.sorted()
    }
}
