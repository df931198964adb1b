/// How a term is laid out in a row of the `term` table.
///
/// The `kind` column takes these values; they are part of the on-disk format (schema version 1)
/// and must never change.
enum StoredTermKind: Int64, Sendable {
    case iri = 1
    case blankNode = 2
    /// An `xsd:string` literal with no language tag.
    case simpleLiteral = 3
    /// An `rdf:langString` literal; the tag is in the `lang` column.
    case languageLiteral = 4
    /// Any other literal; the datatype's term id is in the `dt` column.
    case typedLiteral = 5
}

/// A term split into the columns of its `term` row, plus the stable hash used to find it.
///
/// Blank nodes have no row key: their identity is their id (see ``TermDictionary``).
struct TermRowKey {
    let kind: StoredTermKind
    let lexical: String
    /// The datatype IRI of a typed literal.
    let datatype: IRI?
    /// The language tag of a language-tagged string.
    let language: String?

    init?(_ term: Term) {
        switch term {
        case .iri(let iri):
            self.init(kind: .iri, lexical: iri.value, datatype: nil, language: nil)
        case .blankNode:
            return nil
        case .literal(let literal):
            if let language = literal.language {
                self.init(kind: .languageLiteral, lexical: literal.lexicalForm, datatype: nil, language: language)
            } else if literal.datatype == XSD.string {
                self.init(kind: .simpleLiteral, lexical: literal.lexicalForm, datatype: nil, language: nil)
            } else {
                self.init(kind: .typedLiteral, lexical: literal.lexicalForm, datatype: literal.datatype, language: nil)
            }
        }
    }

    init(kind: StoredTermKind, lexical: String, datatype: IRI?, language: String?) {
        self.kind = kind
        self.lexical = lexical
        self.datatype = datatype
        self.language = language
    }

    /// The value of the `h` column.
    var hash: Int64 {
        var hasher = StableHasher(seed: UInt64(kind.rawValue))
        hasher.combine(lexical)
        if let datatype { hasher.combine(datatype.value) }
        if let language { hasher.combine(language) }
        return Int64(bitPattern: hasher.finalize())
    }

    /// The value of the `num` column: the number an `xsd` numeric literal denotes, when its
    /// lexical form is valid. Kept so that FILTER comparisons and ORDER BY on numbers can run
    /// in SQL or straight from a row, without parsing the lexical form again.
    var numericValue: StoredNumber? {
        guard kind == .typedLiteral, let datatype, datatype.value.hasPrefix(XSD.namespace) else { return nil }
        let local = datatype.value.dropFirst(XSD.namespace.count)
        switch local {
        case "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
            "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort",
            "unsignedByte":
            if let value = Int64(lexical) { return .integer(value) }
            // Out of Int64 range but still all digits: keep an approximate value for ordering.
            guard lexical.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 || $0 == 43 || $0 == 45 }),
                let value = Double(lexical) else { return nil }
            return .double(value)
        case "decimal":
            guard !lexical.isEmpty, lexical.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 || $0 == 43 || $0 == 45 || $0 == 46 }),
                let value = Double(lexical) else { return nil }
            return .double(value)
        case "double", "float":
            switch lexical {
            case "INF", "+INF": return .double(.infinity)
            case "-INF": return .double(-.infinity)
            case "NaN": return nil  // SQLite stores NaN as NULL anyway
            default: break
            }
            // Swift also accepts "inf", "nan" and hex floats, which XSD does not.
            guard !lexical.isEmpty, lexical.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || $0 == 43 || $0 == 45 || $0 == 46 || $0 == 69 || $0 == 101 }),
                let value = Double(lexical) else { return nil }
            return .double(value)
        default:
            return nil
        }
    }
}

/// The numeric value stored with a numeric literal: exact for integers in Int64 range.
enum StoredNumber: Equatable, Sendable {
    case integer(Int64)
    case double(Double)
}

/// A 64-bit hash that never changes between processes, machines or Swift versions (Swift's
/// `Hasher` is seeded per process), since its values are stored in the `term.h` column.
///
/// Eight bytes at a time, each word folded in with a 64×64→128-bit multiply (as wyhash does);
/// every field mixes in its length, so field boundaries are unambiguous. Collisions are harmless:
/// lookups compare the whole row. Part of the on-disk format (schema version 1).
struct StableHasher {
    private var state: UInt64

    private static let p0: UInt64 = 0xa076_1d64_78bd_642f
    private static let p1: UInt64 = 0xe703_7ed1_a0b4_28db
    private static let p2: UInt64 = 0x8ebc_6af0_9c88_c6e3

    init(seed: UInt64) {
        state = Self.mix(seed ^ Self.p0, Self.p1)
    }

    @inline(__always)
    private static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return product.high ^ product.low
    }

    mutating func combine(_ string: String) {
        var string = string
        string.withUTF8 { combine(UnsafeRawBufferPointer($0)) }
    }

    mutating func combine(_ bytes: UnsafeRawBufferPointer) {
        var offset = 0
        let count = bytes.count
        while offset + 8 <= count {
            let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            state = Self.mix(state ^ word, Self.p1)
            offset += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while offset < count {
            tail |= UInt64(bytes[offset]) << shift
            shift += 8
            offset += 1
        }
        state = Self.mix(state ^ tail, Self.p2 ^ UInt64(count))
    }

    func finalize() -> UInt64 {
        Self.mix(state ^ Self.p0, Self.p2)
    }
}
