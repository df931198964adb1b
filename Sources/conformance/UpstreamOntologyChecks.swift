import Ontology

/// The checks on the official IoT-Lite / SOSA / SSN files: the pairs their README says must be
/// the same graph, and every Turtle file parsing.
struct UpstreamOntologyChecks {
    let directory: String

    struct Check {
        let name: String
        let run: () throws -> String?
    }

    var checks: [Check] {
        var checks: [Check] = [
            samePair("iot-lite/ontology.owl", "iot-lite/ontology.ttl", expectedCount: 178),
            samePair("sosa-ssn/ssn-ext.rdf", "sosa-ssn/ssn-ext.nt", expectedCount: 145),
        ]
        for file in turtleFiles() {
            checks.append(Check(name: "parse \(file)") {
                _ = try parse(file)
                return nil
            })
        }
        return checks
    }

    private func parse(_ file: String) throws -> Set<Triple> {
        var triples = Set<Triple>()
        let path = directory + "/" + file
        guard let format = RDFFormat(fileName: file) else { return triples }
        try RDFParser.parse(fileAtPath: path, format: format) { triples.insert($0) }
        return triples
    }

    private func samePair(_ first: String, _ second: String, expectedCount: Int) -> Check {
        Check(name: "\(first) = \(second)") {
            let a = try parse(first)
            let b = try parse(second)
            if a.count != expectedCount { return "\(first) gives \(a.count) distinct triples, expected \(expectedCount)" }
            return GraphIsomorphism.areIsomorphic(a, b) ? nil : "graphs differ (\(a.count) and \(b.count) triples)"
        }
    }

    private func turtleFiles() -> [String] {
        var files: [String] = []
        for folder in ["iot-lite", "sosa-ssn"] {
            for name in FileList.names(in: directory + "/" + folder) where name.hasSuffix(".ttl") {
                files.append(folder + "/" + name)
            }
        }
        return files.sorted()
    }
}
