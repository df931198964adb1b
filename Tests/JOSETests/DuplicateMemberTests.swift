import Testing
@testable import JOSE

/// RFC 7515 §5.2 / RFC 7519 §4: a member named twice, at any depth and in any spelling, is found.
struct DuplicateMemberTests {
    @Test(arguments: [
        #"{"sub":"mallory","sub":"alice"}"#,
        #"{"s\u0075b":"mallory","sub":"alice"}"#,
        #"{"a":{"rank":"Nurse","rank":"Doctor"}}"#,
        #"{"a":[1,{"x":1,"y":2,"x":3}]}"#,
        "{\"caf\u{E9}\":1,\"cafe\u{301}\":2}",
    ])
    func duplicatesAreFound(_ json: String) {
        #expect(JSONText.hasDuplicateMembers(Array(json.utf8)))
    }

    @Test(arguments: [
        #"{"sub":"alice","attributes":{"sub":"x"}}"#,
        #"{"a":["sub","sub"],"b":"sub"}"#,
        #"{"k":"\"sub\":","sub":1}"#,
        #"{"a":{"x":1},"b":{"x":1}}"#,
    ])
    func distinctMembersPass(_ json: String) {
        #expect(!JSONText.hasDuplicateMembers(Array(json.utf8)))
    }

    @Test func aHeaderWithAnEscapedDuplicateIsRefused() throws {
        let header = Base64URL.encode(Array(#"{"alg":"EdDSA","\u0061lg":"EdDSA"}"#.utf8))
        let payload = Base64URL.encode(Array(#"{"sub":"alice"}"#.utf8))
        #expect(throws: JOSEError.self) { try CompactJWS.decode(header + "." + payload + ".c2ln") }
    }
}
