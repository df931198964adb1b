import AccessControl
import AccessService
import Hummingbird
import JOSE
import JSON
import Ontology
import Registry

/// Turns every error a handler throws into an ``APIError``, so that clients always get the JSON
/// error body and the daemon never answers with an empty 500.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as OntologyError {
            throw APIError(error)
        } catch let error as RegistryError {
            throw APIError(error)
        } catch let error as AccessServiceError {
            throw APIError(error)
        } catch let error as PolicyError {
            throw APIError(.badRequest, code: error.code, error.description)
        } catch let error as JOSEError {
            throw APIError(.badRequest, code: error.code, error.message)
        } catch let error as HTTPError {
            throw APIError(error.status, code: "http.\(error.status.code)", error.body ?? error.status.reasonPhrase)
        } catch let error as JSONSyntaxError {
            throw APIError(.badRequest, code: "request.malformed_json", "the body is not valid JSON: \(error)")
        } catch is DecodingError {
            throw APIError(.badRequest, code: "request.malformed_json", "the request body is not the JSON expected")
        } catch {
            context.logger.error("unhandled error", metadata: ["error": "\(error)"])
            throw APIError(.internalServerError, code: "internal", "internal error")
        }
    }
}
