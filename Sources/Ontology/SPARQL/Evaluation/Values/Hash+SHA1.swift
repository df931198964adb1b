/// SHA-1 (FIPS 180-4 §6.1).
extension Hash {
    /// The 20-byte SHA-1 digest of the bytes.
    static func sha1(_ message: [UInt8]) -> [UInt8] {
        let bytes = padded(message, blockSize: 64, lengthSize: 8, bigEndian: true)
        var h: [UInt32] = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0]
        var w = [UInt32](repeating: 0, count: 80)
        // padded() returns whole 64-byte blocks, so every index below is in bounds.
        for block in stride(from: 0, to: bytes.count, by: 64) {
            for t in 0..<16 { w[t] = word32BigEndian(bytes, block + t * 4) }
            for t in 16..<80 {
                let x = w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16]
                w[t] = x << 1 | x >> 31
            }
            var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4]
            for t in 0..<80 {
                let f: UInt32
                let k: UInt32
                switch t {
                case 0..<20:
                    f = (b & c) | (~b & d)
                    k = 0x5A827999
                case 20..<40:
                    f = b ^ c ^ d
                    k = 0x6ED9EBA1
                case 40..<60:
                    f = (b & c) | (b & d) | (c & d)
                    k = 0x8F1BBCDC
                default:
                    f = b ^ c ^ d
                    k = 0xCA62C1D6
                }
                let temp = (a << 5 | a >> 27) &+ f &+ e &+ k &+ w[t]
                e = d
                d = c
                c = b << 30 | b >> 2
                b = a
                a = temp
            }
            h[0] = h[0] &+ a
            h[1] = h[1] &+ b
            h[2] = h[2] &+ c
            h[3] = h[3] &+ d
            h[4] = h[4] &+ e
        }
        var out: [UInt8] = []
        out.reserveCapacity(20)
        for word in h { append(word, bigEndian: true, to: &out) }
        return out
    }
}
