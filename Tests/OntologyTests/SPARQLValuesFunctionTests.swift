import Testing
@testable import Ontology

/// Term, numeric, date and hash functions, and casts (§17.4, §17.5).
struct SPARQLValuesFunctionTests {
    var context = FunctionContext(baseIRI: "http://example.org/dir/doc", random: RandomSource(seed: 42))

    mutating func call(_ function: BuiltInFunction, _ arguments: Term...) throws -> Term {
        try BuiltInFunctions.call(function, arguments, context: &context)
    }

    mutating func cast(_ local: String, _ argument: Term) throws -> Term {
        try BuiltInFunctions.callFunction(IRI(XSD.namespace + local), [argument], context: &context)
    }

    @Test mutating func arityIsChecked() {
        #expect(throws: ExpressionError.self) { try call(.str) }
        #expect(throws: ExpressionError.self) { try call(.strlen, V.string("a"), V.string("b")) }
        #expect(throws: ExpressionError.self) { try call(.now, V.string("a")) }
    }

    @Test mutating func termFunctions() throws {
        #expect(try call(.str, .iri("http://a/b")) == V.string("http://a/b"))
        #expect(try call(.str, V.double("1.5E0")) == V.string("1.5E0"))
        #expect(throws: ExpressionError.self) { try call(.str, .blankNode(BlankNode("b"))) }
        #expect(try call(.lang, V.lang("a", "en-GB")) == V.string("en-gb"))
        #expect(try call(.lang, V.integer("1")) == V.string(""))
        #expect(throws: ExpressionError.self) { try call(.lang, .iri("http://a")) }
        #expect(try call(.datatype, V.string("a")) == .iri(XSD.string))
        #expect(try call(.datatype, V.lang("a", "en")) == .iri(RDF.langString))
        #expect(try call(.datatype, V.typed("1", "short")) == .iri(IRI(XSD.namespace + "short")))
        #expect(try call(.isIRI, .iri("http://a")) == V.boolean(true))
        #expect(try call(.isURI, V.string("http://a")) == V.boolean(false))
        #expect(try call(.isBlank, .blankNode(BlankNode("b"))) == V.boolean(true))
        #expect(try call(.isLiteral, V.lang("a", "en")) == V.boolean(true))
        #expect(try call(.isNumeric, V.typed("1", "unsignedByte")) == V.boolean(true))
        #expect(try call(.isNumeric, V.typed("-1", "unsignedByte")) == V.boolean(false))
        #expect(try call(.isNumeric, V.integer("1.5")) == V.boolean(false))
        #expect(try call(.isNumeric, V.string("1")) == V.boolean(false))
        #expect(try call(.sameTerm, V.integer("1"), V.integer("1")) == V.boolean(true))
        #expect(try call(.sameTerm, V.integer("1"), V.integer("01")) == V.boolean(false))
    }

    @Test mutating func strdtAndStrlang() throws {
        #expect(try call(.strDatatype, V.string("123"), .iri(XSD.integer)) == V.integer("123"))
        #expect(try call(.strDatatype, V.typed("bar", XSD.string), .iri(XSD.string)) == V.string("bar"))
        #expect(throws: ExpressionError.self) { try call(.strDatatype, V.lang("bar", "en"), .iri(XSD.string)) }
        #expect(throws: ExpressionError.self) { try call(.strDatatype, V.integer("1"), .iri(XSD.string)) }
        #expect(throws: ExpressionError.self) { try call(.strDatatype, V.string("1"), V.string("x")) }
        #expect(try call(.strLang, V.string("foo"), V.string("en-US")) == V.lang("foo", "en-us"))
        #expect(throws: ExpressionError.self) { try call(.strLang, V.lang("bar", "en"), V.string("en-US")) }
        #expect(throws: ExpressionError.self) { try call(.strLang, V.integer("1"), V.string("en")) }
        #expect(throws: ExpressionError.self) { try call(.strLang, V.string("foo"), V.string("")) }
        #expect(throws: ExpressionError.self) { try call(.strLang, V.string("foo"), V.string("en US")) }
    }

    @Test mutating func iriResolvesAgainstTheBase() throws {
        #expect(try call(.iri, V.string("iri")) == .iri("http://example.org/dir/iri"))
        #expect(try call(.uri, V.string("http://other/x")) == .iri("http://other/x"))
        #expect(try call(.iri, .iri("http://a")) == .iri("http://a"))
        #expect(throws: ExpressionError.self) { try call(.iri, V.lang("x", "en")) }
        #expect(throws: ExpressionError.self) { try call(.iri, V.string("a b")) }
        var noBase = FunctionContext()
        #expect(throws: ExpressionError.self) { try BuiltInFunctions.call(.iri, [V.string("rel")], context: &noBase) }
        #expect(try BuiltInFunctions.call(.iri, [V.string("urn:x")], context: &noBase) == .iri("urn:x"))
    }

    @Test mutating func bnodeIsStableWithinASolution() throws {
        let a1 = try call(.bnode, V.string("foo"))
        let a2 = try call(.bnode, V.string("foo"))
        let b = try call(.bnode, V.string("BAZ"))
        #expect(a1 == a2)
        #expect(a1 != b)
        #expect(a1.isBlankNode)
        #expect(try call(.bnode) != call(.bnode))
        context.beginSolution()
        #expect(try call(.bnode, V.string("foo")) != a1)
        #expect(throws: ExpressionError.self) { try call(.bnode, V.integer("1")) }
    }

    @Test mutating func numericFunctionsKeepTheType() throws {
        #expect(try call(.abs, V.integer("-2")) == V.integer("2"))
        #expect(try call(.abs, V.decimal("-1.50")) == V.decimal("1.5"))
        #expect(try call(.abs, V.typed("-3", "short")) == V.integer("3"))
        #expect(try call(.ceil, V.decimal("1.1")) == V.decimal("2"))
        #expect(try call(.ceil, V.decimal("-1.6")) == V.decimal("-1"))
        #expect(try call(.floor, V.decimal("-1.6")) == V.decimal("-2"))
        #expect(try call(.floor, V.double("2.5")) == V.double("2.0E0"))
        #expect(try call(.round, V.decimal("2.5")) == V.decimal("3"))
        #expect(try call(.round, V.decimal("-2.5")) == V.decimal("-2"))
        #expect(try call(.round, V.decimal("-1.6")) == V.decimal("-2"))
        #expect(try call(.round, V.double("-2.5")) == V.double("-2.0E0"))
        #expect(try call(.round, V.double("-0.4")) == V.double("-0.0E0"))
        #expect(try call(.round, V.double("0.49999999999999994")) == V.double("0.0E0"))
        #expect(try call(.round, V.float("2.5")) == V.float("3.0E0"))
        #expect(try call(.round, V.integer("-1")) == V.integer("-1"))
        #expect(throws: ExpressionError.self) { try call(.round, V.string("1.5")) }
    }

    @Test mutating func randIsADoubleInTheUnitInterval() throws {
        for _ in 0..<100 {
            let value = try call(.rand)
            #expect(value.literal?.datatype == XSD.double)
            #expect(try TermValues.compare(value, V.double("0")) >= 0)
            #expect(try TermValues.compare(value, V.double("1")) < 0)
        }
    }

    @Test mutating func dateParts() throws {
        let date = V.dateTime("2010-12-21T15:38:02.25-08:00")
        #expect(try call(.year, date) == V.integer("2010"))
        #expect(try call(.month, date) == V.integer("12"))
        #expect(try call(.day, date) == V.integer("21"))
        #expect(try call(.hours, date) == V.integer("15"))
        #expect(try call(.minutes, date) == V.integer("38"))
        #expect(try call(.seconds, date) == V.decimal("2.25"))
        #expect(try call(.seconds, V.dateTime("2011-02-01T01:02:03")) == V.decimal("3"))
        #expect(try call(.hours, V.dateTime("1999-12-31T24:00:00")) == V.integer("0"))
        #expect(try call(.year, V.dateTime("1999-12-31T24:00:00")) == V.integer("2000"))
        #expect(try call(.year, V.date("-0044-03-15")) == V.integer("-44"))
        #expect(throws: ExpressionError.self) { try call(.hours, V.date("2010-12-21")) }
        #expect(throws: ExpressionError.self) { try call(.year, V.string("2010-12-21T15:38:02Z")) }
        #expect(throws: ExpressionError.self) { try call(.year, V.dateTime("2010-12-21")) }
    }

    @Test mutating func timezoneAndTZ() throws {
        let duration = IRI(XSD.namespace + "dayTimeDuration")
        #expect(try call(.timezone, V.dateTime("2010-06-21T11:28:01Z")) == V.typed("PT0S", duration))
        #expect(try call(.timezone, V.dateTime("2010-12-21T15:38:02-08:00")) == V.typed("-PT8H", duration))
        #expect(try call(.timezone, V.dateTime("2010-12-21T15:38:02+05:30")) == V.typed("PT5H30M", duration))
        #expect(throws: ExpressionError.self) { try call(.timezone, V.dateTime("2011-02-01T01:02:03")) }
        #expect(try call(.tz, V.dateTime("2010-06-21T11:28:01Z")) == V.string("Z"))
        #expect(try call(.tz, V.dateTime("2010-12-21T15:38:02-08:00")) == V.string("-08:00"))
        #expect(try call(.tz, V.dateTime("2010-12-21T15:38:02+00:00")) == V.string("+00:00"))
        #expect(try call(.tz, V.dateTime("2011-02-01T01:02:03")) == V.string(""))
        #expect(try call(.tz, V.date("2011-02-01")) == V.string(""))
    }

    @Test mutating func nowIsFixedPerContext() throws {
        context.now = XSDDateTime.fromUnixTime(seconds: 1_000_000_000, milliseconds: 5)
        #expect(try call(.now) == V.dateTime("2001-09-09T01:46:40.005Z"))
        #expect(try call(.now) == call(.now))
        #expect(XSDDateTime.fromUnixTime(seconds: -1).description == "1969-12-31T23:59:59Z")
        let current = XSDDateTime.now()
        #expect(current.year >= 2024 && current.timezoneOffset == 0)
    }

    @Test mutating func hashesOfAbc() throws {
        let abc = V.string("abc")
        #expect(try call(.md5, abc) == V.string("900150983cd24fb0d6963f7d28e17f72"))
        #expect(try call(.sha1, abc) == V.string("a9993e364706816aba3e25717850c26c9cd0d89d"))
        #expect(try call(.sha256, abc) == V.string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"))
        #expect(try call(.sha384, abc) == V.string(
            "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"))
        #expect(try call(.sha512, abc) == V.string(
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"))
        #expect(throws: ExpressionError.self) { try call(.md5, V.lang("abc", "en")) }
        #expect(throws: ExpressionError.self) { try call(.sha1, V.integer("1")) }
    }

    @Test func hashesOfOtherFIPSVectorsAndPaddingBoundaries() {
        let empty: [UInt8] = []
        #expect(Hash.hex(Hash.md5(empty)) == "d41d8cd98f00b204e9800998ecf8427e")
        #expect(Hash.hex(Hash.sha1(empty)) == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        #expect(Hash.hex(Hash.sha256(empty)) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let twoBlocks = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        #expect(Hash.hex(Hash.sha1(twoBlocks)) == "84983e441c3bd26ebaae4aa1f95129e5e54670f1")
        #expect(Hash.hex(Hash.sha256(twoBlocks)) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        let long = Array(("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
            + "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu").utf8)
        #expect(Hash.hex(Hash.sha384(long))
            == "09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712fcc7c71a557e2db966c3e9fa91746039")
        #expect(Hash.hex(Hash.sha512(long))
            == "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909")
        // Messages of 55, 56 and 64 bytes straddle the 64-byte block's length field; 111, 112 and
        // 128 bytes the 128-byte one (digests computed with Python's hashlib).
        let a = { (count: Int) in [UInt8](repeating: UInt8(ascii: "a"), count: count) }
        #expect(Hash.hex(Hash.md5(a(55))) == "ef1772b6dff9a122358552954ad0df65")
        #expect(Hash.hex(Hash.md5(a(56))) == "3b0c8ac703f828b04c6c197006d17218")
        #expect(Hash.hex(Hash.sha1(a(64))) == "0098ba824b5c16427bd7a1122a5a442a25ec644d")
        #expect(Hash.hex(Hash.sha256(a(55))) == "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318")
        #expect(Hash.hex(Hash.sha256(a(56))) == "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a")
        #expect(Hash.hex(Hash.sha256(a(64))) == "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb")
        #expect(Hash.hex(Hash.sha512(a(111)))
            == "fa9121c7b32b9e01733d034cfc78cbf67f926c7ed83e82200ef86818196921760b4beff48404df811b953828274461673c68d04e297b0eb7b2b4d60fc6b566a2")
        #expect(Hash.hex(Hash.sha512(a(112)))
            == "c01d080efd492776a1c43bd23dd99d0a2e626d481e16782e75d54c2503b5dc32bd05f0f1ba33e568b88fd2d970929b719ecbb152f58f130a407c8830604b70ca")
        #expect(Hash.hex(Hash.sha384(a(128)))
            == "edb12730a366098b3b2beac75a3bef1b0969b15c48e2163c23d96994f8d1bef760c7e27f3c464d3829f56c0d53808b0b")
    }

    @Test mutating func uuids() throws {
        let uuid = try call(.uuid)
        let text = try #require(uuid.iri?.value)
        #expect(text.hasPrefix("urn:uuid:"))
        #expect(text.utf8.count == 45)
        let plain = try #require(try call(.strUUID).literal)
        #expect(plain.isPlainString)
        let matches = try BuiltInFunctions.call(.regex, [
            .literal(plain), V.string("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"),
        ], context: &context)
        #expect(matches == V.boolean(true))
        #expect(try call(.strUUID) != call(.strUUID))
    }
}

/// XSD casts (§17.5).
struct SPARQLValuesCastTests {
    var context = FunctionContext()

    mutating func cast(_ local: String, _ argument: Term) throws -> Term {
        try BuiltInFunctions.callFunction(IRI(XSD.namespace + local), [argument], context: &context)
    }

    @Test mutating func toString() throws {
        #expect(try cast("string", .iri("http://example.org/z")) == V.string("http://example.org/z"))
        #expect(try cast("string", V.decimal("1.0")) == V.string("1"))
        #expect(try cast("string", V.integer("01")) == V.string("1"))
        #expect(try cast("string", V.double("1E0")) == V.string("1"))
        #expect(try cast("string", V.double("1e7")) == V.string("1.0E7"))
        #expect(try cast("string", V.float("-7.875")) == V.string("-7.875"))
        #expect(try cast("string", V.typed("0", XSD.boolean)) == V.string("false"))
        #expect(try cast("string", V.lang("chat", "fr")) == V.string("chat"))
        #expect(throws: ExpressionError.self) { try cast("string", .blankNode(BlankNode("b"))) }
    }

    @Test mutating func toNumbers() throws {
        #expect(try cast("integer", V.string(" 13 ")) == V.integer("13"))
        #expect(try cast("integer", V.decimal("-2.5")) == V.integer("-2"))
        #expect(try cast("integer", V.float("-7.875")) == V.integer("-7"))
        #expect(try cast("integer", V.boolean(true)) == V.integer("1"))
        #expect(throws: ExpressionError.self) { try cast("integer", V.string("1.5")) }
        #expect(throws: ExpressionError.self) { try cast("integer", V.double("INF")) }
        #expect(throws: ExpressionError.self) { try cast("integer", V.double("1e30")) }
        #expect(try cast("decimal", V.string("+33.3300")) == V.decimal("33.33"))
        #expect(try cast("decimal", V.double("1E0")) == V.decimal("1"))
        #expect(try cast("decimal", V.boolean(false)) == V.decimal("0"))
        #expect(throws: ExpressionError.self) { try cast("decimal", V.string("1E0")) }
        #expect(throws: ExpressionError.self) { try cast("decimal", V.double("NaN")) }
        #expect(try cast("double", V.string("-10.2E3")) == V.double("-1.02E4"))
        #expect(try cast("double", V.string("1")) == V.double("1.0E0"))
        #expect(try cast("double", V.boolean(true)) == V.double("1.0E0"))
        #expect(try cast("float", V.string("+33.3300")) == V.float("3.333E1"))
        #expect(try cast("float", V.decimal("0.1")) == V.float("1.0E-1"))
        #expect(throws: ExpressionError.self) { try cast("double", V.string("true")) }
        #expect(throws: ExpressionError.self) { try cast("double", V.dateTime("2002-10-10T17:00:00Z")) }
        #expect(throws: ExpressionError.self) { try cast("double", V.lang("1", "en")) }
    }

    @Test mutating func toDerivedIntegerTypes() throws {
        #expect(try cast("byte", V.string("127")) == V.typed("127", "byte"))
        #expect(throws: ExpressionError.self) { try cast("byte", V.integer("128")) }
        #expect(throws: ExpressionError.self) { try cast("nonNegativeInteger", V.integer("-1")) }
    }

    @Test mutating func toBoolean() throws {
        #expect(try cast("boolean", V.string("1")) == V.boolean(true))
        #expect(try cast("boolean", V.string("false")) == V.boolean(false))
        #expect(try cast("boolean", V.double("NaN")) == V.boolean(false))
        #expect(try cast("boolean", V.decimal("-1.0")) == V.boolean(true))
        #expect(throws: ExpressionError.self) { try cast("boolean", V.string("yes")) }
        #expect(throws: ExpressionError.self) { try cast("boolean", V.string("0E1")) }
    }

    @Test mutating func toDateTime() throws {
        #expect(try cast("dateTime", V.string("2002-10-10T17:00:00Z")) == V.dateTime("2002-10-10T17:00:00Z"))
        #expect(try cast("dateTime", V.string("2002-10-10T17:00:00.500+01:00")) == V.dateTime("2002-10-10T17:00:00.5+01:00"))
        #expect(try cast("dateTime", V.date("2002-10-10-05:00")) == V.dateTime("2002-10-10T00:00:00-05:00"))
        #expect(try cast("date", V.dateTime("2002-10-10T17:00:00Z")) == V.date("2002-10-10Z"))
        #expect(throws: ExpressionError.self) { try cast("dateTime", V.string("2002-10-10")) }
        #expect(throws: ExpressionError.self) { try cast("dateTime", V.integer("1")) }
        #expect(throws: ExpressionError.self) { try cast("dateTime", V.string("2002-10-10T25:00:00Z")) }
        #expect(throws: ExpressionError.self) { try cast("dateTime", V.string("2002-10-10T17:00:00+15:00")) }
    }

    @Test mutating func unknownFunctionsAndArity() {
        #expect(throws: ExpressionError.self) {
            try BuiltInFunctions.callFunction(IRI("http://example.org/f"), [V.string("a")], context: &context)
        }
        #expect(throws: ExpressionError.self) {
            try BuiltInFunctions.callFunction(XSD.integer, [V.string("1"), V.string("2")], context: &context)
        }
    }
}
