import AccessControl
import AccessService
import Hummingbird
import JOSE
import JSON
import Logging
import Ontology
import Registry

/// Turns every error a handler throws into an ``APIError``, so that clients always get the JSON
/// error body and the daemon never answers with an empty 500.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            throw APIError(converting: error, logger: context.logger)
        }
    }
}

extension APIError {
    /// Any error a handler throws as the API answers it: the library errors by their codes,
    /// anything unknown as a logged 500.
    init(converting error: any Error, logger: Logger) {
        switch error {
        case let error as APIError: self = error
        case let error as OntologyError: self.init(error)
        case let error as RegistryError: self.init(error)
        case let error as AccessServiceError: self.init(error)
        case let error as PolicyError: self.init(.badRequest, code: error.code, error.description)
        case let error as JOSEError: self.init(.badRequest, code: error.code, error.message)
        case let error as HTTPError: self.init(error.status, code: "http.\(error.status.code)", error.body ?? error.status.reasonPhrase)
        case let error as JSONSyntaxError: self.init(.badRequest, code: "request.malformed_json", "the body is not valid JSON: \(error)")
        case is DecodingError: self.init(.badRequest, code: "request.malformed_json", "the request body is not the JSON expected")
        case is CancellationError:
            // The client closed the connection during a long-poll: nobody reads the answer, and
            // nginx's 499 says so in the request log.
            self.init(HTTPResponse.Status(code: 499, reasonPhrase: "Client Closed Request"), code: "request.client_closed",
                      "the client closed the connection before the answer")
        default:
            logger.error("unhandled error", metadata: ["error": "\(error)"])
            self.init(.internalServerError, code: "internal", "internal error")
        }
    }
}
