import Foundation
import JOSE
import Testing

/// The access service of a real daemon over HTTP: policies validated before they take effect
/// and kept across restarts, ontology-held domains and classes, bindings withdrawn when the
/// policy or the instance changes, registration guarded by `create` rules, and route rules.
@Suite(.serialized)
struct AccessAPITests {
    typealias F = RegistryFixtures

    let authority = try! SigningKey.generate(.edDSA)

    func credential(subject: String, _ attributes: [String: Any], ttl: Double = 600) throws -> String {
        let claims: [String: Any] = ["iss": "hospital.example", "sub": subject, "exp": Date().timeIntervalSince1970 + ttl, "attributes": attributes]
        return try CompactJWS.sign(payload: Array(try JSONSerialization.data(withJSONObject: claims)), with: authority)
    }

    func registerAuthority(_ daemon: DaemonProcess) throws {
        let jwk = String(decoding: try JSONEncoder().encode(JWKSet(keys: [authority.publicKey.jwk])), as: UTF8.self)
        let response = try daemon.request("PUT", "/v1/authorities/hospital.example", headers: ["Content-Type": "application/json"], body: jwk)
        #expect(response.status == 200, "\(response.body)")
    }

    func decide(_ daemon: DaemonProcess, subject: String, credentials: [String], api: String, action: String = "call") throws -> [String: Any] {
        let body = try JSONSerialization.data(withJSONObject: ["subject": ["id": subject, "credentials": credentials], "api": api, "action": action, "explain": true])
        let response = try daemon.request("POST", "/v1/decisions", headers: ["Content-Type": "application/json"], body: String(decoding: body, as: UTF8.self))
        #expect(response.status == 200, "\(response.body)")
        return F.json(response.body)
    }

    @Test func invalidPoliciesAreRefusedWithLineAndColumnAndChangeNothing() throws {
        let daemon = try DaemonProcess()
        let good = "domain Rank = Nurse < Doctor;\nattribute subject.rank : Rank from authority \"hospital.example\";\npermit call on \"clinic.example/**\" when subject.rank >= Doctor;\n"
        let stored = try daemon.request("PUT", "/v1/policies/clinic", headers: ["Content-Type": "text/plain"], body: good)
        #expect(stored.status == 200, "\(stored.body)")
        #expect(F.json(stored.body)["generation"] as? Int == 1)
        for (text, message) in [
            ("permit call on \"a\" when subject.grade >= Doctor;", "bad:1:25: unknown attribute subject.grade"),
            ("permit call on \"a\" when subject.rank >= Surgeon;", "bad:1:41: 'Surgeon' is not in domain Rank"),
            ("permit call on \"a\" when subject.rank == \"Doctor\";", "bad:1:41: type mismatch: Rank compared with String"),
            ("permit call on \"a\"\n  when (subject.rank >= Doctor;", "bad:2:31: expected ')' to close the parenthesis"),
        ] {
            let refused = try daemon.request("PUT", "/v1/policies/bad", headers: ["Content-Type": "text/plain"], body: text)
            #expect(refused.status == 400)
            let error = F.json(refused.body)["error"] as? [String: Any]
            #expect((error?["message"] as? String)?.hasPrefix(message) == true, "\(refused.body)")
        }
        let list = try daemon.request("GET", "/v1/policies")
        #expect(F.json(list.body)["generation"] as? Int == 1)
        #expect((F.json(list.body)["policies"] as? [[String: Any]])?.count == 1)
        // A query token may not decide; a decide token may not change policies.
        let query = try daemon.request("POST", "/v1/tokens", headers: ["Content-Type": "application/json"], body: #"{"scopes": ["query"]}"#)
        let queryToken = try #require(F.json(query.body)["token"] as? String)
        #expect(try daemon.request("POST", "/v1/decisions", headers: ["Content-Type": "application/json"],
                                   body: #"{"subject": {"id": "x"}, "api": "a", "action": "call"}"#, as: .bearer(queryToken)).status == 403)
        #expect(try daemon.request("PUT", "/v1/policies/x", body: good, as: .bearer(queryToken)).status == 403)
        #expect(try daemon.request("POST", "/v1/decisions", headers: ["Content-Type": "application/json"], body: #"{"subject": {"id": "x"}, "api": "a", "action": "fly"}"#).status == 400)
        #expect(try daemon.request("POST", "/v1/decisions", headers: ["Content-Type": "application/json"], body: #"{"subject": 1"#).status == 400)

        // The policy and its generation survive a restart.
        let data = daemon.dataDirectory
        _ = try daemon.stop()
        let again = try DaemonProcess(dataDirectory: data)
        defer { try? FileManager.default.removeItem(atPath: data) }
        #expect(F.json(try again.request("GET", "/v1/policies").body)["generation"] as? Int == 1)
        #expect(try again.request("GET", "/v1/policies/clinic").body == good)
    }

    @Test func ontologyDomainsAndClassesComeFromTheStore() throws {
        let daemon = try DaemonProcess()
        try registerAuthority(daemon)
        let domain = try daemon.request("PUT", "/rdf-graphs?graph=" + F.form("http://example.org/clinic"),
                                        headers: ["Content-Type": "application/rdf+xml"], body: try F.file("examples/domain/telemedicine.rdf"))
        #expect(domain.status == 201 || domain.status == 204)
        #expect(try daemon.request("POST", "/v1/services", headers: ["Content-Type": "application/json"],
                                   body: try F.file("examples/telemedicine/patient-monitor.json")).status == 201)
        let policy = """
            prefix clinic: <http://example.org/clinic#>;
            prefix sosa: <http://www.w3.org/ns/sosa/>;
            domain Rank = ontology clinic:Rank ordered by clinic:rankBelow;
            attribute subject.rank : Rank from authority "hospital.example";
            sensors: permit subscribe on "clinic.example/**" when subject.rank >= AttendingDoctor and resource is sosa:Sensor;
            """
        let stored = try daemon.request("PUT", "/v1/policies/clinic", headers: ["Content-Type": "text/plain"], body: policy)
        #expect(stored.status == 200, "\(stored.body)")
        let domains = F.json(try daemon.request("GET", "/v1/domains").body)["domains"] as? [[String: Any]]
        #expect(domains?.first?["members"] as? [String] == ["Nurse", "AttendingDoctor", "SeniorDoctor", "ClinicDirector"])

        let doctor = try credential(subject: "adam", ["rank": "SeniorDoctor"])
        // bed1's channel is on an object that exposes a clinic:PatientMonitor, a sosa:Sensor by subclass.
        let permitted = try decide(daemon, subject: "adam", credentials: [doctor], api: "clinic.example/PatientMonitor/bed1/heartRate", action: "subscribe")
        #expect(permitted["decision"] as? String == "permit", "\(permitted)")
        let endpoints = (permitted["claims"] as? [String: Any])?["endpoints"] as? [[String: Any]]
        #expect(endpoints?.first?["protocol"] as? String != nil, "the binding carries the resolved endpoints")
        let nurse = try decide(daemon, subject: "nina", credentials: [try credential(subject: "nina", ["rank": "Nurse"])],
                               api: "clinic.example/PatientMonitor/bed1/heartRate", action: "subscribe")
        #expect(nurse["decision"] as? String == "deny")
        // Not registered: its classes are unknown, so the permit cannot apply.
        let unknown = try decide(daemon, subject: "adam", credentials: [doctor], api: "clinic.example/Nothing/here", action: "subscribe")
        #expect(unknown["decision"] as? String == "deny")
    }

    @Test func bindingsAreWithdrawnWhenThePolicyOrTheInstanceGoes() throws {
        let daemon = try DaemonProcess()
        try registerAuthority(daemon)
        #expect(try daemon.request("POST", "/v1/services", body: F.manifest(name: "shop.example/Cart", id: "cart-1", ttl: "2s")).status == 201)
        let policy = "domain Rank = Nurse < Doctor;\nattribute subject.rank : Rank from authority \"hospital.example\";\npermit call on \"shop.example/**\" when subject.rank >= Doctor;\n"
        #expect(try daemon.request("PUT", "/v1/policies/shop", body: policy).status == 200)
        let doctor = try credential(subject: "dora", ["rank": "Doctor"])
        let first = try decide(daemon, subject: "dora", credentials: [doctor], api: "shop.example/Cart/main/op")
        let firstID = try #require(first["bindingId"] as? String)
        #expect(((first["claims"] as? [String: Any])?["endpoints"] as? [[String: Any]])?.count == 1)

        // A stricter policy withdraws the binding: a binding.revoked event names it.
        let start = F.json(try daemon.request("GET", "/v1/services").body)["index"] as? Int ?? 0
        let stricter = policy.replacingOccurrences(of: ">= Doctor", with: "> Doctor")
        #expect(try daemon.request("PUT", "/v1/policies/shop", body: stricter).status == 200)
        var events = try daemon.request("GET", "/v1/events?since=\(start)", timeout: 1).body
        #expect(events.contains("event: policy.changed"))
        #expect(events.contains("event: binding.revoked") && events.contains(firstID), "\(events)")
        let revoked = F.json(try daemon.request("GET", "/v1/bindings/\(firstID)").body)
        #expect(revoked["revoked"] as? Bool == true)

        // Back to the permissive policy; a new binding goes when its instance's lease expires.
        #expect(try daemon.request("PUT", "/v1/policies/shop", body: policy).status == 200)
        let second = try decide(daemon, subject: "dora", credentials: [doctor], api: "shop.example/Cart/main/op")
        let secondID = try #require(second["bindingId"] as? String)
        Thread.sleep(forTimeInterval: 3.5)
        events = try daemon.request("GET", "/v1/events?since=\(start)", timeout: 1).body
        #expect(events.contains("event: service.expired"))
        #expect(events.contains(secondID), "the binding to the expired instance is revoked: \(events)")
    }

    @Test func createRulesGuardRegistrationAndRoutesShapeResolution() throws {
        let daemon = try DaemonProcess()
        try registerAuthority(daemon)
        let token = try daemon.request("POST", "/v1/tokens", headers: ["Content-Type": "application/json"], body: #"{"scopes": ["register:snac.asu.edu/"]}"#)
        let secret = try #require(F.json(token.body)["token"] as? String)
        let tokenID = try #require(F.json(token.body)["id"] as? String)
        // Without create rules, scopes alone decide.
        #expect(try daemon.request("POST", "/v1/services", body: F.manifest(name: "snac.asu.edu/Recommender", version: "2.0", id: "rec-20"), as: .bearer(secret)).status == 201)
        let policy = """
            attribute subject.team : String from authority "hospital.example";
            permit create, destroy on "snac.asu.edu/**" when subject.team == "recsys";
            route "snac.asu.edu/Recommender" to version "2.1" weight 90, version "2.0" weight 10;
            """
        #expect(try daemon.request("PUT", "/v1/policies/registry", body: policy).status == 200)
        let refused = try daemon.request("POST", "/v1/services", body: F.manifest(name: "snac.asu.edu/Recommender", version: "2.1", id: "rec-21"), as: .bearer(secret))
        #expect(refused.status == 403, "\(refused.body)")
        let member = try credential(subject: tokenID, ["team": "recsys"])
        let accepted = try daemon.request("POST", "/v1/services", headers: ["X-Registryd-Credential": member],
                                          body: F.manifest(name: "snac.asu.edu/Recommender", version: "2.1", id: "rec-21"), as: .bearer(secret))
        #expect(accepted.status == 201, "\(accepted.body)")

        let resolved = F.json(try daemon.request("GET", "/v1/resolve?name=" + F.form("snac.asu.edu/Recommender")).body)
        let weights = (resolved["endpoints"] as? [[String: Any]] ?? []).reduce(into: [String: Int]()) { result, endpoint in
            if let version = endpoint["version"] as? String, let weight = endpoint["weight"] as? Int { result[version, default: 0] += weight }
        }
        #expect(resolved["route"] as? String != nil)
        #expect(weights == ["2.1": 90, "2.0": 10], "\(resolved)")
    }
}
