import Foundation
import Ontology
import Testing

/// `registryd convert`, run as a separate process.
struct ConvertCommandTests {
    let rdfXML = """
        <?xml version="1.0"?>
        <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:sosa="http://www.w3.org/ns/sosa/"
                 xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">
          <sosa:Sensor rdf:about="http://example.org/sensor/1">
            <rdfs:label xml:lang="en">Thermometer "A"</rdfs:label>
            <sosa:observes rdf:resource="http://example.org/property/temperature"/>
          </sosa:Sensor>
        </rdf:RDF>
        """

    @Test func convertsRDFXMLToNTriples() throws {
        let file = try RegistrydBinary.temporaryFile(rdfXML, extension: "rdf")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let outcome = try RegistrydBinary.run(["convert", file])
        #expect(outcome.status == 0)
        let lines = outcome.standardOutput.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines.contains(#"<http://example.org/sensor/1> <http://www.w3.org/2000/01/rdf-schema#label> "Thermometer \"A\""@en ."#))
        #expect(lines.contains("<http://example.org/sensor/1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/sosa/Sensor> ."))
    }

    @Test func turtleOutputUsesPrefixesAndParsesBack() throws {
        let turtle = """
            @prefix sosa: <http://www.w3.org/ns/sosa/> .
            @prefix ex: <http://example.org/> .
            ex:sensor1 a sosa:Sensor ; sosa:observes ex:temperature , ex:humidity ;
                ex:location [ ex:room "1.12" ] ; ex:readings ( 1 2.5 ) .
            """
        let file = try RegistrydBinary.temporaryFile(turtle, extension: "ttl")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let outcome = try RegistrydBinary.run(["convert", file, "--to", "turtle"])
        #expect(outcome.status == 0)
        #expect(outcome.standardOutput.contains("@prefix sosa: <http://www.w3.org/ns/sosa/>"))
        #expect(outcome.standardOutput.contains("sosa:Sensor"))
        var original: [Triple] = []
        var roundTripped: [Triple] = []
        try RDFParser.parse(turtle, format: .turtle) { original.append($0) }
        try RDFParser.parse(outcome.standardOutput, format: .turtle) { roundTripped.append($0) }
        #expect(GraphIsomorphism.areIsomorphic(original, roundTripped))
    }

    @Test func formatCanBeForced() throws {
        let file = try RegistrydBinary.temporaryFile("<http://a/s> <http://a/p> \"o\" .\n", extension: "data")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let refused = try RegistrydBinary.run(["convert", file])
        #expect(refused.status != 0)
        #expect(refused.standardError.contains("--from"))
        let forced = try RegistrydBinary.run(["convert", "--from", "ntriples", file])
        #expect(forced.status == 0)
        #expect(forced.standardOutput == "<http://a/s> <http://a/p> \"o\" .\n")
    }

    @Test(arguments: [
        ("rdf", "<?xml version=\"1.0\"?>\n<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n<rdf:Description>\n</rdf:RDF>\n", 4),
        ("ttl", "@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b \"unterminated .\n", 3),
        ("nt", "<http://a/s> <http://a/p> <http://a/o> .\n<http://a/s> <http://a/p> .\n", 2),
    ])
    func badFileGivesOneLineWithPosition(fileExtension: String, contents: String, line: Int) throws {
        let file = try RegistrydBinary.temporaryFile(contents, extension: fileExtension)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let outcome = try RegistrydBinary.run(["convert", file])
        #expect(outcome.status == 1)
        let errorLines = outcome.standardError.split(separator: "\n")
        #expect(errorLines.count == 1)
        #expect(errorLines.first?.hasPrefix("\(file):\(line):") == true)
    }

    @Test func missingFileIsOneClearLine() throws {
        let outcome = try RegistrydBinary.run(["convert", "/nonexistent/site.rdf"])
        #expect(outcome.status == 1)
        #expect(outcome.standardError.split(separator: "\n").count == 1)
        #expect(outcome.standardError.contains("/nonexistent/site.rdf"))
    }

    @Test func helpExplainsTheCommands() throws {
        let root = try RegistrydBinary.run(["--help"])
        #expect(root.status == 0)
        #expect(root.standardOutput.contains("convert"))
        let convert = try RegistrydBinary.run(["convert", "--help"])
        #expect(convert.status == 0)
        #expect(convert.standardOutput.contains("--to"))
        #expect(convert.standardOutput.contains("ntriples"))
    }
}

extension ConvertCommandTests {
    @Test func rdfXMLNamespacesBecomeTurtlePrefixes() throws {
        let file = try RegistrydBinary.temporaryFile(rdfXML, extension: "rdf")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let outcome = try RegistrydBinary.run(["convert", file, "--to", "turtle"])
        #expect(outcome.status == 0)
        #expect(outcome.standardOutput.contains("@prefix sosa: <http://www.w3.org/ns/sosa/>"))
        #expect(outcome.standardOutput.contains("a sosa:Sensor"))
        var original: [Triple] = []
        var roundTripped: [Triple] = []
        try RDFParser.parse(rdfXML, format: .rdfXML) { original.append($0) }
        try RDFParser.parse(outcome.standardOutput, format: .turtle) { roundTripped.append($0) }
        #expect(GraphIsomorphism.areIsomorphic(original, roundTripped))
    }
}

extension ConvertCommandTests {
    @Test func turtleToRDFXMLAndBack() throws {
        let turtle = """
            @prefix sosa: <http://www.w3.org/ns/sosa/> .
            <http://example.org/s1> a sosa:Sensor ; sosa:observes [ a sosa:ObservableProperty ] ; <http://example.org/v> "1.5"^^<http://www.w3.org/2001/XMLSchema#decimal> .
            """
        let file = try RegistrydBinary.temporaryFile(turtle, extension: "ttl")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let outcome = try RegistrydBinary.run(["convert", file, "--to", "rdfxml"])
        #expect(outcome.status == 0)
        #expect(outcome.standardOutput.contains(#"xmlns:sosa="http://www.w3.org/ns/sosa/""#))
        var original: [Triple] = []
        try RDFParser.parse(turtle, format: .turtle) { original.append($0) }
        #expect(GraphIsomorphism.areIsomorphic(original, try RDFXMLParser().triples(in: outcome.standardOutput)))
    }
}
