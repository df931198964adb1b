import GRPCCore

/// The two messages of `grpc.health.v1.Health/Check` (grpc/grpc-proto `health.proto`), written
/// and read by hand: a request holds one string (field 1, the service), an answer one enum
/// (field 1, the status), which does not justify generated protobuf code and its plugin.
enum GRPCHealthCodec {
    static let check = MethodDescriptor(fullyQualifiedService: "grpc.health.v1.Health", method: "Check")

    /// `HealthCheckResponse.ServingStatus`.
    enum ServingStatus: Int, Sendable {
        case unknown = 0, serving = 1, notServing = 2, serviceUnknown = 3

        var name: String {
            switch self {
            case .unknown: "UNKNOWN"
            case .serving: "SERVING"
            case .notServing: "NOT_SERVING"
            case .serviceUnknown: "SERVICE_UNKNOWN"
            }
        }
    }

    struct Request: MessageSerializer {
        func serialize<Bytes: GRPCContiguousBytes>(_ service: String) throws -> Bytes {
            let text = Array(service.utf8)
            guard !text.isEmpty else { return Bytes([]) }
            return Bytes([0x0A] + varint(UInt64(text.count)) + text)
        }
    }

    struct Response: MessageDeserializer {
        func deserialize<Bytes: GRPCContiguousBytes>(_ bytes: Bytes) throws -> ServingStatus {
            let data = bytes.withUnsafeBytes { Array($0) }
            var position = 0
            var status = 0
            // Fields other than 1 are skipped by their wire type, as a protobuf reader does.
            while position < data.count {
                let key = try readVarint(data, &position)
                switch (key >> 3, key & 7) {
                case (1, 0): status = Int(truncatingIfNeeded: try readVarint(data, &position))
                case (_, 0): _ = try readVarint(data, &position)
                case (_, 1): position += 8
                case (_, 2): position += Int(try readVarint(data, &position))
                case (_, 5): position += 4
                default: throw RPCError(code: .internalError, message: "the health answer is no HealthCheckResponse")
                }
            }
            guard position == data.count else { throw RPCError(code: .internalError, message: "the health answer is truncated") }
            return ServingStatus(rawValue: status) ?? .unknown
        }
    }

    static func varint(_ value: UInt64) -> [UInt8] {
        var value = value
        var bytes: [UInt8] = []
        repeat {
            var byte = UInt8(value & 0x7F)
            value >>= 7
            if value != 0 { byte |= 0x80 }
            bytes.append(byte)
        } while value != 0
        return bytes
    }

    static func readVarint(_ data: [UInt8], _ position: inout Int) throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while position < data.count, shift < 64 {
            let byte = data[position]
            position += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
        throw RPCError(code: .internalError, message: "the health answer has a malformed varint")
    }
}
