import Foundation
internal import CSQLite
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a backup holds, read back from the backup file itself.
public struct StoreBackupSummary: Sendable, Equatable {
    /// Quads in the backup (all graphs).
    public var quads: Int
    /// The highest change-log sequence number in the backup: every change up to it is in, none after.
    public var lastChange: Int
    /// Files kept beside the store (signing keys, say), by name.
    public var attachments: [String: [UInt8]]
}

extension QuadStore {
    /// Writes a consistent copy of the store in `directory` to `file`, while a daemon may be
    /// serving from it.
    ///
    /// The copy is SQLite's `VACUUM INTO`, which reads inside one read transaction: it sees the
    /// store as of one commit, whatever the writer does meanwhile (WAL readers never block the
    /// writer nor are blocked by it). The connection is read-only, so it never writes nor
    /// checkpoints the live database. `attachments` are stored in the copy, in a table of their
    /// own. The copy is written beside `file` and renamed into place once complete and synced,
    /// so `file` is never half written.
    ///
    /// - Throws: ``OntologyError`` `io` when there is no store or `file` cannot be written,
    ///   `store.schema` when the directory does not hold a registryd store.
    @discardableResult
    public static func backup(directory: String, to file: String, attachments: [String: [UInt8]] = [:]) throws -> StoreBackupSummary {
        let source = directory + "/store.sqlite"
        guard FileManager.default.fileExists(atPath: source) else {
            throw OntologyError(.io, "no registryd store in `\(directory)`")
        }
        let partial = file + ".partial"
        unlink(partial)
        do {
            let connection = try SQLiteConnection(path: source, readOnly: true)
            connection.setBusyTimeout(milliseconds: 10_000)
            guard try connection.scalar("PRAGMA application_id") == StoreSchema.applicationID else {
                throw OntologyError(.storeSchema, "`\(source)` is not a registryd store")
            }
            try connection.withStatement("VACUUM INTO ?") { statement in
                statement.bind(partial, at: 1)
                try statement.run()
            }
            connection.close()

            let copy = try SQLiteConnection(path: partial, readOnly: false)
            defer { copy.close() }
            // The copy keeps the source's WAL flag; a backup is one self-contained file.
            try copy.execute("PRAGMA journal_mode = DELETE; PRAGMA synchronous = FULL")
            try copy.execute("BEGIN; CREATE TABLE backup_attachment(name TEXT PRIMARY KEY, content TEXT NOT NULL)")
            for (name, content) in attachments.sorted(by: { $0.key < $1.key }) {
                try copy.withStatement("INSERT INTO backup_attachment(name, content) VALUES (?, ?)") { statement in
                    statement.bind(name, at: 1)
                    statement.bind(Data(content).base64EncodedString(), at: 2)
                    try statement.run()
                }
            }
            try copy.execute("COMMIT")
            let summary = try summarize(copy)
            copy.close()
            try syncAndRename(partial, to: file)
            return summary
        } catch {
            unlink(partial)
            throw error
        }
    }

    /// Replaces the store in `directory` with the backup in `file` and returns what it held.
    ///
    /// The daemon must be stopped: the store's directory lock is taken first (`store.locked`
    /// otherwise). The backup is checked (`PRAGMA integrity_check`, the store format) on a copy
    /// before the live files are touched; the copy then replaces `store.sqlite` by a rename,
    /// after the old write-ahead log is removed so that it cannot be replayed into the new file.
    ///
    /// - Throws: ``OntologyError`` `store.locked`, `store.schema` (not a registryd backup, or
    ///   damaged), `io`.
    public static func restore(from file: String, into directory: String) throws -> StoreBackupSummary {
        guard FileManager.default.fileExists(atPath: file) else {
            throw OntologyError(.io, "no backup file `\(file)`")
        }
        try DirectoryLock.makeDirectory(atPath: directory)
        let lock = try DirectoryLock(path: directory + "/store.lock")
        defer { lock.release() }
        let target = directory + "/store.sqlite"
        let partial = target + ".restoring"
        unlink(partial)
        do {
            do {
                try FileManager.default.copyItem(atPath: file, toPath: partial)
            } catch {
                throw OntologyError(.io, "cannot copy `\(file)` into `\(directory)`: \(error.localizedDescription)")
            }
            let copy = try SQLiteConnection(path: partial, readOnly: false)
            defer { copy.close() }
            let check: String
            do {
                check = try copy.scalarText("PRAGMA integrity_check")
            } catch {
                throw OntologyError(.storeSchema, "`\(file)` is not a registryd backup (\(error))")
            }
            guard check == "ok" else { throw OntologyError(.storeSchema, "`\(file)` is damaged: \(check)") }
            guard try copy.scalar("PRAGMA application_id") == StoreSchema.applicationID,
                  try copy.scalar("SELECT count(*) FROM sqlite_schema WHERE name = 'backup_attachment'") == 1 else {
                throw OntologyError(.storeSchema, "`\(file)` is not a registryd backup")
            }
            let summary = try summarize(copy)
            try copy.execute("DROP TABLE backup_attachment; PRAGMA journal_mode = WAL")
            copy.close()
            unlink(target + "-wal")
            unlink(target + "-shm")
            try syncAndRename(partial, to: target)
            return summary
        } catch {
            unlink(partial)
            throw error
        }
    }

    private static func summarize(_ connection: SQLiteConnection) throws -> StoreBackupSummary {
        let quads = try connection.scalar("SELECT (SELECT count(*) FROM dquad) + (SELECT count(*) FROM nquad)")
        let last = try connection.scalar("SELECT coalesce(max(seq), 0) FROM journal")
        var attachments: [String: [UInt8]] = [:]
        try connection.withStatement("SELECT name, content FROM backup_attachment") { statement in
            while try statement.step() {
                guard let data = Data(base64Encoded: statement.string(at: 1)) else {
                    throw OntologyError(.storeSchema, "attachment `\(statement.string(at: 0))` of the backup is damaged")
                }
                attachments[statement.string(at: 0)] = [UInt8](data)
            }
        }
        return StoreBackupSummary(quads: Int(quads), lastChange: Int(last), attachments: attachments)
    }

    /// fsyncs `path`, renames it to `target`, and fsyncs the directory, so that after a crash
    /// `target` is either the old file or the whole new one.
    private static func syncAndRename(_ path: String, to target: String) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0, fsync(fd) == 0 else {
            if fd >= 0 { closeDescriptor(fd) }
            throw OntologyError(.io, "cannot sync `\(path)`: \(String(cString: strerror(errno)))")
        }
        closeDescriptor(fd)
        guard rename(path, target) == 0 else {
            throw OntologyError(.io, "cannot write `\(target)`: \(String(cString: strerror(errno)))")
        }
        let directory = (target as NSString).deletingLastPathComponent
        let dfd = open(directory.isEmpty ? "." : directory, O_RDONLY)
        if dfd >= 0 {
            fsync(dfd)
            closeDescriptor(dfd)
        }
    }

    /// `close(2)`; inside `QuadStore` the bare name is the store's own `close()`.
    private static func closeDescriptor(_ fd: Int32) {
        #if canImport(Glibc)
        _ = Glibc.close(fd)
        #else
        _ = Darwin.close(fd)
        #endif
    }
}
