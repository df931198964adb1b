/// Decodes `Decodable` types from JSON through ``JSONParser``: the one parser, so that request
/// bodies, credentials and records are read the same way (a member given twice is refused) and
/// a type can be declared instead of pattern-matched by hand.
///
/// Foundation's `JSONDecoder` was a third of a decision's time over HTTP (`bench/README.md`,
/// decisions); this decoder walks the parsed tree instead. `Decodable`'s existential containers
/// still cost: 5.6% of the daemon's CPU for a decision body, where a hand-written reader of the
/// tree took 1.4% (`perf`, bench/README.md session 11), the price of declaring bodies as types.
///
/// ```swift
/// struct Body: Decodable { var api: String; var explain: Bool? }
/// let body = try JSONValueDecoder().decode(Body.self, from: bytes)
/// ```
///
/// With ``rejectsUnknownFields`` (the default), an object member the type does not declare is a
/// `DecodingError.dataCorrupted` whose path names it: a misspelt `explian` is an error, not a
/// silently ignored field. Types with hand-written `CodingKeys` that accept any key (or whose
/// keys are not an enum) are unaffected, since only a key the type cannot form is refused.
public struct JSONValueDecoder: Sendable {
    /// Whether an object member that the decoded type has no coding key for is an error.
    public var rejectsUnknownFields: Bool

    public init(rejectsUnknownFields: Bool = true) {
        self.rejectsUnknownFields = rejectsUnknownFields
    }

    /// Decodes `type` from UTF-8 JSON text.
    /// - Throws: ``JSONSyntaxError`` when the text is not JSON; `DecodingError` when it is not `type`.
    public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try decode(type, from: JSONValue.parse(bytes))
    }

    /// Decodes `type` from a parsed value.
    /// - Throws: `DecodingError` when the value is not `type`.
    public func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        try TreeDecoder(value: value, codingPath: [], strict: rejectsUnknownFields).decodeValue(type)
    }
}

/// A position in the tree.
private struct TreeDecoder: Decoder {
    let value: JSONValue
    let codingPath: [any CodingKey]
    let strict: Bool
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = value else { throw mismatch([String: JSONValue].self, value, codingPath) }
        // Sorted only when one is unknown, to name the same member every time.
        if strict, !members.keys.allSatisfy({ Key(stringValue: $0) != nil }),
           let name = members.keys.sorted().first(where: { Key(stringValue: $0) == nil }) {
            throw DecodingError.dataCorrupted(.init(codingPath: codingPath + [AnyKey(name)], debugDescription: "unknown field"))
        }
        return KeyedDecodingContainer(KeyedContainer<Key>(members: members, codingPath: codingPath, strict: strict))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let items) = value else { throw mismatch([JSONValue].self, value, codingPath) }
        return UnkeyedContainer(items: items, codingPath: codingPath, strict: strict)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleContainer(decoder: self)
    }

    func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        // The tree itself needs no walk (and JSONValue's own init would try each type in turn);
        // nor do the shapes request bodies hold it in (a context, a list of tokens).
        if T.self == JSONValue.self { return value as! T }
        if T.self == [String: JSONValue].self {
            guard case .object(let members) = value else { throw mismatch(type, value, codingPath) }
            return members as! T
        }
        if T.self == [String].self, case .array(let items) = value {
            return try items.enumerated().map { index, item in
                guard case .string(let text) = item else { throw mismatch(String.self, item, codingPath + [AnyKey(index: index)]) }
                return text
            } as! T
        }
        if let scalar = try decodeScalar(type) { return scalar }
        return try T(from: self)
    }

    /// Strings, booleans and numbers without going through `init(from:)`; nil for other types.
    func decodeScalar<T>(_ type: T.Type) throws -> T? {
        switch type {
        case is String.Type: return try string() as? T
        case is Bool.Type: return try bool() as? T
        case is Double.Type: return try number(type) as? T
        case is Float.Type: return Float(try number(type)) as? T
        case is Int.Type: return try integer(Int.self) as? T
        case is Int64.Type: return try integer(Int64.self) as? T
        case is Int32.Type: return try integer(Int32.self) as? T
        case is UInt.Type: return try integer(UInt.self) as? T
        case is UInt64.Type: return try integer(UInt64.self) as? T
        case is UInt32.Type: return try integer(UInt32.self) as? T
        case is UInt16.Type: return try integer(UInt16.self) as? T
        case is UInt8.Type: return try integer(UInt8.self) as? T
        case is Int16.Type: return try integer(Int16.self) as? T
        case is Int8.Type: return try integer(Int8.self) as? T
        default: return nil
        }
    }

    func string() throws -> String {
        guard case .string(let text) = value else { throw mismatch(String.self, value, codingPath) }
        return text
    }

    func bool() throws -> Bool {
        guard case .bool(let flag) = value else { throw mismatch(Bool.self, value, codingPath) }
        return flag
    }

    func number<T>(_ type: T.Type) throws -> Double {
        guard case .number(let number) = value else { throw mismatch(type, value, codingPath) }
        return number
    }

    func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        let number = try number(type)
        guard number == number.rounded(), let integer = T(exactly: number) else {
            throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "\(JSONTextWriter.numberText(number)) is not an integer of type \(T.self)"))
        }
        return integer
    }
}

private func mismatch(_ type: Any.Type, _ value: JSONValue, _ path: [any CodingKey]) -> DecodingError {
    if value == .null {
        return .valueNotFound(type, .init(codingPath: path, debugDescription: "found null"))
    }
    return .typeMismatch(type, .init(codingPath: path, debugDescription: "found \(value.typeName)"))
}

private struct AnyKey: CodingKey {
    let stringValue: String
    let intValue: Int?
    init(_ string: String) { stringValue = string; intValue = nil }
    init(index: Int) { stringValue = String(index); intValue = index }
    init?(stringValue: String) { self.init(stringValue) }
    init?(intValue: Int) { self.init(index: intValue) }
}

private struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let members: [String: JSONValue]
    let codingPath: [any CodingKey]
    let strict: Bool

    var allKeys: [Key] { members.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { members[key.stringValue] != nil }

    private func child(_ key: Key) throws -> TreeDecoder {
        guard let value = members[key.stringValue] else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "required"))
        }
        return TreeDecoder(value: value, codingPath: codingPath + [key], strict: strict)
    }

    func decodeNil(forKey key: Key) throws -> Bool { (members[key.stringValue] ?? .null) == .null }

    // The scalar overloads that synthesized `init(from:)` calls, answered without the generic
    // path and its dynamic casts. With the unknown-member check that sorts only on a miss and
    // the fast paths in `decodeValue`, they took the decoding of a decision body from 7.2% to
    // 5.6% of the daemon's CPU under `bench/decisions.sh` (`perf record`, parsing excluded);
    // the hand-written reader this replaced took 1.4% (bench/README.md, session 11).
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try child(key).string() }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try child(key).bool() }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try child(key).number(type) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try child(key).integer(type) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try child(key).integer(type) }

    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
        guard let value = members[key.stringValue], value != .null else { return nil }
        guard case .string(let text) = value else { throw mismatch(type, value, codingPath + [key]) }
        return text
    }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? {
        guard let value = members[key.stringValue], value != .null else { return nil }
        guard case .bool(let flag) = value else { throw mismatch(type, value, codingPath + [key]) }
        return flag
    }

    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? {
        guard let value = members[key.stringValue], value != .null else { return nil }
        guard case .number(let number) = value else { throw mismatch(type, value, codingPath + [key]) }
        return number
    }

    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? {
        guard let value = members[key.stringValue], value != .null else { return nil }
        return try TreeDecoder(value: value, codingPath: codingPath + [key], strict: strict).integer(type)
    }

    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? {
        guard let value = members[key.stringValue], value != .null else { return nil }
        return try TreeDecoder(value: value, codingPath: codingPath + [key], strict: strict).integer(type)
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try child(key).decodeValue(type)
    }

    /// A missing member and `null` both read as nil, as Foundation's decoder reads them.
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let value = members[key.stringValue], value != .null else { return nil }
        return try TreeDecoder(value: value, codingPath: codingPath + [key], strict: strict).decodeValue(type)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try child(key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try child(key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        TreeDecoder(value: members["super"] ?? .null, codingPath: codingPath + [AnyKey("super")], strict: strict)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        TreeDecoder(value: members[key.stringValue] ?? .null, codingPath: codingPath + [key], strict: strict)
    }
}

private struct UnkeyedContainer: UnkeyedDecodingContainer {
    let items: [JSONValue]
    let codingPath: [any CodingKey]
    let strict: Bool
    var currentIndex = 0

    init(items: [JSONValue], codingPath: [any CodingKey], strict: Bool) {
        self.items = items
        self.codingPath = codingPath
        self.strict = strict
    }

    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    private mutating func next() throws -> TreeDecoder {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(JSONValue.self, .init(codingPath: codingPath + [AnyKey(index: currentIndex)], debugDescription: "no more elements"))
        }
        defer { currentIndex += 1 }
        return TreeDecoder(value: items[currentIndex], codingPath: codingPath + [AnyKey(index: currentIndex)], strict: strict)
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, items[currentIndex] == .null else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try next().decodeValue(type)
    }

    /// What `[String]` decodes its elements with, without the generic path.
    mutating func decode(_ type: String.Type) throws -> String {
        try next().string()
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try next().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try next().unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        try next()
    }
}

private struct SingleContainer: SingleValueDecodingContainer {
    let decoder: TreeDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool { decoder.value == .null }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try decoder.decodeValue(type)
    }

    /// What `RawRepresentable` enums with a `String` raw value decode through.
    func decode(_ type: String.Type) throws -> String {
        try decoder.string()
    }
}
