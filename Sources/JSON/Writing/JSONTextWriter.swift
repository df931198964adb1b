/// Writes compact JSON token by token: the one JSON writer of every target, for types that write
/// themselves (``CompactJSONWritable``) and for answers of a fixed shape (errors, decisions,
/// binding claims, SPARQL results).
///
/// ``CompactJSONEncoder`` goes through `Encodable`: a tree of boxed nodes per value, then a
/// sort of each object's keys. For a manifest, encoding was 8% of a registration's CPU time
/// (`bench/README.md`). A type that writes itself here gives its members in sorted key order
/// (UTF-8 byte order), skips nil optionals and writes empty arrays, so that the text is the
/// same as the encoder's; `ManifestJSONTextTests` checks that.
public struct JSONTextWriter {
    public private(set) var bytes: [UInt8] = []
    /// Whether the next member or element needs a comma before it.
    private var needsComma = false

    public init(capacity: Int = 2048) {
        bytes.reserveCapacity(capacity)
    }

    public var text: String { String(decoding: bytes, as: UTF8.self) }

    public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    public mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// A member's key, a name known to need no escape; its value follows.
    public mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// A member's key from data (escaped as needed); its value follows.
    public mutating func key(_ name: String) {
        separate()
        JSONString.write(name, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    public mutating func string(_ value: String) {
        separate()
        JSONString.write(value, to: &bytes)
        needsComma = true
    }

    public mutating func integer<T: BinaryInteger>(_ value: T) {
        raw(String(value))
    }

    public mutating func number(_ value: Double) {
        raw(Self.numberText(value))
    }

    public mutating func bool(_ value: Bool) {
        raw(value ? "true" : "false")
    }

    public mutating func null() {
        raw("null")
    }

    /// JSON text already written (e.g. a stored record), inserted as one value.
    public mutating func rawValue(_ text: String) {
        raw(text)
    }

    public mutating func value<T: CompactJSONWritable>(_ value: T) {
        value.write(to: &self)
    }

    // MARK: Members

    public mutating func member(_ name: StaticString, _ value: String) {
        key(name)
        string(value)
    }

    public mutating func member(_ name: StaticString, _ value: String?) {
        guard let value else { return }
        member(name, value)
    }

    public mutating func member(_ name: StaticString, _ values: [String]) {
        key(name)
        beginArray()
        for value in values { string(value) }
        endArray()
    }

    public mutating func member<T: BinaryInteger>(_ name: StaticString, _ value: T?) {
        guard let value else { return }
        key(name)
        integer(value)
    }

    public mutating func member(_ name: StaticString, _ value: Double?) {
        guard let value else { return }
        key(name)
        number(value)
    }

    public mutating func member(_ name: StaticString, _ value: Bool?) {
        guard let value else { return }
        key(name)
        bool(value)
    }

    public mutating func member<T: CompactJSONWritable>(_ name: StaticString, _ value: T?) {
        guard let value else { return }
        key(name)
        value.write(to: &self)
    }

    public mutating func member<T: CompactJSONWritable>(_ name: StaticString, _ values: [T]) {
        key(name)
        beginArray()
        for value in values { value.write(to: &self) }
        endArray()
    }

    // MARK: Numbers

    /// `value` as an integer when it is one that a `Double` holds exactly (below 2^53), nil otherwise.
    public static func exactInteger(_ value: Double) -> Int64? {
        guard value.isFinite, value == value.rounded(), abs(value) < 9_007_199_254_740_992 else { return nil }
        return Int64(value)
    }

    /// Integral values as integers, as `JSONEncoder` writes them; non-finite ones as `null`
    /// (JSON has no NaN or infinity; `JSONEncoder` would throw).
    public static func numberText(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if let integer = exactInteger(value) { return String(integer) }
        return String(value)
    }

    private mutating func raw(_ text: String) {
        separate()
        bytes.append(contentsOf: text.utf8)
        needsComma = true
    }

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }
}
