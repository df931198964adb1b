/// Writes compact JSON token by token, for types that write themselves
/// (``CompactJSONWritable``) on a hot path.
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

    /// A member's key; its value follows.
    public mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    public mutating func string(_ value: String) {
        separate()
        CompactJSONEncoder.writeQuoted(value, to: &bytes)
        needsComma = true
    }

    public mutating func integer<T: BinaryInteger>(_ value: T) {
        raw(String(value))
    }

    public mutating func number(_ value: Double) {
        raw(CompactJSONEncoder.numberText(value))
    }

    public mutating func null() {
        raw("null")
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

    private mutating func raw(_ text: String) {
        separate()
        bytes.append(contentsOf: text.utf8)
        needsComma = true
    }

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }
}

/// A type that writes its own compact JSON (``JSONTextWriter``), the same text as
/// ``CompactJSONEncoder`` gives for its `Encodable` form.
public protocol CompactJSONWritable {
    func write(to writer: inout JSONTextWriter)
}

extension CompactJSONWritable {
    /// The compact JSON text.
    public var compactJSON: String {
        var writer = JSONTextWriter()
        write(to: &writer)
        return writer.text
    }
}
