#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
@testable import Ontology

struct TurtleWriterTests {
    static let ex = "http://example.org/"

    static func iri(_ local: String) -> Term { .iri(ex + local) }
    static func node(_ id: String) -> Term { .blankNode(BlankNode(id)) }

    static func write(_ triples: [Triple], prefixes: [(prefix: String, iri: String)] = [("ex", ex)],
                      baseIRI: String? = nil) throws -> String {
        let output = ByteOutput()
        var writer = TurtleWriter(output: output, prefixes: prefixes, baseIRI: baseIRI)
        for triple in triples { try writer.write(triple) }
        try writer.finish()
        return output.string
    }

    /// Writes, parses back and checks that the graph survived.
    @discardableResult
    static func roundTrip(_ triples: [Triple], prefixes: [(prefix: String, iri: String)] = [("ex", ex)],
                          baseIRI: String? = nil) throws -> String {
        let text = try write(triples, prefixes: prefixes, baseIRI: baseIRI)
        var parsed: [Triple] = []
        var parser = TurtleParser()
        try parser.parse(text) { parsed.append($0) }
        #expect(isomorphic(triples, parsed), "\(text)")
        return text
    }

    @Test func groupsBySubjectAndPredicate() throws {
        let text = try Self.write([
            Triple(Self.iri("s"), IRI(Self.ex + "p"), Self.iri("o1")),
            Triple(Self.iri("s"), RDF.type, Self.iri("C")),
            Triple(Self.iri("s"), IRI(Self.ex + "p"), Self.iri("o2")),
            Triple(Self.iri("s"), IRI(Self.ex + "p"), Self.iri("o2")),
            Triple(Self.iri("t"), IRI(Self.ex + "q"), .literal(Literal("7", datatype: XSD.integer))),
        ])
        #expect(text == """
            @prefix ex: <http://example.org/> .

            ex:s a ex:C ;
                ex:p ex:o1, ex:o2 .

            ex:t ex:q 7 .

            """)
    }

    @Test func inlinesBlankNodesAndLists() throws {
        let list = [Self.node("l1"), Self.node("l2")]
        let text = try Self.roundTrip([
            Triple(Self.iri("s"), IRI(Self.ex + "p"), Self.node("r")),
            Triple(Self.node("r"), RDF.type, Self.iri("R")),
            Triple(Self.node("r"), IRI(Self.ex + "q"), list[0]),
            Triple(list[0], RDF.first, Self.iri("a")),
            Triple(list[0], RDF.rest, list[1]),
            Triple(list[1], RDF.first, .literal(Literal("b"))),
            Triple(list[1], RDF.rest, .iri(RDF.nil)),
        ])
        #expect(text == """
            @prefix ex: <http://example.org/> .

            ex:s ex:p [
                    a ex:R ;
                    ex:q ( ex:a "b" )
                ] .

            """)
    }

    @Test func usesShorthandOnlyWhenTheLexicalFormAllowsIt() throws {
        let objects: [Literal] = [
            Literal("-5", datatype: XSD.integer), Literal("1.50", datatype: XSD.decimal),
            Literal("1e3", datatype: XSD.double), Literal("true", datatype: XSD.boolean),
            Literal("1.", datatype: XSD.decimal), Literal(" 2", datatype: XSD.integer),
            Literal("TRUE", datatype: XSD.boolean), Literal("INF", datatype: XSD.double),
            Literal("1.0", datatype: XSD.double), Literal("x", datatype: IRI(Self.ex + "dt")),
        ]
        let text = try Self.roundTrip(objects.map { Triple(Self.iri("s"), IRI(Self.ex + "p"), .literal($0)) })
        #expect(text.contains("-5, 1.50, 1e3, true, "))
        #expect(text.contains("\"1.\"^^xsd:decimal"))
        #expect(text.contains("\"TRUE\"^^xsd:boolean"))
        #expect(text.contains("\"1.0\"^^xsd:double"))
        #expect(text.contains("\"x\"^^ex:dt"))
    }

    @Test func roundTripsTrickyStrings() throws {
        let strings = [
            "", "\"", "\"\"", "\"\"\"", "a\"", "line\nbreak", "ends with quote\n\"", "\n\"\"\"\n", "back\\slash\n",
            "tab\tcr\r\nnull\u{0}bell\u{7}del\u{7F}", "é 😀 \u{2028}", "'''\n'",
        ]
        var triples = strings.map { Triple(Self.iri("s"), IRI(Self.ex + "p"), .literal(Literal($0))) }
        triples.append(Triple(Self.iri("s"), IRI(Self.ex + "p"), .literal(Literal("multi\nline", language: "en-GB"))))
        triples.append(Triple(Self.iri("s"), IRI(Self.ex + "p"), .literal(Literal("a\nb", datatype: IRI(Self.ex + "t")))))
        let text = try Self.roundTrip(triples)
        #expect(text.contains("\"\"\"line\nbreak\"\"\""))
    }

    @Test func roundTripsBlankNodeShapes() throws {
        try Self.roundTrip([
            // Shared by two subjects: needs a label.
            Triple(Self.iri("a"), IRI(Self.ex + "p"), Self.node("shared")),
            Triple(Self.iri("b"), IRI(Self.ex + "p"), Self.node("shared")),
            Triple(Self.node("shared"), IRI(Self.ex + "q"), .literal(Literal("x"))),
            // A cycle of nodes referenced once each, and a node that refers to itself.
            Triple(Self.node("c1"), IRI(Self.ex + "next"), Self.node("c2")),
            Triple(Self.node("c2"), IRI(Self.ex + "next"), Self.node("c1")),
            Triple(Self.node("self"), IRI(Self.ex + "p"), Self.node("self")),
            // Labels that Turtle cannot write as they are.
            Triple(Self.node("has space"), IRI(Self.ex + "p"), Self.node("ends.")),
            Triple(Self.node("ends."), IRI(Self.ex + "p"), Self.node("has space")),
            // A subject no one refers to, and an object with no properties.
            Triple(Self.node("root"), IRI(Self.ex + "p"), Self.node("leaf")),
            // A list that does not end in rdf:nil, and one whose node has an extra property.
            Triple(Self.iri("s"), IRI(Self.ex + "list"), Self.node("bad1")),
            Triple(Self.node("bad1"), RDF.first, Self.iri("x")),
            Triple(Self.node("bad1"), RDF.rest, Self.iri("y")),
            Triple(Self.iri("s"), IRI(Self.ex + "list"), Self.node("bad2")),
            Triple(Self.node("bad2"), RDF.first, Self.iri("x")),
            Triple(Self.node("bad2"), RDF.rest, .iri(RDF.nil)),
            Triple(Self.node("bad2"), IRI(Self.ex + "extra"), Self.iri("z")),
            // A list whose item is the blank node that holds the list: a cycle through a list.
            Triple(Self.node("holder"), IRI(Self.ex + "p"), Self.node("h0")),
            Triple(Self.node("h0"), RDF.first, Self.node("holder")),
            Triple(Self.node("h0"), RDF.rest, .iri(RDF.nil)),
        ])
    }

    @Test func labelsListsNestedTooDeeply() throws {
        var triples: [Triple] = []
        for k in 0..<60 {
            let holder = k == 0 ? Self.iri("s") : Self.node("item\(k)")
            triples.append(Triple(holder, IRI(Self.ex + "p"), Self.node("list\(k)")))
            triples.append(Triple(Self.node("list\(k)"), RDF.first, Self.node("item\(k + 1)")))
            triples.append(Triple(Self.node("list\(k)"), RDF.rest, .iri(RDF.nil)))
        }
        try Self.roundTrip(triples)
    }

    @Test func labelsBlankNodesNestedTooDeeply() throws {
        var triples: [Triple] = []
        for k in 0..<200 {
            triples.append(Triple(k == 0 ? Self.iri("s") : Self.node("n\(k)"), IRI(Self.ex + "p"), Self.node("n\(k + 1)")))
        }
        let text = try Self.roundTrip(triples)
        #expect(text.contains("_:n"))
    }

    @Test func longListsStayFlat() throws {
        var triples: [Triple] = [Triple(Self.iri("s"), IRI(Self.ex + "p"), Self.node("l0"))]
        for k in 0..<5000 {
            triples.append(Triple(Self.node("l\(k)"), RDF.first, .literal(Literal(String(k), datatype: XSD.integer))))
            triples.append(Triple(Self.node("l\(k)"), RDF.rest, k == 4999 ? .iri(RDF.nil) : Self.node("l\(k + 1)")))
        }
        let text = try Self.roundTrip(triples)
        #expect(text.contains("( 0 1 2 3"))
    }

    @Test func prefixedNamesOnlyForValidLocalNames() throws {
        let text = try Self.roundTrip([
            Triple(Self.iri("a/b"), IRI(Self.ex + "p"), Self.iri("")),
            Triple(Self.iri("ends."), IRI(Self.ex + "p%20q"), Self.iri("-x")),
            Triple(Self.iri("1"), IRI(Self.ex + "p"), .iri("http://other.example/x")),
        ], prefixes: [("ex", Self.ex), ("bad prefix", "http://other.example/"), ("", "http://unused.example/")])
        #expect(text.contains("<http://example.org/a/b> ex:p ex: ."))
        #expect(text.contains("<http://example.org/ends.> ex:p%20q <http://example.org/-x> ."))
        #expect(text.contains("ex:1 ex:p <http://other.example/x> ."))
        #expect(!text.contains("bad prefix"))
        #expect(text.contains("@prefix : <http://unused.example/> ."))
    }

    @Test func writesRelativeIRIsAgainstTheBase() throws {
        let triples = [
            Triple(.iri("http://example.org/doc"), IRI("http://example.org/doc#p"), .iri("http://example.org/other")),
            Triple(.iri("http://example.org/a/b"), IRI("http://elsewhere.example/p"), .iri("http://example.org/x:y")),
        ]
        let text = try Self.write(triples, prefixes: [], baseIRI: "http://example.org/doc")
        #expect(text.hasPrefix("@base <http://example.org/doc> .\n"))
        #expect(text.contains("<> <#p> <other> ."))
        #expect(text.contains("<a/b> <http://elsewhere.example/p> <http://example.org/x:y> ."))
        var parsed: [Triple] = []
        var parser = TurtleParser()
        try parser.parse(text) { parsed.append($0) }
        #expect(parsed == triples)
    }

    @Test func reparsesTheUpstreamOntologies() throws {
        for name in ["sosa-ssn/ssn.ttl", "sosa-ssn/sosa-common.ttl", "sosa-ssn/ssn-ext.ttl", "iot-lite/ontology.ttl"] {
            let path = "/work/shared/ontologies-upstream/" + name
            guard let bytes = Self.readFile(path) else { continue }
            var triples: [Triple] = []
            var parser = TurtleParser(baseIRI: "file://" + path)
            try bytes.withUnsafeBufferPointer { try parser.parse($0) { triples.append($0) } }
            #expect(triples.count > 40)
            try Self.roundTrip(triples, prefixes: parser.prefixes)
        }
    }

    static func readFile(_ path: String) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if count <= 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }

    @Test func rejectsLiteralSubjects() {
        let output = ByteOutput()
        var writer = TurtleWriter(output: output)
        #expect(throws: OntologyError.self) {
            try writer.write(Triple(.literal(Literal("x")), RDF.type, Self.iri("C")))
        }
    }

    @Test func isomorphismHelperTellsGraphsApart() {
        let p = IRI(Self.ex + "p")
        let ring = [Triple(Self.node("a"), p, Self.node("b")), Triple(Self.node("b"), p, Self.node("c")),
                    Triple(Self.node("c"), p, Self.node("a"))]
        let relabelled = [Triple(Self.node("x"), p, Self.node("z")), Triple(Self.node("z"), p, Self.node("y")),
                          Triple(Self.node("y"), p, Self.node("x"))]
        let chain = [Triple(Self.node("a"), p, Self.node("b")), Triple(Self.node("b"), p, Self.node("c")),
                     Triple(Self.node("c"), p, Self.node("d"))]
        let twoLoops = [Triple(Self.node("a"), p, Self.node("a")), Triple(Self.node("b"), p, Self.node("b")),
                        Triple(Self.node("c"), p, Self.node("c"))]
        #expect(Self.isomorphic(ring, relabelled))
        #expect(!Self.isomorphic(ring, chain))
        #expect(!Self.isomorphic(ring, twoLoops))
        #expect(!Self.isomorphic([Triple(Self.iri("s"), p, .literal(Literal("1")))],
                                 [Triple(Self.iri("s"), p, .literal(Literal("1", datatype: XSD.integer)))]))
    }

    // MARK: Graph isomorphism

    /// Whether two graphs are the same up to blank node labels: colour refinement of the blank
    /// nodes, then backtracking over nodes that refinement cannot tell apart.
    static func isomorphic(_ a: [Triple], _ b: [Triple]) -> Bool {
        let setA = Set(a)
        let setB = Set(b)
        guard setA.count == setB.count else { return false }
        let groundA = setA.filter { !$0.subject.isBlankNode && !$0.object.isBlankNode }
        guard groundA == setB.filter({ !$0.subject.isBlankNode && !$0.object.isBlankNode }) else { return false }
        let restA = Array(setA.subtracting(groundA))
        let restB = Array(setB.filter { $0.subject.isBlankNode || $0.object.isBlankNode })
        let initialA = Dictionary(restA.flatMap(blankNodes).map { ($0, 0) }, uniquingKeysWith: { x, _ in x })
        let initialB = Dictionary(restB.flatMap(blankNodes).map { ($0, 0) }, uniquingKeysWith: { x, _ in x })
        guard initialA.count == initialB.count else { return false }
        return match(restA, restB, initialA, initialB)
    }

    private static func blankNodes(_ triple: Triple) -> [BlankNode] {
        [triple.subject.blankNode, triple.object.blankNode].compactMap { $0 }
    }

    private static func match(_ a: [Triple], _ b: [Triple], _ startA: [BlankNode: Int], _ startB: [BlankNode: Int]) -> Bool {
        let colorsA = refine(a, startA)
        let colorsB = refine(b, startB)
        let classesA = Dictionary(grouping: colorsA.keys, by: { colorsA[$0] ?? 0 })
        let classesB = Dictionary(grouping: colorsB.keys, by: { colorsB[$0] ?? 0 })
        guard classesA.count == classesB.count,
              classesA.allSatisfy({ classesB[$0.key]?.count == $0.value.count }) else { return false }
        if let (color, members) = classesA.filter({ $0.value.count > 1 }).min(by: { $0.value.count < $1.value.count }),
           let pick = members.min() {
            for candidate in (classesB[color] ?? []).sorted() {
                var nextA = colorsA
                var nextB = colorsB
                nextA[pick] = -1
                nextB[candidate] = -1
                if match(a, b, nextA, nextB) { return true }
            }
            return false
        }
        var mapping: [BlankNode: BlankNode] = [:]
        for (color, members) in classesA {
            if let first = members.first, let image = classesB[color]?.first { mapping[first] = image }
        }
        func mapped(_ term: Term) -> Term {
            if let node = term.blankNode, let image = mapping[node] { return .blankNode(image) }
            return term
        }
        return Set(a.map { Triple(mapped($0.subject), $0.predicate, mapped($0.object)) }) == Set(b)
    }

    private static func refine(_ triples: [Triple], _ start: [BlankNode: Int]) -> [BlankNode: Int] {
        var colors = start
        var classes = Set(colors.values).count
        while true {
            var signatures: [BlankNode: [Int]] = colors.mapValues { _ in [] }
            func color(_ term: Term) -> Int {
                if let node = term.blankNode { return colors[node] ?? 0 }
                return term.hashValue
            }
            for triple in triples {
                if let node = triple.subject.blankNode {
                    signatures[node, default: []].append(Hasher.combined(1, triple.predicate, color(triple.object)))
                }
                if let node = triple.object.blankNode {
                    signatures[node, default: []].append(Hasher.combined(2, triple.predicate, color(triple.subject)))
                }
            }
            let next = signatures.reduce(into: [BlankNode: Int]()) { result, entry in
                result[entry.key] = Hasher.combined(colors[entry.key] ?? 0, entry.value.sorted(), 0)
            }
            let nextClasses = Set(next.values).count
            colors = next
            if nextClasses == classes { return colors }
            classes = nextClasses
        }
    }
}

private extension Hasher {
    static func combined<A: Hashable, B: Hashable, C: Hashable>(_ a: A, _ b: B, _ c: C) -> Int {
        var hasher = Hasher()
        hasher.combine(a)
        hasher.combine(b)
        hasher.combine(c)
        return hasher.finalize()
    }
}
