import Foundation

/// Runs the built `registryd` executable, as a user would from a shell.
struct RegistrydBinary {
    struct Outcome {
        let status: Int32
        let standardOutput: String
        let standardError: String
    }

    /// The folder SwiftPM put the products in (the test bundle sits beside them).
    static var productsDirectory: URL {
        Bundle.main.bundleURL
    }

    static func run(_ arguments: [String]) throws -> Outcome {
        let process = Process()
        process.executableURL = productsDirectory.appendingPathComponent("registryd")
        process.arguments = arguments
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        // Read before waiting, so a large output cannot fill the pipe and stall the child.
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus,
                       standardOutput: String(decoding: outputData, as: UTF8.self),
                       standardError: String(decoding: errorData, as: UTF8.self))
    }

    /// Writes `contents` to a new temporary file with the given extension.
    static func temporaryFile(_ contents: String, extension fileExtension: String) throws -> String {
        let path = NSTemporaryDirectory() + "registryd-test-\(UUID().uuidString).\(fileExtension)"
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
