import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The files of a ``KeyRing`` directory: `signing-<n>.pem`, private to the owner.
enum KeyFile {
    /// The serial number in a key file name, or nil for any other name.
    static func serial(ofName name: String) -> Int? {
        guard name.hasPrefix("signing-"), name.hasSuffix(".pem") else { return nil }
        let digits = name.dropFirst("signing-".count).dropLast(".pem".count)
        // Plain decimal only, so `signing-+1.pem` or `signing-01.pem` never alias `signing-1.pem`.
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
              digits.first != "0" || digits.count == 1, let serial = Int(digits), serial > 0
        else { return nil }
        return serial
    }

    static func name(serial: Int) -> String { "signing-\(serial).pem" }

    /// The serial numbers of the key files in `directory`, ascending.
    static func serials(in directory: String) throws -> [Int] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw JOSEError.io("cannot list \(directory): \(error.localizedDescription)")
        }
        return names.compactMap(serial(ofName:)).sorted()
    }

    /// Creates `directory` (and its parents), owner-only, when it does not exist.
    static func createDirectory(_ directory: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw JOSEError.io("\(directory) exists and is not a directory") }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw JOSEError.io("cannot create \(directory): \(error.localizedDescription)")
        }
    }

    static func read(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else { throw JOSEError.io("cannot read \(path)") }
        return String(decoding: data, as: UTF8.self)
    }

    /// Writes `contents` to `path` with mode 0600 so that readers see either no file or the whole
    /// file: a temporary file in the same directory, fsync, rename, then fsync of the directory so
    /// the rename itself survives a crash.
    static func writeAtomically(_ contents: String, to path: String, in directory: String) throws {
        let temporary = directory + "/.\(UUID().uuidString).pem.tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw JOSEError.io("cannot create \(temporary): \(errnoText())") }
        var renamed = false
        defer { if !renamed { unlink(temporary) } }

        let bytes = Array(contents.utf8)
        var written = 0
        var failure: String?
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return write(descriptor, base + written, buffer.count - written)
            }
            if result < 0 {
                if errno == EINTR { continue }
                failure = "cannot write \(temporary): \(errnoText())"
                break
            }
            written += result
        }
        // The mode given to open is filtered by the umask; set it explicitly so it is exactly 0600.
        if failure == nil, fchmod(descriptor, 0o600) != 0 { failure = "cannot chmod \(temporary): \(errnoText())" }
        if failure == nil, fsync(descriptor) != 0 { failure = "cannot fsync \(temporary): \(errnoText())" }
        close(descriptor)
        if let failure { throw JOSEError.io(failure) }

        guard rename(temporary, path) == 0 else { throw JOSEError.io("cannot rename to \(path): \(errnoText())") }
        renamed = true
        let directoryDescriptor = open(directory, O_RDONLY | O_CLOEXEC)
        if directoryDescriptor >= 0 {
            _ = fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
    }

    static func remove(_ path: String) throws {
        guard unlink(path) == 0 || errno == ENOENT else { throw JOSEError.io("cannot delete \(path): \(errnoText())") }
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}
