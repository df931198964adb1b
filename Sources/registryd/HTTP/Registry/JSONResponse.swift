import Foundation
import HTTPTypes
import Hummingbird
import JSON
import Ontology
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

    /// Milliseconds since 1970 in the API's one timestamp format (``Ontology/Timestamp``).
    static func time(_ milliseconds: Int64) -> String {
        Timestamp(milliseconds: milliseconds).description
    }
}

extension HTTPField.Name {
    /// The change index a list or resolution reflects (Consul's `X-Consul-Index`).
    static let registryIndex = HTTPField.Name("X-Registryd-Index")!
    /// RFC 8288 web links (`rel="next"` of a paged list).
    static let link = HTTPField.Name("Link")!
}
