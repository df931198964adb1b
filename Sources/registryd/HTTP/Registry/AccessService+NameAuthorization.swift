import AccessControl
import AccessService
import Hummingbird
import Registry

extension AccessService {
    /// Whether the principal may write a name: its token's scopes, and then, for tokens that
    /// are not admin, the `create` (or `destroy`) policies when there are any, with the
    /// credentials the request carries (`Registryd-Credential`). Shared by `/v1/services` and
    /// `/things`.
    func nameAuthorization(_ principal: Principal, request: Request, action: Action) -> NameAuthorization {
        let credentials = request.headers[values: .registrydCredential].flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        return { [self] name in
            guard principal.mayRegister(name) else { return false }
            if principal.isAdmin { return true }
            return await self.guards(action, name: name.value, subject: principal.tokenID, credentials: credentials)
        }
    }
}
