import Foundation
import HTTPTypes
import Hummingbird

/// JSON bodies for the `/v1` API: sorted keys, no escaped slashes, RFC 3339 times.
enum JSONResponse {
    static func make<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok, index: Int64? = nil) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(value)
        data.append(UInt8(ascii: "\n"))
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        if let index { headers[.registryIndex] = String(index) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Milliseconds since 1970 as RFC 3339 UTC with milliseconds.
    static func time(_ milliseconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
    }
}

extension HTTPField.Name {
    /// The change index a list or resolution reflects (Consul's `X-Consul-Index`).
    static let registryIndex = HTTPField.Name("X-Registryd-Index")!
}
