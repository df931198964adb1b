import Testing
@testable import Ontology

struct GraphIsomorphismTests {
    func graph(_ turtle: String) throws -> [Triple] {
        var triples: [Triple] = []
        try RDFParser.parse(turtle, format: .turtle, baseIRI: "http://example.org/") { triples.append($0) }
        return triples
    }

    @Test func renamedBlankNodesAreIsomorphic() throws {
        let a = try graph("_:a <p> _:b . _:b <p> <x> . _:a <q> \"1\" .")
        let b = try graph("_:zz <p> _:yy . _:yy <p> <x> . _:zz <q> \"1\" .")
        #expect(GraphIsomorphism.areIsomorphic(a, b))
    }

    @Test func sameSizeDifferentStructureIsNot() throws {
        let a = try graph("_:a <p> _:b . _:b <p> _:a .")
        let b = try graph("_:a <p> _:a . _:b <p> _:b .")
        #expect(!GraphIsomorphism.areIsomorphic(a, b))
    }

    @Test func groundTriplesMustMatch() throws {
        let a = try graph("<s> <p> \"1\" .")
        let b = try graph("<s> <p> \"1\"@en .")
        #expect(!GraphIsomorphism.areIsomorphic(a, b))
    }

    @Test func symmetricGraphsNeedBacktracking() throws {
        // Two disjoint 3-cycles against one 6-cycle: every node looks alike to colour refinement.
        let twoTriangles = try graph("_:a <p> _:b . _:b <p> _:c . _:c <p> _:a . _:d <p> _:e . _:e <p> _:f . _:f <p> _:d .")
        let hexagon = try graph("_:a <p> _:b . _:b <p> _:c . _:c <p> _:d . _:d <p> _:e . _:e <p> _:f . _:f <p> _:a .")
        let triangles2 = try graph("_:u <p> _:v . _:v <p> _:w . _:w <p> _:u . _:x <p> _:y . _:y <p> _:z . _:z <p> _:x .")
        #expect(!GraphIsomorphism.areIsomorphic(twoTriangles, hexagon))
        #expect(GraphIsomorphism.areIsomorphic(twoTriangles, triangles2))
    }

    @Test func duplicatesAreIgnored() throws {
        let a = try graph("<s> <p> <o> . <s> <p> <o> .")
        let b = try graph("<s> <p> <o> .")
        #expect(GraphIsomorphism.areIsomorphic(a, b))
    }
}
