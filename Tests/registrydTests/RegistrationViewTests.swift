import Foundation
import JSON
import Testing
@testable import Registry
@testable import registryd

/// The answer of a registration write is written directly (``JSONTextWriter``); it must be the
/// text the view's `Encodable` form gives, as the lists and GET answers use it.
@Suite struct RegistrationViewTests {
    @Test func writtenViewsAreTheEncodedViews() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let data = try Data(contentsOf: root.appendingPathComponent("examples/weight-management/weather.json"))
        let manifest = try ManifestDecoder.decode(data)
        var registration = Registration(
            id: "weather-1", manifest: manifest, source: .manifest, document: nil, instanceNode: nil, pullURL: nil,
            health: .ok, healthNote: nil, leaseExpires: nil, created: 1_795_000_000_000, updated: 1_795_000_000_123, index: 42, owner: nil)
        var views = [RegistrationView(registration), RegistrationView(registration, detailed: true)]
        registration.manifest.instance.ttlMilliseconds = 30_500
        registration.leaseExpires = 1_795_000_030_623
        registration.pullURL = "http://127.0.0.1:9/introspect"
        registration.health = .degraded
        registration.healthNote = "slow \"check\"\n"
        registration.manifest.instance.host = "edge-3"
        views += [RegistrationView(registration), RegistrationView(registration, detailed: true)]
        for view in views {
            #expect(view.compactJSON == (try CompactJSONEncoder.encode(view)))
        }
        #expect(views[2].compactJSON.contains(#""lease":{"expires":"#) && views[0].compactJSON.contains(#""lease":null"#))
    }
}
