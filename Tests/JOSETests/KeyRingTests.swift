import Foundation
import Testing
@testable import JOSE

/// Key persistence, rotation and retention in a scratch directory.
struct KeyRingTests {
    /// A fresh directory path under the system temporary directory (not yet created).
    static func scratch() -> String {
        NSTemporaryDirectory() + "/jose-keyring-\(UUID().uuidString)/keys"
    }

    static func keyFiles(_ directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
    }

    static func cleanUp(_ directory: String) {
        try? FileManager.default.removeItem(atPath: (directory as NSString).deletingLastPathComponent)
    }

    @Test func createsDirectoryAndFirstKey() throws {
        let directory = Self.scratch()
        defer { Self.cleanUp(directory) }
        let ring = try KeyRing(directory: directory)
        #expect(ring.current.algorithm == .edDSA)
        #expect(try Self.keyFiles(directory) == ["signing-1.pem"])
        let attributes = try FileManager.default.attributesOfItem(atPath: directory + "/signing-1.pem")
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let directoryAttributes = try FileManager.default.attributesOfItem(atPath: directory)
        #expect((directoryAttributes[.posixPermissions] as? NSNumber)?.intValue == 0o700)
        #expect(try KeyFile.read(directory + "/signing-1.pem") == ring.current.pem)
        #expect(ring.jwks.keys == [ring.current.publicKey.jwk])
    }

    @Test(arguments: JWSAlgorithm.allCases)
    func reopeningKeepsTheKey(algorithm: JWSAlgorithm) throws {
        let directory = Self.scratch()
        defer { Self.cleanUp(directory) }
        let first = try KeyRing(directory: directory, algorithm: algorithm)
        let token = try CompactJWS.sign(payload: Array("{}".utf8), with: first.current)
        let second = try KeyRing(directory: directory, algorithm: algorithm)
        #expect(second.current.kid == first.current.kid)
        #expect(second.current.algorithm == algorithm)
        #expect(second.jwks == first.jwks)
        #expect(try CompactJWS.decode(token).verify(with: second.verificationKeys()))
        #expect(try Self.keyFiles(directory) == ["signing-1.pem"])
    }

    @Test func rotationKeepsOldTokensValid() throws {
        let directory = Self.scratch()
        defer { Self.cleanUp(directory) }
        let ring = try KeyRing(directory: directory, retain: 3)
        let oldKey = ring.current
        let oldToken = try CompactJWS.sign(payload: Array(#"{"n":1}"#.utf8), with: oldKey)

        let newKey = try ring.rotate()
        #expect(ring.current.kid == newKey.kid)
        #expect(newKey.kid != oldKey.kid)
        #expect(ring.jwks.keys.map(\.kid) == [newKey.kid, oldKey.kid])
        #expect(ring.verificationKeys().map(\.kid) == [newKey.kid, oldKey.kid])
        #expect(try CompactJWS.decode(oldToken).verify(with: ring.verificationKeys()))

        // Verification through the published JWKS, as a relying party would do it.
        let published = try JSONDecoder().decode(JWKSet.self, from: JSONEncoder().encode(ring.jwks))
        let keys = try published.keys.map(VerificationKey.init(jwk:))
        #expect(try CompactJWS.decode(oldToken).verify(with: keys))
        let newToken = try CompactJWS.sign(payload: Array(#"{"n":2}"#.utf8), with: ring.current)
        #expect(try CompactJWS.decode(newToken).verify(with: keys))
        #expect(try Self.keyFiles(directory) == ["signing-1.pem", "signing-2.pem"])
    }

    @Test func retainLimitIsEnforced() throws {
        let directory = Self.scratch()
        defer { Self.cleanUp(directory) }
        let ring = try KeyRing(directory: directory, retain: 2)
        let first = ring.current
        let firstToken = try CompactJWS.sign(payload: [], with: first)
        let second = try ring.rotate()
        let secondToken = try CompactJWS.sign(payload: [], with: second)
        let third = try ring.rotate()

        #expect(ring.jwks.keys.map(\.kid) == [third.kid, second.kid])
        #expect(try Self.keyFiles(directory) == ["signing-2.pem", "signing-3.pem"])
        #expect(!(try CompactJWS.decode(firstToken).verify(with: ring.verificationKeys())))
        #expect(try CompactJWS.decode(secondToken).verify(with: ring.verificationKeys()))

        // Reopening sees the same retained keys, newest first, and numbering continues.
        let reopened = try KeyRing(directory: directory, retain: 2)
        #expect(reopened.jwks == ring.jwks)
        #expect(reopened.current.kid == third.kid)
        let fourth = try reopened.rotate()
        #expect(try Self.keyFiles(directory) == ["signing-3.pem", "signing-4.pem"])
        #expect(reopened.jwks.keys.map(\.kid) == [fourth.kid, third.kid])
    }

    @Test func reopeningWithFewerRetainedLoadsTheNewest() throws {
        let directory = Self.scratch()
        defer { Self.cleanUp(directory) }
        let ring = try KeyRing(directory: directory, retain: 5)
        for _ in 0..<3 { try ring.rotate() }
        let smaller = try KeyRing(directory: directory, retain: 2)
        #expect(smaller.jwks.keys == Array(ring.jwks.keys.prefix(2)))
        #expect(smaller.current.kid == ring.current.kid)
    }

    @Test func changingTheAlgorithmAddsAKey() throws {
        let directory = Self.scratch()
        defer { Self.cleanUp(directory) }
        let ed = try KeyRing(directory: directory, algorithm: .edDSA)
        let es = try KeyRing(directory: directory, algorithm: .es256)
        #expect(es.current.algorithm == .es256)
        #expect(es.jwks.keys.map(\.kid) == [es.current.kid, ed.current.kid])
        #expect(try Self.keyFiles(directory) == ["signing-1.pem", "signing-2.pem"])
    }

    @Test func unreadableKeyFileIsAnError() throws {
        let directory = Self.scratch()
        defer { Self.cleanUp(directory) }
        _ = try KeyRing(directory: directory)
        try Data("not a key".utf8).write(to: URL(fileURLWithPath: directory + "/signing-2.pem"))
        let code = CompactJWSTests.code { try KeyRing(directory: directory) }
        #expect(code == JOSEError.malformed)
        // The bad file is left for a person to look at, not replaced.
        #expect(try KeyFile.read(directory + "/signing-2.pem") == "not a key")
    }

    @Test func otherFilesAreIgnored() throws {
        let directory = Self.scratch()
        defer { Self.cleanUp(directory) }
        let ring = try KeyRing(directory: directory)
        for name in ["signing-01.pem", "signing-x.pem", "signing-.pem", "notes.txt", "signing-5.pem.bak"] {
            try Data("junk".utf8).write(to: URL(fileURLWithPath: directory + "/" + name))
        }
        let reopened = try KeyRing(directory: directory)
        #expect(reopened.current.kid == ring.current.kid)
        #expect(KeyFile.serial(ofName: "signing-12.pem") == 12)
        #expect(KeyFile.serial(ofName: "signing-0.pem") == nil)
    }

    @Test func retainMustBePositive() {
        #expect(CompactJWSTests.code { try KeyRing(directory: Self.scratch(), retain: 0) } == JOSEError.invalidArgument)
    }

    @Test func concurrentRotationAndReads() async throws {
        let directory = Self.scratch()
        defer { Self.cleanUp(directory) }
        let ring = try KeyRing(directory: directory, retain: 3)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<40 {
                group.addTask {
                    if index % 8 == 0 {
                        try ring.rotate()
                    } else {
                        let token = try CompactJWS.sign(payload: [UInt8(index)], with: ring.current)
                        // Up to 4 rotations may happen between signing and verifying; only check
                        // that reading never fails or tears.
                        _ = try CompactJWS.decode(token).verify(with: ring.verificationKeys())
                        #expect(ring.jwks.keys.count <= 3)
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(ring.jwks.keys.count == 3)
        #expect(try Self.keyFiles(directory).count == 3)
    }
}
