/// Message digests for MD5(), SHA1(), SHA256(), SHA384() and SHA512() (§17.4.6), written out in
/// Swift so that the engine needs no cryptography library.
///
/// These serve SPARQL's hash functions, which hash the UTF-8 bytes of a string and return
/// lowercase hex; they are not meant for security (MD5 and SHA-1 are broken for that).
///
/// ```swift
/// Hash.hex(Hash.sha256(Array("abc".utf8)))   // "ba7816bf…15ad"
/// ```
enum Hash {
    /// Lowercase hexadecimal digits of the bytes.
    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Merkle-Damgard padding: a 1 bit, zeros up to `blockSize - lengthSize` modulo
    /// `blockSize`, then the message length in bits over `lengthSize` bytes, big- or
    /// little-endian.
    static func padded(_ message: [UInt8], blockSize: Int, lengthSize: Int, bigEndian: Bool) -> [UInt8] {
        var bytes = message
        let bitLength = UInt64(truncatingIfNeeded: message.count) &* 8
        bytes.append(0x80)
        while bytes.count % blockSize != blockSize - lengthSize { bytes.append(0) }
        // Lengths fit 64 bits; wider length fields get leading zeros.
        if bigEndian {
            bytes.append(contentsOf: repeatElement(0, count: lengthSize - 8))
            for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift))) }
        } else {
            for shift in stride(from: 0, through: 56, by: 8) { bytes.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift))) }
            bytes.append(contentsOf: repeatElement(0, count: lengthSize - 8))
        }
        return bytes
    }

    /// The 32-bit word of four bytes starting at `offset`, big-endian.
    @inline(__always)
    static func word32BigEndian(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8
            | UInt32(bytes[offset + 3])
    }

    /// Appends a 32-bit word as four bytes, big-endian.
    static func append(_ word: UInt32, bigEndian: Bool, to out: inout [UInt8]) {
        for index in 0..<4 {
            let shift = bigEndian ? 24 - 8 * index : 8 * index
            out.append(UInt8(truncatingIfNeeded: word >> UInt32(shift)))
        }
    }
}
