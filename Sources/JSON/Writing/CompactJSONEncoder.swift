/// Encodes `Encodable` values as compact JSON with sorted keys and unescaped slashes, the
/// output of Foundation's `JSONEncoder` with `[.sortedKeys, .withoutEscapingSlashes]`.
///
/// Foundation's encoder boxes every value it meets; encoding a manifest with it took a sixth
/// of a registration's CPU time (`bench/README.md`). This one builds a small tree of the
/// values' JSON text and writes it once. It covers what the registry encodes: strings,
/// booleans, integers, floating-point numbers, arrays, dictionaries keyed by strings and nested
/// `Encodable` types; `Date` and `Data` are not special-cased (none of the registry's types
/// holds one). Types on the registration path write themselves instead (``JSONTextWriter``).
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
        try encodeValue(value, into: slot)
        var output: [UInt8] = []
        output.reserveCapacity(2048)
        write(slot.node, to: &output)
        return output
    }

    // MARK: Tree

    fileprivate enum Node {
        case string(String)
        /// A number, `true`, `false` or `null`, as written.
        case raw(String)
        case array(ArrayBox)
        case object(ObjectBox)
    }

    fileprivate final class Slot {
        var node: Node = .raw("null")
    }

    fileprivate final class ArrayBox {
        var items: [Slot] = []
    }

    fileprivate final class ObjectBox {
        var keys: [String] = []
        var slots: [Slot] = []

        func slot(for key: String) -> Slot {
            let slot = Slot()
            keys.append(key)
            slots.append(slot)
            return slot
        }
    }

    fileprivate static func encodeValue<T: Encodable>(_ value: T, into slot: Slot) throws {
        if let scalar = value as? any JSONScalar {
            slot.node = scalar.jsonNode
        } else {
            try value.encode(to: TreeEncoder(slot: slot))
        }
    }

    fileprivate static func number(_ value: Double) -> Node { .raw(JSONTextWriter.numberText(value)) }

    fileprivate static func write(_ node: Node, to output: inout [UInt8]) {
        switch node {
        case .string(let text):
            JSONString.write(text, to: &output)
        case .raw(let text):
            output.append(contentsOf: text.utf8)
        case .array(let box):
            output.append(UInt8(ascii: "["))
            for (index, item) in box.items.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                write(item.node, to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let box):
            output.append(UInt8(ascii: "{"))
            // Sorted by UTF-8 bytes, as JSONEncoder's `.sortedKeys` orders ASCII keys; of a
            // key given twice, the last value counts.
            let order = box.keys.indices.sorted {
                let (a, b) = (box.keys[$0], box.keys[$1])
                return a == b ? $0 < $1 : a.utf8.lexicographicallyPrecedes(b.utf8)
            }
            var first = true
            for (position, index) in order.enumerated() {
                if position + 1 < order.count, box.keys[order[position + 1]] == box.keys[index] { continue }
                if !first { output.append(UInt8(ascii: ",")) }
                first = false
                JSONString.write(box.keys[index], to: &output)
                output.append(UInt8(ascii: ":"))
                write(box.slots[index].node, to: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    // MARK: Encoder

    /// The coding path is left empty: it only serves error messages, and nothing here throws
    /// on its own.
    fileprivate struct TreeEncoder: Encoder {
        let slot: Slot
        var codingPath: [any CodingKey] { [] }
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            let box: ObjectBox
            if case .object(let existing) = slot.node {
                box = existing
            } else {
                box = ObjectBox()
                slot.node = .object(box)
            }
            return KeyedEncodingContainer(KeyedContainer<Key>(box: box))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            let box: ArrayBox
            if case .array(let existing) = slot.node {
                box = existing
            } else {
                box = ArrayBox()
                slot.node = .array(box)
            }
            return UnkeyedContainer(box: box)
        }

        func singleValueContainer() -> any SingleValueEncodingContainer {
            SingleContainer(slot: slot)
        }
    }

    fileprivate struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let box: ObjectBox
        var codingPath: [any CodingKey] { [] }

        mutating func encodeNil(forKey key: Key) throws { box.slot(for: key.stringValue).node = .raw("null") }
        mutating func encode(_ value: String, forKey key: Key) throws { box.slot(for: key.stringValue).node = .string(value) }
        mutating func encode(_ value: Bool, forKey key: Key) throws { box.slot(for: key.stringValue).node = value.jsonNode }
        mutating func encode(_ value: Int, forKey key: Key) throws { box.slot(for: key.stringValue).node = .raw(String(value)) }
        mutating func encode(_ value: Int64, forKey key: Key) throws { box.slot(for: key.stringValue).node = .raw(String(value)) }
        mutating func encode(_ value: Double, forKey key: Key) throws { box.slot(for: key.stringValue).node = number(value) }

        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            try CompactJSONEncoder.encodeValue(value, into: box.slot(for: key.stringValue))
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            TreeEncoder(slot: box.slot(for: key.stringValue)).container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            TreeEncoder(slot: box.slot(for: key.stringValue)).unkeyedContainer()
        }

        mutating func superEncoder() -> any Encoder { TreeEncoder(slot: box.slot(for: "super")) }

        mutating func superEncoder(forKey key: Key) -> any Encoder { TreeEncoder(slot: box.slot(for: key.stringValue)) }
    }

    fileprivate struct UnkeyedContainer: UnkeyedEncodingContainer {
        let box: ArrayBox
        var codingPath: [any CodingKey] { [] }
        var count: Int { box.items.count }

        private func next() -> Slot {
            let slot = Slot()
            box.items.append(slot)
            return slot
        }

        mutating func encodeNil() throws { next().node = .raw("null") }
        mutating func encode(_ value: String) throws { next().node = .string(value) }

        mutating func encode<T: Encodable>(_ value: T) throws {
            try CompactJSONEncoder.encodeValue(value, into: next())
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            TreeEncoder(slot: next()).container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            TreeEncoder(slot: next()).unkeyedContainer()
        }

        mutating func superEncoder() -> any Encoder { TreeEncoder(slot: next()) }
    }

    fileprivate struct SingleContainer: SingleValueEncodingContainer {
        let slot: Slot
        var codingPath: [any CodingKey] { [] }

        mutating func encodeNil() throws { slot.node = .raw("null") }
        mutating func encode(_ value: String) throws { slot.node = .string(value) }

        mutating func encode<T: Encodable>(_ value: T) throws {
            try CompactJSONEncoder.encodeValue(value, into: slot)
        }
    }
}

/// The scalar types, written without going through `encode(to:)`.
private protocol JSONScalar {
    var jsonNode: CompactJSONEncoder.Node { get }
}

extension String: JSONScalar {
    fileprivate var jsonNode: CompactJSONEncoder.Node { .string(self) }
}

extension Bool: JSONScalar {
    fileprivate var jsonNode: CompactJSONEncoder.Node { .raw(self ? "true" : "false") }
}

extension JSONScalar where Self: BinaryInteger {
    fileprivate var jsonNode: CompactJSONEncoder.Node { .raw(String(self)) }
}

extension Int: JSONScalar {}
extension Int64: JSONScalar {}
extension Int32: JSONScalar {}
extension UInt64: JSONScalar {}
extension UInt32: JSONScalar {}
extension UInt: JSONScalar {}

extension Double: JSONScalar {
    fileprivate var jsonNode: CompactJSONEncoder.Node { CompactJSONEncoder.number(self) }
}

extension Float: JSONScalar {
    fileprivate var jsonNode: CompactJSONEncoder.Node { CompactJSONEncoder.number(Double(self)) }
}
