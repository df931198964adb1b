import ArgumentParser
import AsyncHTTPClient
import Foundation
import JSON
import NIOCore
import NIOHTTP1
import Registry

/// `registryd token create|list|revoke`: manage bearer tokens.
struct Token: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create, list and revoke bearer tokens.",
        subcommands: [Create.self, List.self, Revoke.self]
    )

    /// Where the tokens are: the data directory (daemon stopped) or a running daemon.
    struct Target: ParsableArguments {
        @OptionGroup var storage: DataDirectoryOptions

        @Option(help: ArgumentHelp("A running daemon to ask instead of opening --data, e.g. http://127.0.0.1:8470 (needs --token).", valueName: "url"))
        var server: String?

        @Option(help: "An admin token for --server (default: $REGISTRYD_TOKEN).")
        var token: String?

        func validate() throws {
            if server != nil && (token ?? ProcessInfo.processInfo.environment["REGISTRYD_TOKEN"]) == nil {
                throw ValidationError("--server needs an admin token: --token or $REGISTRYD_TOKEN")
            }
        }

        /// Sends a request to the daemon; returns the JSON body, or throws the daemon's error message.
        func send(_ method: HTTPMethod, _ path: String, body: JSONValue? = nil) async throws -> JSONValue {
            guard let server else { throw CommandFailure("no --server") }
            let secret = token ?? ProcessInfo.processInfo.environment["REGISTRYD_TOKEN"] ?? ""
            var request = HTTPClientRequest(url: server.trimmingCharacters(in: CharacterSet(charactersIn: "/")) + path)
            request.method = method
            request.headers.add(name: "Authorization", value: "Bearer " + secret)
            if let body {
                request.headers.add(name: "Content-Type", value: "application/json")
                request.body = .bytes(ByteBuffer(string: body.jsonText))
            }
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            do {
                let response = try await client.execute(request, timeout: .seconds(10))
                let bytes = try await response.body.collect(upTo: 1 << 20)
                try await client.shutdown()
                let json = (try? JSONValue.parse(Array(buffer: bytes))) ?? [:]
                guard (200..<300).contains(Int(response.status.code)) else {
                    let message = json["error"]?["message"]?.stringValue ?? "\(response.status.code)"
                    throw CommandFailure("\(server): \(message)")
                }
                return json
            } catch let failure as CommandFailure {
                throw failure
            } catch {
                try? await client.shutdown()
                throw CommandFailure("\(server): \(error)")
            }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a token and print its secret (shown only once).",
            discussion: "Scopes: admin, query, decide, register:<name prefix> (e.g. register:snac.asu.edu/)."
        )

        @OptionGroup var target: Target

        @Option(name: .customLong("scope"), help: ArgumentHelp("A scope of the token (repeatable).", valueName: "scope"))
        var scopes: [String]

        @Option(help: "What the token is for.")
        var description: String?

        func validate() throws {
            guard !scopes.isEmpty else { throw ValidationError("give at least one --scope") }
            for scope in scopes where Scope(scope) == nil {
                throw ValidationError("`\(scope)` is not a scope (admin, query, decide, register:<name prefix>)")
            }
        }

        func run() async throws {
            if target.server != nil {
                var body: [String: JSONValue] = ["scopes": .array(scopes.map(JSONValue.string))]
                if let description { body["description"] = .string(description) }
                let json = try await target.send(.POST, "/v1/tokens", body: .object(body))
                writeToStandardOutput("\(json["token"]?.stringValue ?? "")\n")
                writeToStandardError("created \(json["id"]?.stringValue ?? "") with scopes \(scopes.joined(separator: " "))\n")
                return
            }
            let store = try StoreAccess.open(target.storage.data)
            defer { store.close() }
            let tokens = try await TokenStore(journal: try Registry(store: store, buildingGraphs: false))
            let (record, secret) = try await tokens.create(scopes: scopes.compactMap(Scope.init), description: description)
            writeToStandardOutput(secret + "\n")
            writeToStandardError("created \(record.id) with scopes \(record.scopes.joined(separator: " "))\n")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens (ids and scopes; secrets are not stored).")

        @OptionGroup var target: Target

        func run() async throws {
            if target.server != nil {
                let json = try await target.send(.GET, "/v1/tokens")
                guard case .array(let tokens)? = json["tokens"] else { return }
                for token in tokens {
                    var scopes: [String] = []
                    if case .array(let items)? = token["scopes"] { scopes = items.compactMap(\.stringValue) }
                    writeToStandardOutput("\(token["id"]?.stringValue ?? "")\t\(scopes.joined(separator: " "))\t\(token["description"]?.stringValue ?? "")\n")
                }
                return
            }
            let store = try StoreAccess.open(target.storage.data)
            defer { store.close() }
            for record in try await TokenStore(journal: try Registry(store: store, buildingGraphs: false)).all {
                writeToStandardOutput("\(record.id)\t\(record.scopes.joined(separator: " "))\t\(record.description ?? "")\n")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token by id.")

        @OptionGroup var target: Target

        @Argument(help: "The token's id (tok-...).")
        var id: String

        func run() async throws {
            if target.server != nil {
                _ = try await target.send(.DELETE, "/v1/tokens/" + id)
                return
            }
            let store = try StoreAccess.open(target.storage.data)
            defer { store.close() }
            guard try await TokenStore(journal: try Registry(store: store, buildingGraphs: false)).revoke(id: id) else { throw CommandFailure("no token \(id)") }
        }
    }
}
