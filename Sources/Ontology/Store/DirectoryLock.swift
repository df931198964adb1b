import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive `flock` on a file in the store's directory, held while the store is open.
///
/// SQLite 3.40.1 has the WAL-reset bug (sqlite.org/wal.html#walresetbug, fixed in 3.51.3): the
/// database can be corrupted when two connections write or checkpoint at the same time. The
/// store keeps one writer connection that runs every checkpoint; this lock extends that to
/// processes, so a second `registryd` (say `import` while `serve` runs) fails cleanly instead
/// of opening a second writer. The kernel drops the lock when the process dies, `kill -9`
/// included, so a crash never leaves the store locked.
final class DirectoryLock: Sendable {
    private let descriptor: Int32
    private let released = Atomic<Bool>(false)

    init(path: String) throws {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw OntologyError(.io, "cannot open `\(path)`: \(String(cString: strerror(errno)))")
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            close(fd)
            if code == EWOULDBLOCK {
                throw OntologyError(.storeLocked, "the store at `\(path)` is in use by another process")
            }
            throw OntologyError(.io, "cannot lock `\(path)`: \(String(cString: strerror(code)))")
        }
        descriptor = fd
    }

    deinit {
        release()
    }

    /// Unlocks and closes the lock file. Idempotent.
    func release() {
        guard !released.exchange(true, ordering: .sequentiallyConsistent) else { return }
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    /// Creates a directory (and its parents) if it does not exist.
    static func makeDirectory(atPath path: String) throws {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw OntologyError(.io, "cannot create directory `\(prefix)`: \(String(cString: strerror(errno)))")
            }
            prefix += "/"
        }
    }
}
