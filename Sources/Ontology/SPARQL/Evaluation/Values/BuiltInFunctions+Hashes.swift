/// Hash functions (§17.4.6) and UUIDs (§17.4.2.12-13).
extension BuiltInFunctions {
    /// MD5, SHA1, SHA256, SHA384, SHA512 of the UTF-8 bytes of a simple literal, as lowercase
    /// hex in a simple literal (a language-tagged argument is an error, as the spec allows
    /// only simple literals and `xsd:string`). UUID() is a fresh `urn:uuid:` IRI and STRUUID()
    /// the same form as a simple literal.
    static func hashFunction(_ function: BuiltInFunction, _ args: Arguments, context: inout FunctionContext) throws -> Term {
        switch function {
        case .uuid: return .iri(IRI("urn:uuid:" + randomUUID(&context.random)))
        case .strUUID: return .literal(Literal(randomUUID(&context.random)))
        default: break
        }
        let bytes = Array(try args.simpleString(0).utf8)
        let digest: [UInt8]
        switch function {
        case .md5: digest = Hash.md5(bytes)
        case .sha1: digest = Hash.sha1(bytes)
        case .sha256: digest = Hash.sha256(bytes)
        case .sha384: digest = Hash.sha384(bytes)
        case .sha512: digest = Hash.sha512(bytes)
        default: throw ExpressionError(reason: "\(function.rawValue) is not a hash function")
        }
        return .literal(Literal(Hash.hex(digest)))
    }

    /// A random (version 4, RFC 9562 §5.4) UUID in its lowercase 8-4-4-4-12 form.
    static func randomUUID(_ random: inout RandomSource) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        for _ in 0..<2 {
            let word = random.next()
            for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
        }
        bytes[6] = bytes[6] & 0x0F | 0x40   // version 4
        bytes[8] = bytes[8] & 0x3F | 0x80   // variant 10xx
        let hex = Hash.hex(bytes)
        var out = ""
        for (index, character) in hex.enumerated() {
            if index == 8 || index == 12 || index == 16 || index == 20 { out.append("-") }
            out.append(character)
        }
        return out
    }
}
