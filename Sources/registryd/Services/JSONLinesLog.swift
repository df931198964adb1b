import Foundation
import Synchronization

/// An append-only file of JSON lines (or standard output) that rotates by size: the decision
/// and audit logs. When a write would take the file past `maxBytes`, it is renamed to `.1`
/// (`.1` to `.2`, ..., the oldest of `keep` dropped) and a new file is started.
///
/// One `write(2)` per line under a lock, not buffered: a line is in the file (and visible to a
/// log shipper) when the request it records is answered, and a crash loses no answered line.
final class JSONLinesLog: Sendable {
    private struct State {
        var descriptor: Int32
        var size: Int
    }

    let path: String
    let maxBytes: Int
    let keep: Int
    private let state: Mutex<State>

    /// Opens (creating, appending to) `path`; `-` is standard output, which never rotates.
    init(path: String, maxBytes: Int, keep: Int) throws(CommandFailure) {
        self.path = path
        self.maxBytes = maxBytes
        self.keep = max(1, keep)
        if path == "-" {
            state = Mutex(State(descriptor: STDOUT_FILENO, size: 0))
            return
        }
        let descriptor = Self.open(path)
        guard descriptor >= 0 else { throw CommandFailure("cannot open the log file \(path): \(String(cString: strerror(errno)))") }
        var status = stat()
        fstat(descriptor, &status)
        state = Mutex(State(descriptor: descriptor, size: Int(status.st_size)))
    }

    deinit {
        state.withLock { state in
            if state.descriptor != STDOUT_FILENO { close(state.descriptor) }
        }
    }

    /// Appends `line` and a newline.
    func write(_ line: String) {
        var bytes = Array(line.utf8)
        bytes.append(UInt8(ascii: "\n"))
        state.withLock { state in
            if path != "-", state.size > 0, state.size + bytes.count > maxBytes { rotate(&state) }
            let written = bytes.withUnsafeBytes { Foundation.write(state.descriptor, $0.baseAddress, $0.count) }
            if written > 0 { state.size += written }
        }
    }

    private func rotate(_ state: inout State) {
        close(state.descriptor)
        for generation in stride(from: keep - 1, through: 1, by: -1) {
            rename("\(path).\(generation)", "\(path).\(generation + 1)")
        }
        rename(path, "\(path).1")
        state.descriptor = Self.open(path)
        state.size = 0
    }

    private static func open(_ path: String) -> Int32 {
        Foundation.open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o640)
    }
}
