import Testing
@testable import JOSE

/// RFC 4648 §10 vectors in the URL alphabet without padding, and the inputs the decoder refuses.
struct Base64URLTests {
    static let vectors: [(String, String)] = [
        ("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"),
        ("foob", "Zm9vYg"), ("fooba", "Zm9vYmE"), ("foobar", "Zm9vYmFy"),
    ]

    @Test(arguments: vectors)
    func rfc4648Vectors(plain: String, encoded: String) {
        #expect(Base64URL.encode(plain.utf8) == encoded)
        #expect(Base64URL.decode(encoded) == Array(plain.utf8))
    }

    @Test func usesTheURLAlphabet() {
        // Standard base64 of these bytes is "+/8=" and "//79".
        #expect(Base64URL.encode([0xFB, 0xFF]) == "-_8")
        #expect(Base64URL.encode([0xFF, 0xFE, 0xFD]) == "__79")
        #expect(Base64URL.decode("-_8") == [0xFB, 0xFF])
        #expect(Base64URL.decode("__79") == [0xFF, 0xFE, 0xFD])
    }

    @Test func roundTripsEveryByteAndLength() {
        let bytes = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
        for length in 0...bytes.count {
            let slice = Array(bytes.prefix(length))
            #expect(Base64URL.decode(Base64URL.encode(slice)) == slice)
        }
    }

    @Test(arguments: [
        "Zg==",     // padding
        "Zm8=",     // padding
        "Z",        // length 1 mod 4
        "Zm9vY",    // length 1 mod 4
        "+/8",      // standard alphabet
        "Zm 9v",    // whitespace
        "Zm9v\n",   // newline
        "Zm9v!",    // not base64 at all
        "Zh",       // "f" with a non-zero unused bit: non-canonical
        "Zm9",      // "fo" with a non-zero unused bit: non-canonical
        "Zm9vé",    // non-ASCII
    ])
    func rejects(_ text: String) {
        #expect(Base64URL.decode(text) == nil)
    }

    @Test func decodesSubstrings() {
        let token = "xx.Zm9v.yy"
        let middle = token.split(separator: ".")[1]
        #expect(Base64URL.decode(middle) == Array("foo".utf8))
    }
}
