import Testing
@testable import Ontology

/// `MINUS` by hashing gives what §18.5's definition gives, on solutions with every mix of bound
/// and unbound variables.
struct MinusIndexTests {
    @Test func agreesWithTheDefinitionOnRandomSolutions() {
        var generator = SystemRandomNumberGenerator()
        let terms: [Term?] = [nil, .iri("http://example.org/a"), .iri("http://example.org/b"), .literal(Literal("1")),
                              .literal(Literal("1", language: "en"))]
        func random(width: Int) -> Solution {
            var solution = Solution(width: width)
            for slot in 0..<width { solution[slot] = terms.randomElement(using: &generator)! }
            return solution
        }
        for _ in 0..<200 {
            let width = Int.random(in: 1...4, using: &generator)
            let left = (0..<Int.random(in: 0...12, using: &generator)).map { _ in random(width: width) }
            let right = (0..<Int.random(in: 0...12, using: &generator)).map { _ in random(width: width) }
            let index = MinusIndex(right)
            for solution in left {
                // §18.5: removed when some right solution has a variable in common and is compatible.
                let expected = right.contains { other in
                    let shared = (0..<width).contains { solution[$0] != nil && other[$0] != nil }
                    return shared && solution.isCompatible(with: other)
                }
                #expect(index.removes(solution) == expected, "\(solution) minus \(right)")
            }
        }
    }
}
