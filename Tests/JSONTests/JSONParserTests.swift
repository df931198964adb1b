import JSON
import Testing

struct JSONParserTests {
    /// RFC 7515 §5.2 / RFC 7519 §4: a member named twice, at any depth and in any spelling, is refused.
    @Test(arguments: [
        #"{"sub":"mallory","sub":"alice"}"#,
        #"{"s\u0075b":"mallory","sub":"alice"}"#,
        #"{"a":{"rank":"Nurse","rank":"Doctor"}}"#,
        #"{"a":[1,{"x":1,"y":2,"x":3}]}"#,
        "{\"caf\u{E9}\":1,\"cafe\u{301}\":2}",
    ])
    func duplicateMembersAreRefused(_ json: String) {
        #expect(throws: JSONSyntaxError.self) { try JSONValue.parse(Array(json.utf8)) }
    }

    @Test(arguments: [
        #"{"sub":"alice","attributes":{"sub":"x"}}"#,
        #"{"a":["sub","sub"],"b":"sub"}"#,
        #"{"k":"\"sub\":","sub":1}"#,
        #"{"a":{"x":1},"b":{"x":1}}"#,
    ])
    func distinctMembersPass(_ json: String) throws {
        _ = try JSONValue.parse(Array(json.utf8))
    }

    @Test(arguments: [
        ("{\"a\":", 1, 6), ("[1,\n 2,,]", 2, 4), ("\"\u{1}\"", 1, 2), ("01", 1, 3), ("{\"a\" 1}", 1, 6), ("\"\\ud800\"", 1, 8), ("[] x", 1, 4),
    ])
    func syntaxErrorsSayWhere(_ text: String, line: Int, column: Int) {
        #expect {
            try JSONValue.parse(Array(text.utf8))
        } throws: { error in
            guard let error = error as? JSONSyntaxError else { return false }
            return error.line == line && error.column == column
        }
    }

    @Test func deepNestingIsRefusedNotACrash() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONSyntaxError.self) { try JSONValue.parse(Array(deep.utf8)) }
    }

    @Test func escapesAndNumbersRoundTrip() throws {
        let text = #"{"b":[true,false,null,-0.5,1e3,12],"s":"a\"b\\c\n\u0001\/é😀"}"#
        let value = try JSONValue.parse(Array(text.utf8))
        #expect(value["s"]?.stringValue == "a\"b\\c\n\u{1}/é😀")
        #expect(value["b"] == [true, false, nil, -0.5, 1000, 12])
        #expect(value.jsonText == #"{"b":[true,false,null,-0.5,1000,12],"s":"a\"b\\c\n\u0001/é😀"}"#)
        #expect(try JSONValue.parse(Array(value.jsonText.utf8)) == value)
    }
}
