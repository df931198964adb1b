import Synchronization

/// The signing keys of a daemon, persisted in a directory as `signing-<n>.pem`, with rotation.
///
/// The key with the highest `n` is ``current`` and signs; the newest `retain` keys are published
/// in ``jwks`` and verify, so tokens signed before a rotation stay valid until their key ages out.
///
/// ```swift
/// let ring = try KeyRing(directory: "/var/lib/registryd/keys")
/// let token = try CompactJWS.sign(payload: claims, with: ring.current)
/// let ok = try CompactJWS.decode(token).verify(with: ring.verificationKeys())
/// ```
public final class KeyRing: Sendable {
    /// The directory holding the key files.
    public let directory: String
    /// The algorithm of keys this ring generates.
    public let algorithm: JWSAlgorithm
    /// How many of the newest keys are kept, at least 1.
    public let retain: Int

    private struct Entry: Sendable {
        var serial: Int
        var key: SigningKey
    }

    /// The retained keys newest first, with the derived lists precomputed because readers ask for
    /// them on every request and rotation is rare.
    private struct State: Sendable {
        var entries: [Entry]
        var jwks: JWKSet
        var verificationKeys: [VerificationKey]

        init(_ entries: [Entry]) {
            self.entries = entries
            self.verificationKeys = entries.map(\.key.publicKey)
            self.jwks = JWKSet(keys: verificationKeys.map(\.jwk))
        }
    }

    private let state: Mutex<State>

    /// Opens the key directory, creating it (mode 0700) and a first key when there is none.
    ///
    /// Loads the newest `retain` files; a file that cannot be read as a key throws rather than
    /// being replaced, since replacing it would silently invalidate every token it signed. When the
    /// newest key is not of `algorithm` (the configuration changed) a new key is generated and the
    /// old ones are kept for verification.
    public init(directory: String, algorithm: JWSAlgorithm = .edDSA, retain: Int = 3) throws {
        guard retain >= 1 else {
            throw JOSEError(code: JOSEError.invalidArgument, message: "a key ring must retain at least 1 key, not \(retain)")
        }
        self.directory = directory
        self.algorithm = algorithm
        self.retain = retain

        try KeyFile.createDirectory(directory)
        var entries: [Entry] = []
        for serial in try KeyFile.serials(in: directory).reversed().prefix(retain) {
            let path = directory + "/" + KeyFile.name(serial: serial)
            do {
                entries.append(Entry(serial: serial, key: try SigningKey(pem: KeyFile.read(path))))
            } catch let error as JOSEError {
                throw JOSEError(code: error.code, message: "\(path): \(error.message)")
            }
        }
        if entries.first?.key.algorithm != algorithm {
            let entry = try Self.createKey(algorithm, serial: (entries.first?.serial ?? 0) + 1, in: directory)
            entries.insert(entry, at: 0)
            entries = Array(entries.prefix(retain))
        }
        state = Mutex(State(entries))
    }

    /// A ring kept elsewhere than in files (cluster mode: the site's replicated records), from
    /// its keys' PEM texts by serial. ``rotate()`` then throws: the owner adds keys with
    /// ``adopt(serial:pem:)``.
    public init(keys: [(serial: Int, pem: String)], algorithm: JWSAlgorithm = .edDSA, retain: Int = 3) throws {
        guard retain >= 1, !keys.isEmpty else {
            throw JOSEError(code: JOSEError.invalidArgument, message: "a key ring needs at least one key and must retain at least 1")
        }
        self.directory = ""
        self.algorithm = algorithm
        self.retain = retain
        let entries = try keys.sorted { $0.serial > $1.serial }.prefix(retain).map { Entry(serial: $0.serial, key: try SigningKey(pem: $0.pem)) }
        state = Mutex(State(Array(entries)))
    }

    /// The serial of the key that signs now.
    public var currentSerial: Int { state.withLock { $0.entries[0].serial } }

    /// Adds a key made elsewhere (another cluster node's rotation); the newest `retain` by serial
    /// are kept. A key under a serial already held replaces it: when two nodes rotate at once,
    /// the one written last is every node's key.
    public func adopt(serial: Int, pem: String) throws {
        let key = try SigningKey(pem: pem)
        state.withLock { state in
            let others = state.entries.filter { $0.serial != serial }
            let entries = (others + [Entry(serial: serial, key: key)]).sorted { $0.serial > $1.serial }
            state = State(Array(entries.prefix(retain)))
        }
    }

    /// The key that signs now: the newest one.
    public var current: SigningKey {
        // State always holds at least one entry: init and rotate both guarantee it.
        state.withLock { $0.entries[0].key }
    }

    /// Generates a key that becomes ``current``, keeps the newest `retain` keys and deletes the
    /// files of older ones.
    ///
    /// Throws only when the new key could not be written, in which case nothing changed. Deleting
    /// old files is best effort: once the new key is on disk the rotation has happened, and a file
    /// left behind is never loaded (only the newest `retain` are) and is retried next rotation.
    @discardableResult
    public func rotate() throws -> SigningKey {
        guard !directory.isEmpty else {
            throw JOSEError(code: JOSEError.invalidArgument, message: "this key ring is kept by its owner, who rotates it")
        }
        return try state.withLock { state in
            let onDisk = try KeyFile.serials(in: directory)
            let serial = max(onDisk.last ?? 0, state.entries.first?.serial ?? 0) + 1
            let entry = try Self.createKey(algorithm, serial: serial, in: directory)
            let entries = Array(([entry] + state.entries).prefix(retain))
            state = State(entries)
            let kept = Set(entries.map(\.serial))
            for old in onDisk where !kept.contains(old) {
                try? KeyFile.remove(directory + "/" + KeyFile.name(serial: old))
            }
            return entry.key
        }
    }

    /// The public keys of every retained key, newest first, for a JWKS endpoint.
    public var jwks: JWKSet {
        state.withLock { $0.jwks }
    }

    /// The public keys of every retained key, newest first, for ``DecodedJWS/verify(with:)``.
    public func verificationKeys() -> [VerificationKey] {
        state.withLock { $0.verificationKeys }
    }

    private static func createKey(_ algorithm: JWSAlgorithm, serial: Int, in directory: String) throws -> Entry {
        let key = try SigningKey.generate(algorithm)
        try KeyFile.writeAtomically(key.pem, to: directory + "/" + KeyFile.name(serial: serial), in: directory)
        return Entry(serial: serial, key: key)
    }
}
