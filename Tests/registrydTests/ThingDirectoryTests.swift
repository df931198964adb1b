import Foundation
import Testing

/// The WoT directory against the real daemon: notifications as Server-Sent Events, and TDs
/// kept across a restart.
struct ThingDirectoryTests {
    static func td(_ id: String, title: String) -> String {
        #"{"@context": "https://www.w3.org/2022/wot/td/v1.1", "id": "\#(id)", "title": "\#(title)", "securityDefinitions": {"nosec_sc": {"scheme": "nosec"}}, "security": "nosec_sc", "properties": {"on": {"type": "boolean", "forms": [{"href": "coap://lamp.example/on"}]}}}"#
    }

    @Test func notificationsNameThingsAndFilterByType() throws {
        let daemon = try DaemonProcess()
        let headers = ["Content-Type": "application/td+json"]
        // A registration that is not a Thing makes no notification.
        _ = try daemon.request("POST", "/v1/services", headers: ["Content-Type": "application/json"],
                               body: RegistryFixtures.manifest(name: "x.example/Other", id: "other-1"))
        #expect(try daemon.request("PUT", "/things/urn:dev:lamp-1", headers: headers, body: Self.td("urn:dev:lamp-1", title: "Lamp")).status == 201)
        #expect(try daemon.request("PUT", "/things/urn:dev:lamp-1", headers: headers, body: Self.td("urn:dev:lamp-1", title: "Lamp 2")).status == 204)
        #expect(try daemon.request("DELETE", "/things/urn:dev:lamp-1").status == 204)
        let all = try daemon.request("GET", "/events?since=0", timeout: 1).body
        let types = all.split(separator: "\n").filter { $0.hasPrefix("event: ") }.map { String($0.dropFirst(7)) }
        #expect(types == ["thing_created", "thing_updated", "thing_deleted"], "\(all)")
        #expect(all.contains(#"data: {"id":"urn:dev:lamp-1"}"#))
        let deleted = try daemon.request("GET", "/events/thing_deleted?since=0", timeout: 1).body
        #expect(deleted.split(separator: "\n").filter { $0.hasPrefix("event: ") } == ["event: thing_deleted"])
        #expect(try daemon.request("GET", "/events/thing_exploded").status == 404)
        // A stream resumes after the last event it saw.
        let resumed = try daemon.request("GET", "/events", headers: ["Last-Event-ID": "0"], timeout: 1).body
        #expect(resumed.contains("event: thing_created"))
        try daemon.stop()
    }

    @Test func aStoredTDSurvivesARestart() throws {
        let daemon = try DaemonProcess()
        let text = Self.td("urn:dev:lamp-2", title: "Kept")
        #expect(try daemon.request("PUT", "/things/urn:dev:lamp-2", headers: ["Content-Type": "application/td+json"], body: text).status == 201)
        try daemon.stop()
        let again = try DaemonProcess(dataDirectory: daemon.dataDirectory)
        let get = try again.request("GET", "/things/urn:dev:lamp-2")
        #expect(get.status == 200)
        #expect(get.body == text)
        let query = "PREFIX td: <https://www.w3.org/2019/wot/td#> ASK { <urn:dev:lamp-2> a td:Thing ; td:title \"Kept\" ; td:hasPropertyAffordance/td:hasForm/<https://www.w3.org/2019/wot/hypermedia#hasTarget> <coap://lamp.example/on> }"
        let ask = try again.request("GET", "/sparql?query=" + query.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
        #expect(ask.body.contains(#""boolean":true"#), "\(ask.body)")
        try again.stop()
    }

    /// WoT Discovery §7.2.2.2: a TD with `registration.ttl` goes when its lease runs out.
    @Test func aTDExpiresAfterItsTTL() throws {
        let daemon = try DaemonProcess()
        let text = Self.td("urn:dev:lamp-3", title: "Brief").replacingOccurrences(of: #""title""#, with: #""registration": {"ttl": 1}, "title""#)
        #expect(try daemon.request("PUT", "/things/urn:dev:lamp-3", headers: ["Content-Type": "application/td+json"], body: text).status == 201)
        #expect(try daemon.request("GET", "/things/urn:dev:lamp-3").status == 200)
        let deadline = Date().addingTimeInterval(10)
        var status = 200
        while status == 200 && Date() < deadline {
            usleep(200_000)
            status = try daemon.request("GET", "/things/urn:dev:lamp-3").status
        }
        #expect(status == 404)
        let events = try daemon.request("GET", "/events/thing_deleted?since=0", timeout: 1).body
        #expect(events.contains(#"data: {"id":"urn:dev:lamp-3"}"#), "\(events)")
        let stale = Self.td("urn:dev:lamp-4", title: "Stale").replacingOccurrences(of: #""title""#, with: #""registration": {"expires": "2020-01-01T00:00:00Z"}, "title""#)
        let refused = try daemon.request("PUT", "/things/urn:dev:lamp-4", headers: ["Content-Type": "application/td+json"], body: stale)
        #expect(refused.status == 400)
        #expect(refused.body.contains("things.ttl"))
        try daemon.stop()
    }
}
