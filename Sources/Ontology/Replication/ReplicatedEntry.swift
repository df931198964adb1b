/// One committed write of a replicated store, as the site's log holds it: the SQLite changeset
/// of the transaction (its term, quad, statistics and journal rows) and its record changes.
///
/// Every node applies the same entries in the same order to the same empty store, so term ids
/// are the same on every node and the changeset's rows mean the same thing everywhere.
public struct ReplicatedEntry: Sendable, Hashable {
    /// The entry's place in the log, from 1; one more than the entry before it.
    public var position: Int64
    /// The node that wrote it.
    public var origin: String
    /// `sqlite3session_changeset` of the transaction's tables with a primary key.
    public var changeset: [UInt8]
    /// The record changes (the `record` table has no declared primary key, so the session does
    /// not see it), in the order they were made.
    public var records: [ReplicatedRecord]

    public init(position: Int64, origin: String, changeset: [UInt8], records: [ReplicatedRecord]) {
        self.position = position
        self.origin = origin
        self.changeset = changeset
        self.records = records
    }

    /// Whether the write changed nothing.
    public var isEmpty: Bool { changeset.isEmpty && records.isEmpty }

    // MARK: Serialized form
    //
    // "RDE1", then the position (8 bytes, big-endian), then length-prefixed fields (4 bytes,
    // big-endian): origin, changeset, the record count, then per record its collection, key,
    // and value (length 0xFFFFFFFF for a deletion).

    private static let magic: [UInt8] = Array("RDE1".utf8)
    private static let deleted: UInt32 = .max

    /// The bytes the log stores.
    public func serialized() -> [UInt8] {
        var bytes = Self.magic
        bytes.reserveCapacity(changeset.count + 64)
        Self.append(UInt64(bitPattern: position), to: &bytes)
        Self.append(Array(origin.utf8), to: &bytes)
        Self.append(changeset, to: &bytes)
        Self.append(UInt32(records.count), to: &bytes)
        for record in records {
            Self.append(Array(record.collection.utf8), to: &bytes)
            Self.append(Array(record.key.utf8), to: &bytes)
            if let value = record.value { Self.append(Array(value.utf8), to: &bytes) } else { Self.append(Self.deleted, to: &bytes) }
        }
        return bytes
    }

    /// Reads the bytes of ``serialized()``.
    /// - Throws: `store.sqlite` when they are not an entry.
    public init(serialized bytes: [UInt8]) throws {
        var reader = Reader(bytes: bytes)
        guard try reader.take(4) == Self.magic else { throw Self.malformed }
        position = Int64(bitPattern: try reader.uint64())
        origin = String(decoding: try reader.field(), as: UTF8.self)
        changeset = try reader.field()
        let count = try reader.uint32()
        var records: [ReplicatedRecord] = []
        for _ in 0..<count {
            let collection = String(decoding: try reader.field(), as: UTF8.self)
            let key = String(decoding: try reader.field(), as: UTF8.self)
            let value = try reader.optionalField().map { String(decoding: $0, as: UTF8.self) }
            records.append(ReplicatedRecord(collection: collection, key: key, value: value))
        }
        self.records = records
        guard reader.offset == bytes.count else { throw Self.malformed }
    }

    private static var malformed: OntologyError { OntologyError(.storage, "a log entry is malformed") }

    private static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    private static func append(_ value: UInt32, to bytes: inout [UInt8]) {
        for shift in stride(from: 24, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    private static func append(_ field: [UInt8], to bytes: inout [UInt8]) {
        append(UInt32(field.count), to: &bytes)
        bytes.append(contentsOf: field)
    }

    private struct Reader {
        let bytes: [UInt8]
        var offset = 0

        mutating func take(_ count: Int) throws -> [UInt8] {
            guard count >= 0, bytes.count - offset >= count else { throw ReplicatedEntry.malformed }
            defer { offset += count }
            return Array(bytes[offset..<offset + count])
        }

        mutating func uint64() throws -> UInt64 {
            try take(8).reduce(0) { $0 << 8 | UInt64($1) }
        }

        mutating func uint32() throws -> UInt32 {
            try take(4).reduce(0) { $0 << 8 | UInt32($1) }
        }

        mutating func field() throws -> [UInt8] {
            guard let field = try optionalField() else { throw ReplicatedEntry.malformed }
            return field
        }

        mutating func optionalField() throws -> [UInt8]? {
            let length = try uint32()
            if length == ReplicatedEntry.deleted { return nil }
            return try take(Int(length))
        }
    }
}

/// A record written (or, with no value, deleted) by a write: what a cluster log entry carries,
/// and what the registry's journal takes (`RecordChange`).
public struct ReplicatedRecord: Sendable, Hashable {
    public var collection: String
    public var key: String
    public var value: String?

    public init(collection: String, key: String, value: String?) {
        self.collection = collection
        self.key = key
        self.value = value
    }
}
