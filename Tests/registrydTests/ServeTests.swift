import Foundation
import Testing

/// `registryd serve`, started as a real process on a loopback port.
@Suite(.serialized)
struct ServeTests {
    @Test func answersHealthAndJSONErrorsAndStopsOnSIGTERM() throws {
        let daemon = try DaemonProcess()
        let health = try daemon.request("GET", "/health")
        #expect(health.status == 200)
        #expect(health.body.contains(#""status":"ok""#))

        let missing = try daemon.request("GET", "/no/such/endpoint")
        #expect(missing.status == 404)
        #expect(missing.headers["content-type"]?.hasPrefix("application/json") == true)
        #expect(missing.body.contains(#""code":"http.404""#))

        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: daemon.dataDirectory, isDirectory: &isDirectory) && isDirectory.boolValue)
        #expect(try daemon.stop() == 0)
    }

    @Test func badPortIsOneClearError() throws {
        let outcome = try RegistrydBinary.run(["serve", "--port", "70000"])
        #expect(outcome.status != 0)
        #expect(outcome.standardError.contains("--port"))
    }

    @Test func helpDescribesServe() throws {
        let outcome = try RegistrydBinary.run(["serve", "--help"])
        #expect(outcome.status == 0)
        #expect(outcome.standardOutput.contains("--data"))
        #expect(outcome.standardOutput.contains("8470"))
    }
}
