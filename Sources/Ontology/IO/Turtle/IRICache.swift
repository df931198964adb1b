#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small direct-mapped cache from the bytes of an IRI as written to the IRI they denote.
///
/// Documents repeat the same predicates, classes and datatypes on almost every line; a hit saves
/// building, resolving and allocating the string again, and lets all triples share one copy.
/// Callers clear the cache whenever the meaning of the written bytes changes (a new base or
/// prefix).
struct IRICache {
    private var keys: [[UInt8]]
    private var values: [IRI?]
    private let mask: Int

    /// A cache with `1 << bits` slots.
    init(bits: Int = 10) {
        let size = 1 << bits
        keys = Array(repeating: [], count: size)
        values = Array(repeating: nil, count: size)
        mask = size - 1
    }

    /// FNV-1a over the bytes, reduced to a slot.
    @inline(__always)
    func slot(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for i in range {
            hash = (hash ^ UInt64(bytes[i])) &* 0x0000_0100_0000_01B3
        }
        return Int(truncatingIfNeeded: hash ^ (hash >> 29)) & mask
    }

    /// The cached IRI for the bytes in `range`, if that slot holds them.
    @inline(__always)
    func lookup(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, slot: Int) -> IRI? {
        guard let value = values[slot] else { return nil }
        let key = keys[slot]
        guard key.count == range.count, let base = bytes.baseAddress else { return nil }
        let equal = key.withUnsafeBufferPointer { keyBytes in
            guard let keyBase = keyBytes.baseAddress else { return range.isEmpty }
            return memcmp(keyBase, base + range.lowerBound, range.count) == 0
        }
        return equal ? value : nil
    }

    @inline(__always)
    mutating func store(_ iri: IRI, for bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, slot: Int) {
        keys[slot] = Array(UnsafeBufferPointer(rebasing: bytes[range]))
        values[slot] = iri
    }

    mutating func removeAll() {
        for i in 0..<values.count where values[i] != nil {
            values[i] = nil
            keys[i] = []
        }
    }
}
