import ArgumentParser
import Foundation
import Ontology

/// `registryd backup FILE`: a consistent copy of the registry, taken while the daemon serves.
struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a consistent backup of the registry to FILE (online: the daemon may be serving).",
        discussion: """
            The backup is one SQLite file: the store as of one commit (every registration, \
            policy, token and change up to the index printed, nothing after), plus the binding \
            signing keys and the admin token file, so that bindings issued before still verify \
            after a restore. It holds private keys: it is written with mode 0600.

            Example:
              registryd backup /var/backups/registry-$(date +%F).db --data /var/lib/registryd
            """
    )

    @Argument(help: "The backup file to write (replaced if it exists).")
    var file: String

    @OptionGroup var storage: DataDirectoryOptions

    func run() throws {
        var attachments: [String: [UInt8]] = [:]
        for name in BackupFiles.names(in: storage.data) {
            guard let content = FileManager.default.contents(atPath: storage.data + "/" + name) else {
                throw CommandFailure("cannot read \(storage.data)/\(name)")
            }
            attachments[name] = [UInt8](content)
        }
        let previous = umask(0o077)
        defer { umask(previous) }
        do {
            let summary = try QuadStore.backup(directory: storage.data, to: file, attachments: attachments)
            print("registryd: backup of \(summary.quads) quads up to change \(summary.lastChange) (\(summary.attachments.count) files) written to \(file)")
        } catch let error as OntologyError {
            throw CommandFailure("backup failed: \(error.message)")
        }
    }
}

/// `registryd restore FILE`: replaces the registry's data with a backup (the daemon stopped).
struct Restore: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replace the registry's data in --data with a backup made by `registryd backup` (stop the daemon first).",
        discussion: """
            The backup is checked (SQLite integrity check, store format) before anything is \
            replaced; a damaged or foreign file changes nothing. The signing keys and admin token \
            file of the backup replace those in the data directory.
            """
    )

    @Argument(help: "The backup file.")
    var file: String

    @OptionGroup var storage: DataDirectoryOptions

    func run() throws {
        let summary: StoreBackupSummary
        do {
            summary = try QuadStore.restore(from: file, into: storage.data)
        } catch let error as OntologyError {
            let hint = error.code == .storeLocked ? " (stop the daemon before restoring)" : ""
            throw CommandFailure("restore failed: \(error.message)\(hint)")
        }
        let keys = storage.data + "/" + BackupFiles.keyDirectory
        for stale in BackupFiles.names(in: storage.data) where !summary.attachments.keys.contains(stale) {
            unlink(storage.data + "/" + stale)
        }
        mkdir(keys, 0o700)
        for (name, content) in summary.attachments where BackupFiles.isRestorable(name) {
            let path = storage.data + "/" + name
            guard FileManager.default.createFile(atPath: path, contents: Data(content), attributes: [.posixPermissions: 0o600]) else {
                throw CommandFailure("cannot write \(path)")
            }
        }
        print("registryd: restored \(summary.quads) quads up to change \(summary.lastChange) (\(summary.attachments.count) files) into \(storage.data)")
    }
}

/// The files beside the store that a backup carries: the signing keys and the admin token.
enum BackupFiles {
    static let keyDirectory = "keys"
    static let adminToken = "admin.token"

    /// Names relative to the data directory, e.g. `keys/signing-1.pem`.
    static func names(in data: String) -> [String] {
        let keys = (try? FileManager.default.contentsOfDirectory(atPath: data + "/" + keyDirectory)) ?? []
        var names = keys.filter { $0.hasSuffix(".pem") }.sorted().map { keyDirectory + "/" + $0 }
        if FileManager.default.fileExists(atPath: data + "/" + adminToken) { names.append(adminToken) }
        return names
    }

    /// Whether a name from a backup may be written: only the kinds of file backups carry, so a
    /// crafted backup cannot write elsewhere (`../`).
    static func isRestorable(_ name: String) -> Bool {
        if name == adminToken { return true }
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count == 2 && parts[0] == keyDirectory && parts[1].hasSuffix(".pem")
            && !parts[1].hasPrefix(".") && !parts[1].contains("..")
    }
}
