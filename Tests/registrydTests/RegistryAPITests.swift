import Foundation
import Synchronization
import Testing

/// The registry API of a real daemon over HTTP: registration in every format, discovery,
/// leases and events, name resolution with compare-and-swap, and tokens.
@Suite(.serialized)
struct RegistryAPITests {
    typealias F = RegistryFixtures

    @Test func registersEveryFormatAndFindsThemWithReasoningAndFilters() throws {
        let files = try StaticFileServer(directory: F.root.appendingPathComponent("examples").path)
        let daemon = try DaemonProcess(arguments: ["--pull-allow", "127.0.0.1"])
        // The domain ontology says a wm:Wristband is a sosa:Sensor.
        let domain = try daemon.request("PUT", "/rdf-graphs?graph=" + F.form("http://example.org/weight-management"),
                                        headers: ["Content-Type": "application/rdf+xml"], body: try F.file("examples/domain/weight-management.rdf"))
        #expect(domain.status == 201 || domain.status == 204)

        for name in ["weather", "calendar", "recommender", "smartphone", "wristband"] {
            let response = try daemon.request("POST", "/v1/services", headers: ["Content-Type": "application/json"],
                                              body: try F.file("examples/weight-management/\(name).json"))
            #expect(response.status == 201, "\(name): \(response.body)")
        }
        let rdf = try daemon.request("POST", "/v1/services", headers: ["Content-Type": "application/rdf+xml"],
                                     body: try F.file("examples/rdfxml/thermostat.rdf"))
        #expect(rdf.status == 201, "\(rdf.body)")
        #expect(F.json(rdf.body)["source"] as? String == "rdf")
        let td = try daemon.request("POST", "/v1/services?name=" + F.form("clinic.example/AirQuality") + "&tier=fog",
                                    headers: ["Content-Type": "application/td+json"], body: try F.file("examples/td/air-quality.td.json"))
        #expect(td.status == 201, "\(td.body)")
        #expect(F.json(td.body)["name"] as? String == "clinic.example/AirQuality")
        #expect(F.json(td.body)["tier"] as? String == "fog")
        let pulled = try daemon.request("POST", "/v1/services/pull", headers: ["Content-Type": "application/json"],
                                        body: #"{"url": "http://127.0.0.1:\#(files.port)/telemedicine/patient-monitor.json"}"#)
        #expect(pulled.status == 201, "\(pulled.body)")
        let pulledID = try #require(F.json(pulled.body)["id"] as? String)
        #expect(F.json(pulled.body)["pullURL"] as? String == "http://127.0.0.1:\(files.port)/telemedicine/patient-monitor.json")
        let again = try daemon.request("POST", "/v1/services/\(pulledID)/pull")
        #expect(again.status == 200, "\(again.body)")
        let refused = try daemon.request("POST", "/v1/services/pull", headers: ["Content-Type": "application/json"],
                                         body: #"{"url": "http://localhost:\#(files.port)/telemedicine/ehr.json"}"#)
        #expect(refused.status == 403)
        #expect(refused.body.contains("pull.host_not_allowed"))

        // SPARQL with reasoning: the wristband (a wm:Wristband) is found as a sosa:Sensor.
        let query = """
            PREFIX sosa: <http://www.w3.org/ns/sosa/> PREFIX ms: <https://w3id.org/registryd/ms#>
            SELECT DISTINCT ?name WHERE { ?service a ms:Microservice ; ms:name ?name ; ms:exposes ?device . ?device a sosa:Sensor } ORDER BY ?name
            """
        let found = try daemon.request("GET", "/sparql?query=" + F.form(query), headers: ["Accept": "text/csv"])
        #expect(found.status == 200)
        #expect(found.body.contains("snac.asu.edu/Wristband"), "\(found.body)")
        let without = try daemon.request("GET", "/sparql?reasoning=false&query=" + F.form(query), headers: ["Accept": "text/csv"])
        #expect(!without.body.contains("snac.asu.edu/Wristband"), "without reasoning the subclass is not a sosa:Sensor")
        // And through the ontology alignment: every microservice is an iot-lite:Service.
        let services = try daemon.request("GET", "/sparql?query=" + F.form(
            "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a <http://purl.oclc.org/NET/UNIS/fiware/iot-lite#Service> }"), headers: ["Accept": "text/csv"])
        #expect(services.body.contains("\r\n8"), "\(services.body)")

        // REST filters.
        let sensors = F.ids(try daemon.request("GET", "/v1/services?class=sosa:Sensor").body)
        #expect(sensors.contains { $0.hasPrefix("wristband") })
        #expect(!sensors.contains("calendar-cloud-1"))
        let snac = F.ids(try daemon.request("GET", "/v1/services?name=snac.asu.edu/").body)
        #expect(snac.count == 6)
        let edge = try daemon.request("GET", "/v1/services?tier=edge&name=snac.asu.edu/")
        for service in F.json(edge.body)["services"] as? [[String: Any]] ?? [] { #expect(service["tier"] as? String == "edge") }
        let mqtt = F.ids(try daemon.request("GET", "/v1/services?protocol=mqtt").body)
        #expect(mqtt.contains("thermostat-edge-1"))
        #expect(!mqtt.contains("calendar-cloud-1"))
        let bad = try daemon.request("GET", "/v1/services?tier=moon")
        #expect(bad.status == 400)
        try daemon.stop()
    }

    @Test func expiredLeaseRemovesTheInstanceAndEmitsAnEvent() throws {
        let daemon = try DaemonProcess()
        let short = try daemon.request("POST", "/v1/services", body: F.manifest(name: "snac.asu.edu/Ephemeral", id: "eph-1", ttl: "2s"))
        #expect(short.status == 201)
        let kept = try daemon.request("POST", "/v1/services", body: F.manifest(name: "snac.asu.edu/Renewed", id: "ren-1", ttl: "2s"))
        let start = try #require(F.json(short.body)["index"] as? Int)
        #expect(kept.status == 201)
        // Renew one lease every 300 ms for 3 s; the other is left to expire.
        for _ in 0..<10 {
            #expect(try daemon.request("PUT", "/v1/services/ren-1/lease").status == 200)
            Thread.sleep(forTimeInterval: 0.3)
        }
        #expect(try daemon.request("GET", "/v1/services/eph-1").status == 404)
        #expect(try daemon.request("GET", "/v1/services/ren-1").status == 200)
        #expect(try daemon.request("GET", "/v1/resolve?name=" + F.form("snac.asu.edu/Ephemeral/main/op")).status == 404)
        let events = try daemon.request("GET", "/v1/events?since=\(start)", timeout: 1)
        #expect(events.headers["content-type"] == "text/event-stream")
        #expect(events.body.contains("event: service.expired"), "\(events.body)")
        #expect(events.body.contains(#""id":"eph-1""#))
        // The stream also delivers a change made while it is open.
        let watcher = Thread {
            Thread.sleep(forTimeInterval: 0.3)
            _ = try? daemon.request("POST", "/v1/services", body: F.manifest(name: "snac.asu.edu/Live", id: "live-1"))
        }
        watcher.start()
        let live = try daemon.request("GET", "/v1/events", timeout: 1.5)
        #expect(live.body.contains("event: service.registered"), "\(live.body)")
        #expect(live.body.contains(#""id":"live-1""#))
        try daemon.stop()
    }

    @Test func healthChecksSetHealthAndResolutionFollows() throws {
        let files = try StaticFileServer(directory: F.root.appendingPathComponent("examples").path)
        let daemon = try DaemonProcess(arguments: ["--pull-allow", "127.0.0.1"])
        func register(_ id: String, check url: String) throws -> Int {
            var manifest = F.manifest(name: "snac.asu.edu/Checked", id: id, url: "http://10.0.0.1/\(id)")
            manifest = manifest.replacingOccurrences(of: #""weight": 100"#, with: #""weight": 100, "check": {"http": "\#(url)", "interval": "1s", "timeout": "1s"}"#)
            return try daemon.request("POST", "/v1/services", body: manifest).status
        }
        #expect(try register("up", check: "http://127.0.0.1:\(files.port)/td/air-quality.td.json") == 201)
        #expect(try register("down", check: "http://127.0.0.1:\(files.port)/no-such-file") == 201)
        #expect(try register("elsewhere", check: "http://localhost:\(files.port)/td/air-quality.td.json") == 201)
        Thread.sleep(forTimeInterval: 2)
        let up = F.json(try daemon.request("GET", "/v1/services/up").body)
        let down = F.json(try daemon.request("GET", "/v1/services/down").body)
        let elsewhere = F.json(try daemon.request("GET", "/v1/services/elsewhere").body)
        #expect(up["health"] as? String == "ok")
        #expect(down["health"] as? String == "broken")
        #expect((down["healthNote"] as? String)?.contains("404") == true, "\(down)")
        #expect(elsewhere["health"] as? String == "broken")
        #expect((elsewhere["healthNote"] as? String)?.contains("pull-allow") == true, "\(elsewhere)")
        let resolved = F.json(try daemon.request("GET", "/v1/resolve?name=" + F.form("snac.asu.edu/Checked/main/op")).body)
        let instances = Set((resolved["endpoints"] as? [[String: Any]] ?? []).compactMap { $0["instance"] as? String })
        #expect(instances == ["up"], "broken instances are left out")
        // Reported health: a status from the list and a string note, nothing else.
        #expect(try daemon.request("PUT", "/v1/services/up/health", body: #"{"status": "degraded", "note": {"x": 1}}"#).status == 400)
        #expect(try daemon.request("PUT", "/v1/services/up/health", body: #"{"status": "sick"}"#).status == 400)
        let degraded = try daemon.request("PUT", "/v1/services/up/health", body: #"{"status": "degraded", "note": "high latency"}"#)
        #expect(F.json(degraded.body)["health"] as? String == "degraded")
        try daemon.stop()
    }

    @Test func hostsGoOfflineWithoutHeartbeatsAndComeBack() throws {
        let daemon = try DaemonProcess()
        let created = try daemon.request("POST", "/v1/hosts", body: #"{"id": "edge-gw-7", "architecture": "arm64", "os": "linux", "tier": "edge", "location": "building 7", "ttl": "1s"}"#)
        #expect(created.status == 201, "\(created.body)")
        #expect(try daemon.request("POST", "/v1/hosts", body: #"{"id": "cloud-1", "tier": "cloud", "ttl": "1h"}"#).status == 201)
        #expect(try daemon.request("POST", "/v1/hosts", body: #"{"id": "x", "cpu": "fast"}"#).status == 400)
        let edge = F.json(try daemon.request("GET", "/v1/hosts?tier=edge&status=online").body)["hosts"] as? [[String: Any]] ?? []
        #expect(edge.compactMap { $0["id"] as? String } == ["edge-gw-7"])
        Thread.sleep(forTimeInterval: 1.6)
        let silent = F.json(try daemon.request("GET", "/v1/hosts/edge-gw-7").body)
        #expect(silent["status"] as? String == "offline")
        // The host is in the store as RDF too, with its status.
        let ask = "ASK { ?h a <https://w3id.org/registryd/ms#Host> ; <https://w3id.org/registryd/ms#hostStatus> <https://w3id.org/registryd/ms#Offline> ; <https://w3id.org/registryd/ms#architecture> \"arm64\" }"
        #expect(try daemon.request("GET", "/sparql?query=" + F.form(ask)).body.contains("true"))
        #expect(try daemon.request("PUT", "/v1/hosts/edge-gw-7/heartbeat").status == 200)
        #expect(F.json(try daemon.request("GET", "/v1/hosts/edge-gw-7").body)["status"] as? String == "online")
        let events = try daemon.request("GET", "/v1/events?since=0", timeout: 0.5).body
        #expect(events.contains("event: host.offline") && events.contains("event: host.online"))
        try daemon.stop()
    }

    @Test func longPollReturnsWhenTheIndexMoves() throws {
        let daemon = try DaemonProcess()
        let first = try daemon.request("GET", "/v1/services")
        let index = try #require(Int(first.headers["x-registryd-index"] ?? ""))
        let registrar = Thread {
            Thread.sleep(forTimeInterval: 0.5)
            _ = try? daemon.request("POST", "/v1/services", body: F.manifest(name: "snac.asu.edu/Late", id: "late-1"))
        }
        registrar.start()
        let began = Date()
        let blocked = try daemon.request("GET", "/v1/services?index=\(index)&wait=10s")
        let waited = Date().timeIntervalSince(began)
        #expect(waited >= 0.4 && waited < 5, "waited \(waited) s")
        #expect(F.ids(blocked.body) == ["late-1"])
        #expect(Int(blocked.headers["x-registryd-index"] ?? "") ?? 0 > index)
        let timedOut = try daemon.request("GET", "/v1/services?index=\(index + 1)&wait=300ms")
        #expect(timedOut.status == 200)
        try daemon.stop()
    }

    @Test func compareAndSwapFlipsANameWhileReadersResolve() throws {
        let daemon = try DaemonProcess()
        let name = "snac.asu.edu/Recommender"
        #expect(try daemon.request("POST", "/v1/services", body: F.manifest(name: name, id: "source", url: "http://10.0.0.1/op")).status == 201)
        #expect(try daemon.request("POST", "/v1/services", body: F.manifest(name: name, id: "target", url: "http://10.0.0.9/op")).status == 201)
        let pinPath = "/v1/resolve/pin?name=" + F.form(name + "/main")
        let first = try daemon.request("PUT", pinPath, body: #"{"generation": 0, "instances": ["source"]}"#)
        #expect(first.status == 200, "\(first.body)")
        #expect(F.json(first.body)["generation"] as? Int == 1)

        let stop = Atomic<Bool>(false)
        let seen = Mutex<[Set<String>]>([])
        let port = daemon.port
        let token = daemon.adminToken
        var readers: [Thread] = []
        for _ in 0..<3 {
            let reader = Thread {
                while !stop.load(ordering: .relaxed) {
                    guard let response = try? HTTPTestClient(port: port).send("GET", "/v1/resolve?name=" + F.form(name + "/main/op"),
                                                                              headers: ["Authorization": "Bearer " + token]) else { continue }
                    let endpoints = F.json(response.body)["endpoints"] as? [[String: Any]] ?? []
                    seen.withLock { $0.append(Set(endpoints.compactMap { $0["instance"] as? String })) }
                }
            }
            reader.start()
            readers.append(reader)
        }
        Thread.sleep(forTimeInterval: 0.3)
        let flip = try daemon.request("PUT", pinPath, body: #"{"generation": 1, "instances": ["target"]}"#)
        #expect(flip.status == 200, "\(flip.body)")
        let stale = try daemon.request("PUT", pinPath, body: #"{"generation": 1, "instances": ["source"]}"#)
        #expect(stale.status == 409)
        #expect(stale.body.contains("registry.conflict"))
        Thread.sleep(forTimeInterval: 0.3)
        stop.store(true, ordering: .relaxed)
        while readers.contains(where: \.isExecuting) { Thread.sleep(forTimeInterval: 0.01) }

        let answers = seen.withLock { $0 }
        #expect(answers.count > 20)
        // Every answer names exactly one side: never both, never none.
        #expect(answers.allSatisfy { $0 == ["source"] || $0 == ["target"] }, "\(Set(answers))")
        #expect(answers.first == ["source"])
        #expect(answers.last == ["target"])
        // Once a reader saw the target, it never went back to the source.
        if let firstTarget = answers.firstIndex(of: ["target"]) {
            #expect(answers[firstTarget...].filter { $0 == ["source"] }.count <= 2, "readers interleave, but only around the flip")
        }
        let resolved = F.json(try daemon.request("GET", "/v1/resolve?name=" + F.form(name + "/main")).body)
        #expect(resolved["generation"] as? Int == 2)
        try daemon.stop()
    }

    @Test func tokensAndScopes() throws {
        let daemon = try DaemonProcess()
        #expect(try daemon.request("GET", "/v1/services", as: .none).status == 401)
        #expect(try daemon.request("GET", "/sparql?query=" + F.form("ASK {}"), as: .none).status == 401)
        #expect(try daemon.request("GET", "/v1/services", as: .bearer("rgd_not-a-token")).status == 401)
        #expect(try daemon.request("GET", "/health", as: .none).status == 200)

        let created = try daemon.request("POST", "/v1/tokens", body: #"{"scopes": ["register:snac.asu.edu/"], "description": "weather team"}"#)
        #expect(created.status == 201)
        let register = try #require(F.json(created.body)["token"] as? String)
        let queryToken = try #require(F.json(try daemon.request("POST", "/v1/tokens", body: #"{"scopes": ["query"]}"#).body)["token"] as? String)

        #expect(try daemon.request("POST", "/v1/services", body: F.manifest(name: "snac.asu.edu/Weather", id: "w1"),
                                   as: .bearer(register)).status == 201)
        let before = try daemon.request("GET", "/v1/services")
        let outside = try daemon.request("POST", "/v1/services", body: F.manifest(name: "vehicle.example/Platoon", id: "p1"), as: .bearer(register))
        #expect(outside.status == 403)
        #expect(outside.body.contains("auth.forbidden"))
        // The same id cannot be taken over under another name, nor removed by a query token.
        let takeover = try daemon.request("PUT", "/v1/services/w1", body: F.manifest(name: "vehicle.example/Platoon", id: "w1"), as: .bearer(register))
        #expect(takeover.status == 403)
        #expect(try daemon.request("DELETE", "/v1/services/w1", as: .bearer(queryToken)).status == 403)
        #expect(try daemon.request("POST", "/update", headers: ["Content-Type": "application/sparql-update"],
                                   body: "INSERT DATA { <http://e/a> <http://e/b> 1 }", as: .bearer(queryToken)).status == 403)
        #expect(try daemon.request("POST", "/v1/tokens", body: #"{"scopes": ["admin"]}"#, as: .bearer(register)).status == 403)
        #expect(try daemon.request("GET", "/v1/services", as: .bearer(queryToken)).status == 200)
        let after = try daemon.request("GET", "/v1/services")
        #expect(F.ids(after.body) == F.ids(before.body))
        #expect(after.headers["x-registryd-index"] == before.headers["x-registryd-index"])

        // A revoked token is refused on its next request, though it was just used.
        let listed = F.json(try daemon.request("GET", "/v1/tokens").body)["tokens"] as? [[String: Any]] ?? []
        let queryID = try #require(listed.first { ($0["scopes"] as? [String]) == ["query"] }?["id"] as? String)
        #expect(try daemon.request("DELETE", "/v1/tokens/\(queryID)").status == 200)
        let refused = try daemon.request("GET", "/v1/services", as: .bearer(queryToken))
        #expect(refused.status == 401)
        #expect(refused.body.contains("auth.invalid_token"))
        #expect(try daemon.request("POST", "/v1/services", body: F.manifest(name: "snac.asu.edu/Weather", id: "w2"),
                                   as: .bearer(register)).status == 201, "other tokens keep working")
        try daemon.stop()
    }

    @Test func badRegistrationsAreRefusedAndChangeNothing() throws {
        let daemon = try DaemonProcess(arguments: ["--max-manifest-kib", "4"])
        #expect(try daemon.request("POST", "/v1/services", body: F.manifest(name: "snac.asu.edu/Good", id: "good")).status == 201)
        let before = try daemon.request("GET", "/v1/services")
        var wrongField = F.manifest(name: "snac.asu.edu/Bad", id: "bad")
        wrongField = wrongField.replacingOccurrences(of: #""url""#, with: #""ur""#)
        let cases: [(String, [String: String], String, String)] = [
            ("not JSON", [:], "{\"name\": ", "manifest.syntax"),
            ("unknown field", [:], wrongField, "objects[0].methods[0].endpoints[0].ur"),
            ("bad name", [:], F.manifest(name: "snac.asu.edu/../etc", id: "bad"), "registry.invalid_name"),
            ("look-alike", [:], F.manifest(name: "snаc.asu.edu/Weather", id: "bad"), "registry.invalid_name"),
            ("no version", [:], #"{"name": "snac.asu.edu/X"}"#, "version"),
            ("bad tier", [:], F.manifest(name: "snac.asu.edu/Bad", id: "bad", tier: "moon"), "instance.tier"),
            ("too large", [:], F.manifest(name: "snac.asu.edu/Big", id: "big") + String(repeating: " ", count: 5000), "request.too_large"),
            ("wrong type", ["Content-Type": "application/x-yaml"], "name: x", "request.unsupported_media_type"),
            ("bad RDF", ["Content-Type": "application/rdf+xml"], "<rdf:RDF", "manifest.syntax"),
            ("XXE", ["Content-Type": "application/rdf+xml"], """
                <?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
                <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="http://e/a"><rdf:value>&x;</rdf:value></rdf:Description></rdf:RDF>
                """, "error"),
        ]
        for (label, headers, body, expected) in cases {
            var allHeaders = ["Content-Type": "application/json"]
            allHeaders.merge(headers) { $1 }
            let response = try daemon.request("POST", "/v1/services", headers: allHeaders, body: body)
            #expect((400..<500).contains(response.status), "\(label): \(response.status) \(response.body)")
            #expect(response.headers["content-type"]?.hasPrefix("application/json") == true, "\(label)")
            #expect(response.body.contains(expected), "\(label): \(response.body)")
        }
        let after = try daemon.request("GET", "/v1/services")
        #expect(F.ids(after.body) == ["good"])
        #expect(after.headers["x-registryd-index"] == before.headers["x-registryd-index"])
        try daemon.stop()
    }

    /// A registration's graph is the registry's: SPARQL Update and the Graph Store protocol
    /// cannot change it (409, JSON error), and it stays whole.
    @Test func registrationGraphsAreChangedOnlyThroughTheRegistry() throws {
        let daemon = try DaemonProcess()
        #expect(try daemon.request("POST", "/v1/services", body: F.manifest(name: "snac.asu.edu/Owned", id: "owned")).status == 201)
        let graph = "urn:registryd:registration:owned"
        let count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <\(graph)> { ?s ?p ?o } }"
        let before = try daemon.request("GET", "/sparql?query=" + F.form(count), headers: ["Accept": "text/csv"]).body
        #expect(!before.hasSuffix("\r\n0\r\n"), "the graph is served: \(before)")
        let attempts: [(String, String, [String: String], String)] = [
            ("POST", "/update", ["Content-Type": "application/sparql-update"],
             "INSERT DATA { GRAPH <\(graph)> { <http://e/x> <http://e/p> 1 } }"),
            ("POST", "/update", ["Content-Type": "application/sparql-update"], "DELETE WHERE { GRAPH <\(graph)> { ?s ?p ?o } }"),
            ("POST", "/update", ["Content-Type": "application/sparql-update"], "DROP GRAPH <\(graph)>"),
            ("POST", "/update", ["Content-Type": "application/sparql-update"], "DROP ALL"),
            ("PUT", "/rdf-graphs?graph=" + F.form(graph), ["Content-Type": "text/turtle"], "<http://e/x> <http://e/p> 1 ."),
            ("DELETE", "/rdf-graphs?graph=" + F.form(graph), [:], ""),
        ]
        for (method, path, headers, body) in attempts {
            let response = try daemon.request(method, path, headers: headers, body: body)
            #expect(response.status == 409, "\(method) \(path) \(body): \(response.status) \(response.body)")
            #expect(response.body.contains("store.read_only_graph"), "\(response.body)")
            #expect(response.body.contains("/v1/services"), "the error says where the graph changes: \(response.body)")
        }
        #expect(try daemon.request("GET", "/sparql?query=" + F.form(count), headers: ["Accept": "text/csv"]).body == before)
        // Deregistering removes the graph.
        #expect(try daemon.request("DELETE", "/v1/services/owned").status == 200)
        let after = try daemon.request("GET", "/sparql?query=" + F.form(count), headers: ["Accept": "text/csv"]).body
        #expect(after.hasSuffix("\r\n0\r\n"), "\(after)")
        try daemon.stop()
    }

    @Test func acknowledgedRegistrationsSurviveKill() throws {
        let daemon = try DaemonProcess()
        let port = daemon.port
        let token = daemon.adminToken
        let acknowledged = Mutex<[String]>([])
        let writer = Thread {
            for number in 0..<5_000 {
                let id = "svc-\(number)"
                guard let response = try? HTTPTestClient(port: port).send(
                    "POST", "/v1/services", headers: ["Content-Type": "application/json", "Authorization": "Bearer " + token],
                    body: F.manifest(name: "snac.asu.edu/S\(number)", id: id)), response.status == 201 else { return }
                acknowledged.withLock { $0.append(id) }
            }
        }
        writer.start()
        Thread.sleep(forTimeInterval: 0.5)
        kill(daemon.process.processIdentifier, SIGKILL)
        daemon.process.waitUntilExit()
        while writer.isExecuting { Thread.sleep(forTimeInterval: 0.01) }
        let acked = acknowledged.withLock { $0 }
        #expect(acked.count > 0)

        let restarted = try DaemonProcess(dataDirectory: daemon.dataDirectory)
        let listed = Set(F.ids(try restarted.request("GET", "/v1/services").body))
        for id in acked { #expect(listed.contains(id), "\(id) was acknowledged with 201") }
        #expect(listed.count <= acked.count + 1, "at most the one in flight at the kill")
        // Each registration is whole: its graph has its endpoint.
        let query = "SELECT (COUNT(?e) AS ?n) WHERE { ?e <https://w3id.org/registryd/ms#servedBy> ?i }"
        let counted = try restarted.request("GET", "/sparql?query=" + F.form(query), headers: ["Accept": "text/csv"])
        #expect(counted.body.contains("\r\n\(listed.count * 2)"), "two endpoints per registration: \(counted.body)")
        try restarted.stop()
        try? FileManager.default.removeItem(atPath: daemon.dataDirectory)
    }
}
