import HTTPTypes
import Testing
@testable import registryd

/// The gateway judges a path only when every server would read it the same way.
struct GatewayPathTests {
    @Test(arguments: [
        ("/shop.example/Cart/items?page=2", "shop.example/Cart/items"),
        ("/shop.example/Caf%C3%A9/x", "shop.example/Café/x"),
        ("/shop.example/a%20b", "shop.example/a b"),
    ])
    func plainPathsAreNames(_ uri: String, _ name: String) throws {
        #expect(try GatewayPath.apiName(uri: uri, prefix: nil).get() == name)
    }

    @Test(arguments: [
        "/shop.example/Admin;jsessionid=1/delete", "/shop.example/Admin%3Bx/delete", "/shop.example/Admin%23x",
        "/shop.example/Admin%2Fdelete", "/shop.example/Public/%2E%2E/Admin", "/shop.example/Public/%2e%2e/Admin",
        "/shop.example//Admin", "/shop.example/./Admin", "/shop.example/Public/../Admin", "/shop.example/a\\b",
        "/shop.example/%FF", "/shop.example/%0A", "/shop.example/%zz", "/shop.example/Admin/", "shop.example/x",
    ])
    func ambiguousPathsAreRefused(_ uri: String) {
        #expect(throws: GatewayPathError.self) { try GatewayPath.apiName(uri: uri, prefix: nil).get() }
    }

    @Test func aPrefixIsRemovedBeforeTheChecks() throws {
        #expect(try GatewayPath.apiName(uri: "/gw/shop.example/Cart", prefix: "/gw").get() == "shop.example/Cart")
        #expect(throws: GatewayPathError.self) { try GatewayPath.apiName(uri: "/gw//shop.example", prefix: "/gw").get() }
    }

    @Test func methodsMapToActionsAndOthersAreRefused() throws {
        var settings = GatewaySettings()
        #expect(settings.actions["DELETE"] == .call)
        #expect(settings.actions["PROPFIND"] == nil)
        try settings.setAction("delete=destroy")
        try settings.setAction("OPTIONS=none")
        #expect(settings.actions["DELETE"] == .destroy)
        #expect(settings.actions["OPTIONS"] == nil)
        #expect(throws: GatewaySettingsError.self) { try settings.setAction("GET=read") }
        #expect(throws: GatewaySettingsError.self) { try settings.setAction("GET") }
    }
}

/// The original request as nginx and as Caddy or Traefik send it, and the refusal of two that differ.
struct GatewayOriginalRequestTests {
    @Test func eitherFormIsTheOriginal() throws {
        let nginx: HTTPFields = [.originalURI: "/shop.example/a", .originalMethod: "PUT"]
        #expect(try GatewayController.original(nginx).get() == ("/shop.example/a", "PUT"))
        let caddy: HTTPFields = [.forwardedURI: "/shop.example/a", .forwardedMethod: "DELETE"]
        #expect(try GatewayController.original(caddy).get() == ("/shop.example/a", "DELETE"))
        let both: HTTPFields = [.originalURI: "/shop.example/a", .forwardedURI: "/shop.example/a"]
        #expect(try GatewayController.original(both).get() == ("/shop.example/a", nil))
    }

    @Test func twoDifferentOriginalsAreRefused() {
        let uris: HTTPFields = [.originalURI: "/shop.example/Cart", .forwardedURI: "/shop.example/Vault"]
        #expect(throws: GatewayPathError.self) { try GatewayController.original(uris).get() }
        let methods: HTTPFields = [.originalMethod: "GET", .forwardedMethod: "DELETE"]
        #expect(throws: GatewayPathError.self) { try GatewayController.original(methods).get() }
        var repeated = HTTPFields()
        repeated.append(HTTPField(name: .forwardedURI, value: "/shop.example/Cart"))
        repeated.append(HTTPField(name: .forwardedURI, value: "/shop.example/Vault"))
        #expect(throws: GatewayPathError.self) { try GatewayController.original(repeated).get() }
    }
}
