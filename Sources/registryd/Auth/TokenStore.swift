import COpenSSL
import Foundation
import JSON
import Ontology
import Registry
import Synchronization

/// A bearer token as stored: its id, scopes and the SHA-256 of its secret (never the secret).
struct TokenRecord: Codable, Sendable, Hashable {
    var id: String
    var scopes: [String]
    var description: String?
    /// Milliseconds since 1970.
    var created: Int64
    /// Hex SHA-256 of the secret.
    var hash: String
}

/// The daemon's tokens: records of the site's ``Journal`` (collection `token`, keyed by hash;
/// events `token.created` and `token.revoked` name the token's id, never its secret) and kept
/// in memory for the check every request makes.
final class TokenStore: Sendable {
    static let collection = "token"
    private let journal: any Journal
    private let tokens: Mutex<Tokens>
    private static let principalCacheLimit = 10_000

    /// Records and cached principals under one lock, so that a revocation that removes a record
    /// also drops its principal before any request can see it again.
    private struct Tokens {
        var byHash: [String: TokenRecord]
        /// Principals already worked out, by secret: every request presents its token, and
        /// hashing it (SHA-256 through OpenSSL) and parsing its scopes each time was a few
        /// percent of a decision's cost. Only valid secrets get in, at most
        /// `principalCacheLimit` of them.
        var principals: [String: Principal] = [:]
    }

    init(journal: any Journal) async throws {
        self.journal = journal
        let decoder = JSONValueDecoder(rejectsUnknownFields: false)
        let records = try await journal.records(in: Self.collection)
        var byHash: [String: TokenRecord] = [:]
        for record in records {
            if let token = try? decoder.decode(TokenRecord.self, from: Array(record.value.utf8)) { byHash[token.hash] = token }
        }
        tokens = Mutex(Tokens(byHash: byHash))
        // Cluster mode: tokens created or revoked through other nodes.
        journal.onRemoteChanges { [weak self] changes in
            let mine = changes.filter { $0.collection == Self.collection }
            guard let self, !mine.isEmpty else { return }
            self.tokens.withLock { state in
                for change in mine {
                    state.byHash[change.key] = change.value.flatMap { try? decoder.decode(TokenRecord.self, from: Array($0.utf8)) }
                }
                state.principals.removeAll()
            }
        }
    }

    var isEmpty: Bool { tokens.withLock { $0.byHash.isEmpty } }

    var all: [TokenRecord] { tokens.withLock { Array($0.byHash.values) }.sorted { $0.created < $1.created } }

    /// Creates a token with `scopes`; returns its record and the secret, which is shown once.
    func create(scopes: [Scope], description: String?) async throws -> (TokenRecord, secret: String) {
        let secret = "rgd_" + Self.randomHex(bytes: 24)
        let record = TokenRecord(id: "tok-" + Self.randomHex(bytes: 6), scopes: scopes.map(\.description), description: description,
                                 created: Timestamp.now.milliseconds, hash: Self.sha256Hex(secret))
        let json = try CompactJSONEncoder.encode(record)
        try await journal.commit([RecordChange(collection: Self.collection, key: record.hash, value: json)],
                                 events: [EventSpec(.tokenCreated, id: record.id)], applied: { [self] in
            tokens.withLock { $0.byHash[record.hash] = record }
        })
        return (record, secret)
    }

    /// Removes a token by id; returns whether it existed.
    func revoke(id: String) async throws -> Bool {
        guard let record = tokens.withLock({ $0.byHash.values.first { $0.id == id } }) else { return false }
        try await journal.commit([RecordChange(collection: Self.collection, key: record.hash, value: nil)],
                                 events: [EventSpec(.tokenRevoked, id: record.id)], applied: { [self] in
            tokens.withLock { state in
                state.byHash[record.hash] = nil
                state.principals.removeAll()
            }
        })
        return true
    }

    /// The principal a secret stands for, or nil.
    func principal(for secret: String) -> Principal? {
        guard secret.hasPrefix("rgd_"), secret.utf8.count < 200 else { return nil }
        if let known = tokens.withLock({ $0.principals[secret] }) { return known }
        let hash = Self.sha256Hex(secret)
        return tokens.withLock { state -> Principal? in
            guard let record = state.byHash[hash] else { return nil }
            let principal = Principal(tokenID: record.id, scopes: record.scopes.compactMap(Scope.init))
            if state.principals.count >= Self.principalCacheLimit { state.principals.removeAll(keepingCapacity: true) }
            state.principals[secret] = principal
            return principal
        }
    }

    static func sha256Hex(_ text: String) -> String {
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBufferPointer { input in
            digest.withUnsafeMutableBufferPointer { output in
                SHA256(input.baseAddress, input.count, output.baseAddress)
            }
        }
        return hex(digest)
    }

    static func randomHex(bytes count: Int) -> String {
        var bytes = [UInt8](repeating: 0, count: count)
        var generator = SystemRandomNumberGenerator()
        for index in bytes.indices { bytes[index] = UInt8.random(in: 0...255, using: &generator) }
        return hex(bytes)
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension RegistryEvent.Kind {
    /// A token was created; the event's id is the token's id.
    static let tokenCreated: Self = "token.created"
    /// A token was revoked; requests with its secret fail from this index on.
    static let tokenRevoked: Self = "token.revoked"
}
