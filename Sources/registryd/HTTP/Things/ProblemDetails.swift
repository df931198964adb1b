import Hummingbird
import JSON

/// An error as RFC 9457 problem details (`application/problem+json`), the error format of the
/// WoT Thing Description Directory API (WoT Discovery §7.3.2): `type`, `title`, `status`,
/// `detail`, registryd's stable `code`, and for a Thing Description the schema refuses, the
/// `validationErrors` (`field`, `description`) WoT Discovery adds.
struct ProblemDetails {
    var status: HTTPResponse.Status
    var code: String
    var detail: String
    var validationErrors: [(field: String, description: String)] = []
    var headers = HTTPFields()

    init(_ error: APIError) {
        status = error.status
        code = error.code
        detail = error.message
        headers = error.headers
    }

    init(status: HTTPResponse.Status, code: String, detail: String) {
        self.status = status
        self.code = code
        self.detail = detail
    }

    var response: Response {
        var writer = JSONTextWriter(capacity: 256)
        writer.beginObject()
        // RFC 9457 §4.2.1: "about:blank" means the problem is what the status says.
        writer.member("type", "about:blank")
        writer.member("title", status.reasonPhrase)
        writer.member("status", Int(status.code))
        writer.member("detail", detail)
        writer.member("code", code)
        if !validationErrors.isEmpty {
            writer.key("validationErrors")
            writer.beginArray()
            for error in validationErrors {
                writer.beginObject()
                writer.member("field", error.field)
                writer.member("description", error.description)
                writer.endObject()
            }
            writer.endArray()
        }
        writer.endObject()
        var headers = self.headers
        headers[.contentType] = "application/problem+json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: writer.bytes)))
    }
}
