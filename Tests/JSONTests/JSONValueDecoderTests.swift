import JSON
import Testing

struct JSONValueDecoderTests {
    struct Request: Decodable, Equatable {
        struct Subject: Decodable, Equatable {
            var id: String
            var credentials: [String]?
        }
        var subject: Subject
        var limit: Int?
        var ratio: Double
        var context: [String: JSONValue]?
        var explain: Bool?
    }

    let decoder = JSONValueDecoder()

    @Test func decodesNestedTypesOptionalsAndTrees() throws {
        let text = #"{"subject":{"id":"alice","credentials":["a.b.c"]},"ratio":2,"context":{"ip":"10.0.0.1","n":[1]},"explain":null}"#
        let value = try decoder.decode(Request.self, from: Array(text.utf8))
        #expect(value == Request(subject: .init(id: "alice", credentials: ["a.b.c"]), limit: nil, ratio: 2,
                                 context: ["ip": "10.0.0.1", "n": [1]], explain: nil))
    }

    /// The error names the member at fault, so that the HTTP answer can.
    @Test(arguments: [
        (#"{"subject":{"id":"a"},"ratio":1,"explian":true}"#, "explian"),
        (#"{"subject":{"id":"a","role":"x"},"ratio":1}"#, "subject.role"),
        (#"{"subject":{"id":1},"ratio":1}"#, "subject.id"),
        (#"{"subject":{"id":"a"},"ratio":1,"limit":1.5}"#, "limit"),
        (#"{"subject":{"id":"a","credentials":["x",2]},"ratio":1}"#, "subject.credentials.1"),
    ])
    func errorsNameTheMember(_ text: String, path: String) {
        #expect {
            try decoder.decode(Request.self, from: Array(text.utf8))
        } throws: { error in
            guard let error = error as? DecodingError else { return false }
            let context: DecodingError.Context
            switch error {
            case .dataCorrupted(let c), .typeMismatch(_, let c), .valueNotFound(_, let c): context = c
            case .keyNotFound(let key, let c): return (c.codingPath.map(\.stringValue) + [key.stringValue]).joined(separator: ".") == path
            @unknown default: return false
            }
            return context.codingPath.map(\.stringValue).joined(separator: ".") == path
        }
    }

    @Test func aMissingMemberIsKeyNotFound() {
        #expect(throws: DecodingError.self) { try decoder.decode(Request.self, from: Array(#"{"ratio":1}"#.utf8)) }
    }

    @Test func unknownMembersPassWhenAllowed() throws {
        let lenient = JSONValueDecoder(rejectsUnknownFields: false)
        let value = try lenient.decode(Request.Subject.self, from: Array(#"{"id":"a","iat":3}"#.utf8))
        #expect(value.id == "a")
    }

    @Test func integersMustBeExactAndInRange() throws {
        #expect(try decoder.decode([Int].self, from: Array("[1,-2,3e2]".utf8)) == [1, -2, 300])
        #expect(throws: DecodingError.self) { try decoder.decode([UInt8].self, from: Array("[256]".utf8)) }
        #expect(throws: DecodingError.self) { try decoder.decode([Int].self, from: Array("[1e300]".utf8)) }
    }

    @Test func enumsWithRawValuesAndDictionariesDecode() throws {
        enum Kind: String, Decodable { case a, b }
        #expect(try decoder.decode([String: Kind].self, from: Array(#"{"x":"a","y":"b"}"#.utf8)) == ["x": .a, "y": .b])
        #expect(throws: DecodingError.self) { try decoder.decode(Kind.self, from: Array(#""c""#.utf8)) }
    }
}
