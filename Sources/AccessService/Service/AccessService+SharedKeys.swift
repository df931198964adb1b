import JOSE
import Registry

/// Cluster mode: the binding signing keys are records of the site's journal (serial → PEM), so
/// that every node signs with the same key, publishes the same JWKS and rotates it for all.
///
/// The private keys are then in every node's store and in etcd: protect etcd as the keys'
/// home (TLS with client certificates, its own user and disk).
extension AccessService {
    static let keyCollection = "access.key"

    /// The site's key ring, with a first key written when the site has none.
    public static func sharedKeyRing(journal: any Journal, algorithm: JWSAlgorithm = .edDSA) async throws -> KeyRing {
        var keys = try await storedKeys(journal)
        if keys.isEmpty {
            let key = try SigningKey.generate(algorithm)
            try await journal.commit([RecordChange(collection: keyCollection, key: serialKey(1), value: key.pem)], events: [])
            keys = try await storedKeys(journal)
        }
        return try KeyRing(keys: keys, algorithm: algorithm)
    }

    /// Makes a new key the site's current one (`POST /v1/keys/rotate` in cluster mode) and
    /// journals `keys.rotated`; returns it.
    public func rotateSharedKey() async throws -> SigningKey {
        let key = try SigningKey.generate(keys.algorithm)
        let serial = keys.currentSerial + 1
        try await journal.commit([RecordChange(collection: Self.keyCollection, key: Self.serialKey(serial), value: key.pem)],
                                 events: [EventSpec(.keysRotated, id: key.kid)], applied: { [keys] in
            try? keys.adopt(serial: serial, pem: key.pem)
        })
        return key
    }

    /// Adopts a key another node wrote.
    func adoptRemoteKey(_ change: RecordChange) {
        guard let pem = change.value, let serial = Int(change.key) else { return }
        try? keys.adopt(serial: serial, pem: pem)
    }

    private static func storedKeys(_ journal: any Journal) async throws -> [(serial: Int, pem: String)] {
        try await journal.records(in: keyCollection).compactMap { record in Int(record.key).map { ($0, record.value) } }
    }

    /// Zero-padded, so that the records sort by serial.
    static func serialKey(_ serial: Int) -> String {
        let digits = String(serial)
        return String(repeating: "0", count: max(0, 10 - digits.count)) + digits
    }
}
