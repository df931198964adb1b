import Testing
@testable import JOSE

/// RFC 7515 §5.2: a header with a member named twice is refused, whatever the spelling.
struct HeaderTests {
    @Test(arguments: [
        #"{"alg":"EdDSA","\u0061lg":"EdDSA"}"#,
        #"{"alg":"EdDSA","kid":"a","kid":"b"}"#,
    ])
    func aHeaderWithADuplicateMemberIsRefused(_ header: String) throws {
        let token = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(Array(#"{"sub":"alice"}"#.utf8)) + ".c2ln"
        #expect(throws: JOSEError.self) { try CompactJWS.decode(token) }
    }

    @Test func theHeaderReadsAlgKidAndTyp() throws {
        let header = #"{"typ":"binding+jwt","kid":"k1","alg":"EdDSA"}"#
        let token = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(Array("{}".utf8)) + ".c2ln"
        let decoded = try CompactJWS.decode(token)
        #expect(decoded.header.alg == "EdDSA")
        #expect(decoded.header.kid == "k1")
        #expect(decoded.header.typ == "binding+jwt")
    }

    @Test(arguments: [#"{"alg":"EdDSA","crit":["exp"]}"#, #"{"alg":"none"}"#, #"{"alg":1}"#, #"["alg"]"#, #"{"alg":"EdDSA","kid":7}"#])
    func unsupportedOrMalformedHeadersAreRefused(_ header: String) {
        let token = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(Array("{}".utf8)) + ".c2ln"
        #expect(throws: JOSEError.self) { try CompactJWS.decode(token) }
    }
}
