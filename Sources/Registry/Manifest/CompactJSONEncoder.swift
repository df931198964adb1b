/// Encodes `Encodable` values as compact JSON with sorted keys and unescaped slashes, the
/// output of Foundation's `JSONEncoder` with `[.sortedKeys, .withoutEscapingSlashes]`.
///
/// Foundation's encoder boxes every value it meets; encoding a manifest with it took a sixth
/// of a registration's CPU time (`bench/README.md`). This one builds a small tree of the
/// values' JSON text and writes it once. It covers what the registry encodes: strings,
/// booleans, integers, floating-point numbers, arrays, dictionaries keyed by strings and nested
/// `Encodable` types; `Date` and `Data` are not special-cased (none of the registry's types
/// holds one).
///
/// ```swift
/// let text = try CompactJSONEncoder.encode(manifest)   // String
/// ```
public enum CompactJSONEncoder {
    /// The JSON text of `value`.
    public static func encode<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try bytes(value), as: UTF8.self)
    }

    /// The JSON text of `value`, as UTF-8 bytes.
    public static func bytes<T: Encodable>(_ value: T) throws -> [UInt8] {
        let slot = Slot()
        try encodeValue(value, into: slot, path: [])
        var output: [UInt8] = []
        output.reserveCapacity(1024)
        write(slot.node ?? .text("null"), to: &output)
        return output
    }

    // MARK: Tree

    fileprivate indirect enum Node {
        /// A scalar's JSON text.
        case text(String)
        case array(ArrayBox)
        case object(ObjectBox)
    }

    fileprivate final class Slot {
        var node: Node?
    }

    fileprivate final class ArrayBox {
        var items: [Slot] = []
    }

    fileprivate final class ObjectBox {
        var items: [String: Slot] = [:]
    }

    fileprivate static func encodeValue<T: Encodable>(_ value: T, into slot: Slot, path: [any CodingKey]) throws {
        if let text = scalarText(value) {
            slot.node = .text(text)
        } else {
            try value.encode(to: TreeEncoder(slot: slot, codingPath: path))
        }
    }

    /// The JSON text of the scalar types, without going through `encode(to:)`.
    fileprivate static func scalarText<T: Encodable>(_ value: T) -> String? {
        switch value {
        case let string as String: return quoted(string)
        case let bool as Bool: return bool ? "true" : "false"
        case let int as Int: return String(int)
        case let int as Int64: return String(int)
        case let int as Int32: return String(int)
        case let int as UInt64: return String(int)
        case let int as UInt32: return String(int)
        case let int as UInt: return String(int)
        case let double as Double: return number(double)
        case let float as Float: return number(Double(float))
        default: return nil
        }
    }

    /// Integral values as integers, as `JSONEncoder` writes them; non-finite ones as `null`
    /// (`JSONEncoder` would throw; no registry value is NaN).
    fileprivate static func number(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == value.rounded(), abs(value) < 9_007_199_254_740_992 { return String(Int64(value)) }
        return String(value)
    }

    fileprivate static func quoted(_ string: String) -> String {
        var needsEscape = false
        for byte in string.utf8 where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
            needsEscape = true
            break
        }
        guard needsEscape else { return "\"" + string + "\"" }
        var output: [UInt8] = [UInt8(ascii: "\"")]
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): output += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x0A: output += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: output += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: output += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0x08: output += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
            case 0x0C: output += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
            case ..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                output += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
        return String(decoding: output, as: UTF8.self)
    }

    fileprivate static func write(_ node: Node, to output: inout [UInt8]) {
        switch node {
        case .text(let text):
            output.append(contentsOf: text.utf8)
        case .array(let box):
            output.append(UInt8(ascii: "["))
            for (index, item) in box.items.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                write(item.node ?? .text("null"), to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let box):
            output.append(UInt8(ascii: "{"))
            // Sorted by UTF-8 bytes, as JSONEncoder's `.sortedKeys` orders ASCII keys.
            for (index, key) in box.items.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                output.append(contentsOf: quoted(key).utf8)
                output.append(UInt8(ascii: ":"))
                write(box.items[key]?.node ?? .text("null"), to: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    // MARK: Encoder

    fileprivate struct TreeEncoder: Encoder {
        let slot: Slot
        let codingPath: [any CodingKey]
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            let box: ObjectBox
            if case .object(let existing) = slot.node {
                box = existing
            } else {
                box = ObjectBox()
                slot.node = .object(box)
            }
            return KeyedEncodingContainer(KeyedContainer<Key>(box: box, codingPath: codingPath))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            let box: ArrayBox
            if case .array(let existing) = slot.node {
                box = existing
            } else {
                box = ArrayBox()
                slot.node = .array(box)
            }
            return UnkeyedContainer(box: box, codingPath: codingPath)
        }

        func singleValueContainer() -> any SingleValueEncodingContainer {
            SingleContainer(slot: slot, codingPath: codingPath)
        }
    }

    fileprivate struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let box: ObjectBox
        let codingPath: [any CodingKey]

        private func slot(for key: Key) -> Slot {
            let slot = Slot()
            box.items[key.stringValue] = slot
            return slot
        }

        mutating func encodeNil(forKey key: Key) throws { slot(for: key).node = .text("null") }

        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            try CompactJSONEncoder.encodeValue(value, into: slot(for: key), path: codingPath + [key])
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            TreeEncoder(slot: slot(for: key), codingPath: codingPath + [key]).container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            TreeEncoder(slot: slot(for: key), codingPath: codingPath + [key]).unkeyedContainer()
        }

        mutating func superEncoder() -> any Encoder {
            TreeEncoder(slot: slot(forName: "super"), codingPath: codingPath)
        }

        mutating func superEncoder(forKey key: Key) -> any Encoder {
            TreeEncoder(slot: slot(for: key), codingPath: codingPath + [key])
        }

        private func slot(forName name: String) -> Slot {
            let slot = Slot()
            box.items[name] = slot
            return slot
        }
    }

    fileprivate struct UnkeyedContainer: UnkeyedEncodingContainer {
        let box: ArrayBox
        let codingPath: [any CodingKey]
        var count: Int { box.items.count }

        private func next() -> Slot {
            let slot = Slot()
            box.items.append(slot)
            return slot
        }

        mutating func encodeNil() throws { next().node = .text("null") }

        mutating func encode<T: Encodable>(_ value: T) throws {
            try CompactJSONEncoder.encodeValue(value, into: next(), path: codingPath)
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            TreeEncoder(slot: next(), codingPath: codingPath).container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            TreeEncoder(slot: next(), codingPath: codingPath).unkeyedContainer()
        }

        mutating func superEncoder() -> any Encoder {
            TreeEncoder(slot: next(), codingPath: codingPath)
        }
    }

    fileprivate struct SingleContainer: SingleValueEncodingContainer {
        let slot: Slot
        let codingPath: [any CodingKey]

        mutating func encodeNil() throws { slot.node = .text("null") }

        mutating func encode<T: Encodable>(_ value: T) throws {
            try CompactJSONEncoder.encodeValue(value, into: slot, path: codingPath)
        }
    }
}
