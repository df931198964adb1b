import Foundation
import HTTPTypes
import Hummingbird
import JSON
import Registry

/// JSON bodies for the `/v1` API: sorted keys, no escaped slashes, RFC 3339 times.
enum JSONResponse {
    static func make<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok, index: Int64? = nil) throws -> Response {
        response(try CompactJSONEncoder.bytes(value), status: status, index: index)
    }

    /// Like ``make(_:status:index:)`` for a value that writes its own JSON (the same text).
    static func make<T: CompactJSONWritable>(writing value: T, status: HTTPResponse.Status = .ok, index: Int64? = nil) -> Response {
        var writer = JSONTextWriter(capacity: 1024)
        value.write(to: &writer)
        return response(writer.bytes, status: status, index: index)
    }

    private static func response(_ json: [UInt8], status: HTTPResponse.Status, index: Int64?) -> Response {
        var data = json
        data.append(UInt8(ascii: "\n"))
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        if let index { headers[.registryIndex] = String(index) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Milliseconds since 1970 as RFC 3339 UTC with milliseconds (`2026-11-23T08:41:02.449Z`).
    /// Formatted by hand: a Foundation date formatter per call cost 7% of a registration.
    static func time(_ milliseconds: Int64) -> String {
        var seconds = time_t(milliseconds / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let millis = Int32(milliseconds % 1000)
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(millis, 3))Z"
    }
}

extension HTTPField.Name {
    /// The change index a list or resolution reflects (Consul's `X-Consul-Index`).
    static let registryIndex = HTTPField.Name("X-Registryd-Index")!
}
