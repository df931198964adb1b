import Foundation
import Testing
import Ontology
@testable import Registry

/// The registry on a real quad store: registration, listing and filters, replacement,
/// deregistration, name resolution and pins, leases, the event log, authorization, restarts and
/// class filters with reasoning.
struct RegistryCatalogTests {
    static let rest = #"{"protocol": "rest", "url": "http://10.0.0.1/get"}"#

    static func rest(_ host: String) -> String { #"{"protocol": "rest", "url": "http://\#(host)/get"}"# }
    static func mqtt(_ topic: String) -> String { #"{"protocol": "mqtt", "broker": "mqtt://broker:1883", "topic": "\#(topic)"}"# }

    @discardableResult
    static func register(_ fixture: RegistryFixture, _ manifest: Manifest, authorize: @escaping NameAuthorization = { _ in true })
        async throws -> (Registration, created: Bool) {
        try await fixture.registry.register(.manifest(manifest, source: .manifest), authorize: authorize)
    }

    static func ids(_ fixture: RegistryFixture, _ configure: (inout RegistrationFilter) -> Void = { _ in }) async throws -> [String] {
        var filter = RegistrationFilter()
        configure(&filter)
        return try await fixture.registry.registrations(matching: filter).registrations.map(\.id)
    }

    static func graph(_ id: String) -> String { ManifestGraph.graphIRI(registrationID: id) }

    /// The values of `predicate` in a registration's graph, without reasoning.
    static func values(_ fixture: RegistryFixture, _ id: String, _ predicate: String) throws -> [String] {
        try fixture.column("SELECT ?v WHERE { GRAPH <\(graph(id))> { ?s <\(predicate)> ?v } }", reasoning: false)
    }

    // MARK: Registering and listing

    @Test func registerThenListWithFilters() async throws {
        let fixture = try RegistryFixture()
        let manifests = [
            try Manifests.service("snac.asu.edu/Weather", version: "1.0.0", id: "weather-edge-1", tier: "edge", endpoint: Self.rest),
            try Manifests.service("snac.asu.edu/Weather", version: "2.0.0", id: "weather-cloud-1", health: "degraded",
                                  endpoint: #"{"protocol": "coap", "uri": "coap://10.0.0.2/get"}"#),
            try Manifests.service("other.site/Thermo", id: "thermo-1", tier: "device", endpoint: Self.mqtt("thermo/get"),
                                  channel: #"{"protocol": "amqp", "broker": "amqp://mq", "exchange": "thermo"}"#),
            try Manifests.service("snac.asu.edu/WeatherRadar", version: "3.0", id: "radar-1", tier: "fog", health: "broken",
                                  endpoint: Self.rest("radar")),
        ]
        for (offset, manifest) in manifests.enumerated() {
            let (registration, created) = try await Self.register(fixture, manifest)
            #expect(created)
            #expect(registration.id == manifest.instance.id)
            #expect(registration.index == Int64(offset + 1))
            #expect(registration.created == fixture.clock.now)
            #expect(registration.source == .manifest)
            #expect(try fixture.hasGraph(Self.graph(registration.id)))
        }
        #expect(fixture.registry.index == 4)

        let all = try await fixture.registry.registrations(matching: RegistrationFilter())
        #expect(all.index == 4)
        // Ordered by name, version and id.
        #expect(all.registrations.map(\.id) == ["thermo-1", "weather-edge-1", "weather-cloud-1", "radar-1"])

        #expect(try await Self.ids(fixture) { $0.namePrefix = "snac.asu.edu/" } == ["weather-edge-1", "weather-cloud-1", "radar-1"])
        #expect(try await Self.ids(fixture) { $0.namePrefix = "other.site" } == ["thermo-1"])
        #expect(try await Self.ids(fixture) { $0.namePrefix = "nobody/" } == [])
        #expect(try await Self.ids(fixture) { $0.version = "1.0.0" } == ["thermo-1", "weather-edge-1"])
        #expect(try await Self.ids(fixture) { $0.tier = .edge } == ["weather-edge-1"])
        #expect(try await Self.ids(fixture) { $0.tier = .device } == ["thermo-1"])
        #expect(try await Self.ids(fixture) { $0.tier = .fog } == ["radar-1"])
        #expect(try await Self.ids(fixture) { $0.health = .ok } == ["thermo-1", "weather-edge-1"])
        #expect(try await Self.ids(fixture) { $0.health = .degraded } == ["weather-cloud-1"])
        #expect(try await Self.ids(fixture) { $0.health = .broken } == ["radar-1"])
        #expect(try await Self.ids(fixture) { $0.protocol = .coap } == ["weather-cloud-1"])
        #expect(try await Self.ids(fixture) { $0.protocol = .amqp } == ["thermo-1"])
        #expect(try await Self.ids(fixture) { $0.protocol = .mqtt } == ["thermo-1"])
        #expect(try await Self.ids(fixture) { $0.protocol = .rest } == ["weather-edge-1", "radar-1"])
        #expect(try await Self.ids(fixture) {
            $0.namePrefix = "snac.asu.edu/"
            $0.protocol = .rest
            $0.health = .ok
        } == ["weather-edge-1"])

        #expect(fixture.registry.registration(id: "thermo-1")?.name.value == "other.site/Thermo")
        #expect(fixture.registry.registration(id: "nope") == nil)
        #expect(fixture.registry.counts.services == 3)
        #expect(fixture.registry.counts.instances == 4)

        // The graph holds the manifest as RDF.
        #expect(try Self.values(fixture, "weather-edge-1", MS.name) == ["get", "snac.asu.edu/Weather", "snac.asu.edu/Weather/obj"])
        #expect(try Self.values(fixture, "weather-edge-1", MS.deploymentTier) == [MS.tier(.edge)])
        #expect(try Self.values(fixture, "weather-cloud-1", MS.healthStatus) == [MS.health(.degraded)])
        #expect(try Self.values(fixture, "weather-edge-1", MS.registrationId) == ["weather-edge-1"])
        #expect(try Self.values(fixture, "weather-edge-1", MS.servedBy) == [Self.graph("weather-edge-1") + "#instance"])
    }

    @Test func registrationWithoutAnIdGetsOne() async throws {
        let fixture = try RegistryFixture()
        var manifest = try Manifests.service("snac.asu.edu/Weather", id: "x")
        manifest.instance.id = nil
        let (first, _) = try await Self.register(fixture, manifest)
        let (second, _) = try await Self.register(fixture, manifest)
        #expect(first.id.hasPrefix("weather-"))
        #expect(first.id.count == "weather-".count + 8)
        #expect(first.id != second.id, "each POST without an id is a new instance")
        #expect(first.manifest.instance.id == first.id)
        #expect(try await Self.ids(fixture).count == 2)
    }

    @Test func replaceKeepsCreatedAndEmitsUpdated() async throws {
        let fixture = try RegistryFixture()
        let created = fixture.clock.now
        try await Self.register(fixture, try Manifests.service("snac.asu.edu/Weather", version: "1.0.0", id: "w1", ttl: "30s"))
        fixture.clock.advance(milliseconds: 5_000)
        let (replaced, isNew) = try await Self.register(
            fixture, try Manifests.service("snac.asu.edu/Weather", version: "1.1.0", id: "w1", tier: "fog", endpoint: Self.rest("new")))
        #expect(!isNew)
        #expect(replaced.created == created)
        #expect(replaced.updated == created + 5_000)
        #expect(replaced.manifest.version == "1.1.0")
        #expect(replaced.leaseExpires == nil, "the new manifest has no ttl")
        #expect(try await Self.ids(fixture) == ["w1"])
        let event = try #require(fixture.registry.events(after: 1).last)
        #expect(event.type == .serviceUpdated)
        #expect(event.id == "w1")
        #expect(event.version == "1.1.0")
        #expect(event.index == 2)
        // The graph was replaced, not added to.
        #expect(try Self.values(fixture, "w1", MS.version) == ["1.1.0", "1.1.0"])
        #expect(try Self.values(fixture, "w1", MS.address) == ["http://new/get"])
        #expect(try Self.values(fixture, "w1", MS.leaseSeconds) == [])
        #expect(try fixture.registry.resolve(.test("snac.asu.edu/Weather/obj/get")).endpoints.map(\.address) == ["http://new/get"])
        #expect(fixture.registry.registration(id: "w1")?.leaseExpires == nil)
    }

    @Test func replacingByIdChecksTheId() async throws {
        let fixture = try RegistryFixture()
        var manifest = try Manifests.service("snac.asu.edu/Weather", id: "w1")
        manifest.instance.id = nil
        let missing = await #expect(throws: RegistryError.self) {
            try await fixture.registry.register(.manifest(manifest, source: .manifest), replacing: "w1")
        }
        #expect(missing?.code == .notFound)
        try await Self.register(fixture, try Manifests.service("snac.asu.edu/Weather", id: "w1"))
        let (replaced, created) = try await fixture.registry.register(.manifest(manifest, source: .manifest), replacing: "w1")
        #expect(!created)
        #expect(replaced.id == "w1")
        let mismatch = await #expect(throws: RegistryError.self) {
            try await fixture.registry.register(.manifest(try Manifests.service("snac.asu.edu/Weather", id: "w2"), source: .manifest),
                                                replacing: "w1")
        }
        #expect(mismatch?.code == .invalidRequest)
        #expect(try await Self.ids(fixture) == ["w1"])
    }

    /// Registration graphs live in memory: a restart builds them again from the records, and a
    /// store whose registration graphs an earlier version wrote to its tables loses those copies.
    @Test func graphsAreRebuiltFromRecordsOnOpen() async throws {
        let fixture = try RegistryFixture()
        try await Self.register(fixture, try Manifests.service("snac.asu.edu/Weather", id: "w1"))
        let triples = try await fixture.store.read { try $0.quads(in: .named(.iri(Self.graph("w1")))) }.map(\.triple)
        #expect(triples.count > 10)
        // Nothing of the graph is in the SQLite tables: a fresh store handle without a registry sees none.
        fixture.store.close()
        let bare = try QuadStore(directory: fixture.directory.path + "/data")
        #expect(try await bare.read { try $0.namedGraphs() }.contains(.iri(Self.graph("w1"))) == false)
        // As an earlier version left it: the graph in the tables, beside the record.
        try await bare.write { try $0.replace(graph: .iri(Self.graph("w1")), with: Array(triples.prefix(3))) }
        bare.close()
        try fixture.reopen()
        let rebuilt = try await fixture.store.read { try $0.quads(in: .named(.iri(Self.graph("w1")))) }.map(\.triple)
        #expect(Set(rebuilt) == Set(triples) && rebuilt.count == triples.count, "the stored copy was dropped, the graph rebuilt")
        fixture.store.close()
        let after = try QuadStore(directory: fixture.directory.path + "/data")
        #expect(try await after.read { try $0.namedGraphs() }.contains(.iri(Self.graph("w1"))) == false, "the stored copy is gone")
        after.close()
        try fixture.reopen()
    }

    @Test func deregisterDropsTheGraph() async throws {
        let fixture = try RegistryFixture()
        try await Self.register(fixture, try Manifests.service("snac.asu.edu/Weather", id: "w1"))
        try await Self.register(fixture, try Manifests.service("snac.asu.edu/Weather", id: "w2", endpoint: Self.rest("two")))
        #expect(try fixture.hasGraph(Self.graph("w1")))
        let index = try await fixture.registry.deregister(id: "w1")
        #expect(index == 3)
        #expect(fixture.registry.index == 3)
        #expect(!(try fixture.hasGraph(Self.graph("w1"))))
        #expect(try fixture.hasGraph(Self.graph("w2")))
        #expect(try fixture.tripleCount(graph: Self.graph("w1")) == 0)
        #expect(fixture.registry.registration(id: "w1") == nil)
        #expect(try await Self.ids(fixture) == ["w2"])
        let event = try #require(fixture.registry.events(after: 2).first)
        #expect(event.type == .serviceDeregistered)
        #expect(event.id == "w1")
        #expect(event.name == "snac.asu.edu/Weather")
        // The name still resolves, to the other instance only.
        #expect(try fixture.registry.resolve(.test("snac.asu.edu/Weather")).endpoints.map(\.instance) == ["w2"])
        try await fixture.registry.deregister(id: "w2")
        let gone = #expect(throws: RegistryError.self) { try fixture.registry.resolve(.test("snac.asu.edu/Weather")) }
        #expect(gone?.code == .notFound)
        let again = await #expect(throws: RegistryError.self) { try await fixture.registry.deregister(id: "w1") }
        #expect(again?.code == .notFound)
        #expect(fixture.registry.index == 4, "a failed change leaves the index alone")
    }

    // MARK: Resolution

    @Test func resolveRanksHealthyFirstAndLeavesOutBroken() async throws {
        let fixture = try RegistryFixture()
        for (id, health, weight) in [("a", "ok", 50), ("b", "degraded", 500), ("c", "ok", 200), ("d", "broken", 1000)] {
            try await Self.register(fixture, try Manifests.service("snac.asu.edu/Weather", id: id, tier: "edge", health: health, weight: weight,
                                                                   host: "gw-\(id)", endpoint: Self.rest(id), channel: Self.mqtt("t/\(id)")))
        }
        let service = try fixture.registry.resolve(.test("snac.asu.edu/Weather"))
        #expect(service.kind == .service)
        #expect(service.name == "snac.asu.edu/Weather")
        #expect(service.generation == 0)
        #expect(service.pinnedAt == nil)
        #expect(service.index == fixture.registry.index)
        #expect(service.endpoints.map(\.instance) == ["c", "c", "a", "a", "b", "b"])
        #expect(service.endpoints.map(\.health) == [.ok, .ok, .ok, .ok, .degraded, .degraded])
        #expect(service.endpoints.map(\.weight) == [200, 200, 50, 50, 500, 500])

        let object = try fixture.registry.resolve(.test("snac.asu.edu/Weather/obj"))
        #expect(object.kind == .object)
        #expect(object.endpoints.map(\.instance) == ["c", "c", "a", "a", "b", "b"])

        let method = try fixture.registry.resolve(.test("snac.asu.edu/Weather/obj/get"))
        #expect(method.kind == .method)
        #expect(method.endpoints.map(\.address) == ["http://c/get", "http://a/get", "http://b/get"])
        #expect(method.endpoints.allSatisfy { $0.protocol == .rest && $0.method == "GET" && $0.operation == "snac.asu.edu/Weather/obj/get" })
        #expect(method.endpoints.first?.tier == .edge)
        #expect(method.endpoints.first?.host == "gw-c")
        #expect(method.endpoints.first?.version == "1.0.0")

        let channel = try fixture.registry.resolve(.test("snac.asu.edu/Weather/obj/events"))
        #expect(channel.kind == .channel)
        #expect(channel.endpoints.map(\.topic) == ["t/c", "t/a", "t/b"])
        #expect(channel.endpoints.allSatisfy { $0.protocol == .mqtt && $0.address == "mqtt://broker:1883" })

        for unknown in ["snac.asu.edu/Nope", "snac.asu.edu/Weather/obj/nope", "snac.asu.edu/Weather/other", "other.site/Weather"] {
            let error = #expect(throws: RegistryError.self) { try fixture.registry.resolve(.test(unknown)) }
            #expect(error?.code == .notFound, "\(unknown)")
        }

        // Health changes reorder: b recovers and has the largest weight; c breaks and leaves.
        let recovered = try await fixture.registry.setHealth(id: "b", to: .ok, note: "fixed")
        #expect(recovered.health == .ok)
        #expect(recovered.healthNote == "fixed")
        _ = try await fixture.registry.setHealth(id: "c", to: .broken)
        #expect(try fixture.registry.resolve(.test("snac.asu.edu/Weather/obj/get")).endpoints.map(\.instance) == ["b", "a"])
        #expect(try Self.values(fixture, "c", MS.healthStatus) == [MS.health(.broken)])
        #expect(fixture.registry.events(after: 4).map(\.type) == [.healthChanged, .healthChanged])
        #expect(fixture.registry.events(after: 4).map(\.health) == [.ok, .broken])
        let missing = await #expect(throws: RegistryError.self) { try await fixture.registry.setHealth(id: "zz", to: .ok) }
        #expect(missing?.code == .notFound)
    }

    @Test func allBrokenResolvesToNoEndpoints() async throws {
        let fixture = try RegistryFixture()
        try await Self.register(fixture, try Manifests.service("snac.asu.edu/Weather", id: "a", health: "broken"))
        let resolution = try fixture.registry.resolve(.test("snac.asu.edu/Weather"))
        #expect(resolution.kind == .service)
        #expect(resolution.endpoints.isEmpty)
    }

    @Test func countsAndHealthChecksFollowReplacementsRemovalsAndRestarts() async throws {
        let fixture = try RegistryFixture()
        var checked = try Manifests.service("snac.asu.edu/Weather", id: "a")
        checked.instance.check = HealthCheckSpec(url: "http://127.0.0.1:9/health")
        try await Self.register(fixture, checked)
        try await Self.register(fixture, try Manifests.service("snac.asu.edu/Weather", id: "b"))
        try await Self.register(fixture, try Manifests.service("snac.asu.edu/Radar", id: "c"))
        #expect(fixture.registry.counts.services == 2 && fixture.registry.counts.instances == 3)
        #expect(fixture.registry.healthChecks().map(\.id) == ["a"])
        // "a" becomes another service without a check; "c" goes: Radar has no instance left.
        try await Self.register(fixture, try Manifests.service("snac.asu.edu/Calendar", id: "a"))
        try await fixture.registry.deregister(id: "c")
        #expect(fixture.registry.counts.services == 2 && fixture.registry.counts.instances == 2)
        #expect(fixture.registry.healthChecks().isEmpty)
        try await Self.register(fixture, checked)
        try fixture.reopen()
        #expect(fixture.registry.counts.services == 1 && fixture.registry.counts.instances == 2)
        #expect(fixture.registry.healthChecks().map(\.id) == ["a"])
    }

    // MARK: Pins

    @Test func pinIsCompareAndSwap() async throws {
        let fixture = try RegistryFixture()
        let name = ServiceName.test("snac.asu.edu/Weather")
        try await Self.register(fixture, try Manifests.service(name.value, version: "1.0.0", id: "blue", endpoint: Self.rest("blue")))
        try await Self.register(fixture, try Manifests.service(name.value, version: "2.0.0", id: "green", endpoint: Self.rest("green")))
        try await Self.register(fixture, try Manifests.service("snac.asu.edu/Other", id: "other"))
        #expect(try fixture.registry.resolve(name).generation == 0)

        let pin = try await fixture.registry.pin(name, expectedGeneration: 0, instances: ["green"])
        #expect(pin.generation == 1)
        #expect(pin.instances == ["green"])
        let rebound = try #require(fixture.registry.events(after: 3).first)
        #expect(rebound.type == .nameRebound)
        #expect(rebound.generation == 1)
        #expect(rebound.name == name.value)

        let stale = await #expect(throws: RegistryError.self) {
            try await fixture.registry.pin(name, expectedGeneration: 0, instances: ["blue"])
        }
        #expect(stale?.code == .conflict)

        let resolution = try fixture.registry.resolve(name)
        #expect(resolution.generation == 1)
        #expect(resolution.pinnedAt == name.value)
        #expect(Set(resolution.endpoints.map(\.instance)) == ["green"])
        #expect(resolution.endpoints.allSatisfy { $0.version == "2.0.0" })
        // The pin on the service decides its methods too.
        let method = try fixture.registry.resolve(.test("snac.asu.edu/Weather/obj/get"))
        #expect(method.endpoints.map(\.instance) == ["green"])
        #expect(method.pinnedAt == name.value)

        for instances in [["other"], ["ghost"], ["green", "other"]] {
            let refused = await #expect(throws: RegistryError.self) {
                try await fixture.registry.pin(name, expectedGeneration: 1, instances: instances)
            }
            #expect(refused?.code == .invalidRequest, "\(instances)")
        }
        let badWeight = await #expect(throws: RegistryError.self) {
            try await fixture.registry.pin(name, expectedGeneration: 1, instances: ["green"], weights: ["blue": 5])
        }
        #expect(badWeight?.code == .invalidRequest)
        #expect(try fixture.registry.resolve(name).generation == 1, "refused pins change nothing")

        // Both, with weights that override the manifests'.
        let weighted = try await fixture.registry.pin(name, expectedGeneration: 1, instances: ["green", "blue"], weights: ["blue": 900, "green": 1])
        #expect(weighted.generation == 2)
        #expect(weighted.instances == ["blue", "green"])
        let both = try fixture.registry.resolve(.test("snac.asu.edu/Weather/obj/get"))
        #expect(both.endpoints.map(\.instance) == ["blue", "green"])
        #expect(both.endpoints.map(\.weight) == [900, 1])

        // An empty list lifts the restriction; the generation still grows.
        let lifted = try await fixture.registry.pin(name, expectedGeneration: 2, instances: [])
        #expect(lifted.generation == 3)
        let free = try fixture.registry.resolve(name)
        #expect(free.generation == 3)
        #expect(free.pinnedAt == nil)
        #expect(Set(free.endpoints.map(\.instance)) == ["blue", "green"])
        #expect(free.endpoints.map(\.weight) == [100, 100])
    }

    @Test func removingAPinnedInstanceTakesItOutOfThePin() async throws {
        let fixture = try RegistryFixture()
        let name = ServiceName.test("snac.asu.edu/Weather")
        try await Self.register(fixture, try Manifests.service(name.value, id: "blue", endpoint: Self.rest("blue")))
        try await Self.register(fixture, try Manifests.service(name.value, id: "green", endpoint: Self.rest("green")))
        try await Self.register(fixture, try Manifests.service(name.value, id: "red", endpoint: Self.rest("red")))
        _ = try await fixture.registry.pin(name, expectedGeneration: 0, instances: ["blue", "green"], weights: ["green": 5])
        try await fixture.registry.deregister(id: "green")
        let afterOne = try fixture.registry.resolve(name)
        #expect(afterOne.generation == 2, "the removal is a new generation, so a CAS based on the old one fails")
        #expect(Set(afterOne.endpoints.map(\.instance)) == ["blue"])
        let rebound = fixture.registry.events(after: 0).filter { $0.type == .nameRebound }
        #expect(rebound.map(\.generation) == [1, 2])
        // The last pinned instance gone: the pin no longer restricts the name.
        try await fixture.registry.deregister(id: "blue")
        let afterAll = try fixture.registry.resolve(name)
        #expect(afterAll.generation == 3)
        #expect(afterAll.pinnedAt == nil)
        #expect(Set(afterAll.endpoints.map(\.instance)) == ["red"])
        // And it stays so after a restart.
        try fixture.reopen()
        #expect(try fixture.registry.resolve(name).generation == 3)
    }

    @Test func pinOnAnObjectDecidesItsMethods() async throws {
        let fixture = try RegistryFixture()
        try await Self.register(fixture, try Manifests.service("snac.asu.edu/Weather", id: "blue", endpoint: Self.rest("blue"), channel: Self.mqtt("blue")))
        try await Self.register(fixture, try Manifests.service("snac.asu.edu/Weather", id: "green", endpoint: Self.rest("green"), channel: Self.mqtt("green")))
        let object = ServiceName.test("snac.asu.edu/Weather/obj")
        _ = try await fixture.registry.pin(object, expectedGeneration: 0, instances: ["blue"])

        let method = try fixture.registry.resolve(.test("snac.asu.edu/Weather/obj/get"))
        #expect(method.endpoints.map(\.instance) == ["blue"])
        #expect(method.pinnedAt == object.value)
        #expect(try fixture.registry.resolve(.test("snac.asu.edu/Weather/obj/events")).endpoints.map(\.topic) == ["blue"])
        #expect(try fixture.registry.resolve(object).endpoints.map(\.instance) == ["blue", "blue"])
        // The service above the object is not decided by it.
        #expect(Set(try fixture.registry.resolve(.test("snac.asu.edu/Weather")).endpoints.map(\.instance)) == ["blue", "green"])

        // A pin on the method itself is more specific than the object's.
        let methodPin = try await fixture.registry.pin(.test("snac.asu.edu/Weather/obj/get"), expectedGeneration: 0, instances: ["green"])
        #expect(methodPin.generation == 1)
        let pinned = try fixture.registry.resolve(.test("snac.asu.edu/Weather/obj/get"))
        #expect(pinned.endpoints.map(\.instance) == ["green"])
        #expect(pinned.pinnedAt == "snac.asu.edu/Weather/obj/get")
        #expect(pinned.generation == 1)
        #expect(try fixture.registry.resolve(.test("snac.asu.edu/Weather/obj/events")).endpoints.map(\.instance) == ["blue"])
    }

    // MARK: Leases

    @Test func leaseExpiryRemovesTheInstance() async throws {
        let fixture = try RegistryFixture()
        let start = fixture.clock.now
        let (leased, _) = try await Self.register(fixture, try Manifests.service("snac.asu.edu/Leased", id: "leased", ttl: "30s"))
        try await Self.register(fixture, try Manifests.service("snac.asu.edu/Forever", id: "forever"))
        #expect(leased.leaseExpires == start + 30_000)
        #expect(try Self.values(fixture, "leased", MS.leaseSeconds) == ["30"])

        fixture.clock.advance(milliseconds: 20_000)
        #expect(try await fixture.registry.renewLease(id: "leased") == start + 50_000)
        #expect(fixture.registry.registration(id: "leased")?.leaseExpires == start + 50_000)
        let indexBefore = fixture.registry.index
        #expect(indexBefore == 2, "a renewal is not a change")

        fixture.clock.advance(milliseconds: 20_000)  // 40 s: the renewed lease still runs
        #expect(try await fixture.registry.expireLeases() == [])
        #expect(fixture.registry.registration(id: "leased") != nil)

        fixture.clock.advance(milliseconds: 10_001)  // 50.001 s: expired
        #expect(try await fixture.registry.expireLeases() == ["leased"])
        #expect(fixture.registry.registration(id: "leased") == nil)
        #expect(!(try fixture.hasGraph(Self.graph("leased"))))
        #expect(try await Self.ids(fixture) == ["forever"])
        let event = try #require(fixture.registry.events(after: indexBefore).last)
        #expect(event.type == .leaseExpired)
        #expect(event.id == "leased")
        #expect(event.name == "snac.asu.edu/Leased")
        let resolved = #expect(throws: RegistryError.self) { try fixture.registry.resolve(.test("snac.asu.edu/Leased")) }
        #expect(resolved?.code == .notFound)
        #expect(try await fixture.registry.expireLeases() == [])

        let noLease = await #expect(throws: RegistryError.self) { try await fixture.registry.renewLease(id: "forever") }
        #expect(noLease?.code == .conflict)
        let unknown = await #expect(throws: RegistryError.self) { try await fixture.registry.renewLease(id: "leased") }
        #expect(unknown?.code == .notFound)
    }

    @Test func unrenewedLeaseExpiresAfterItsTTL() async throws {
        let fixture = try RegistryFixture()
        try await Self.register(fixture, try Manifests.service("snac.asu.edu/Short", id: "short", ttl: "1500ms"))
        #expect(try Self.values(fixture, "short", MS.leaseSeconds) == ["2"], "rounded up to whole seconds")
        fixture.clock.advance(milliseconds: 1_500)
        #expect(try await fixture.registry.expireLeases() == [], "expires after, not at, the TTL")
        fixture.clock.advance(milliseconds: 1)
        #expect(try await fixture.registry.expireLeases() == ["short"])
        #expect(try await Self.ids(fixture) == [])
    }

    // MARK: Events

    @Test func eventsAreOrderedByIndex() async throws {
        let fixture = try RegistryFixture()
        try await Self.register(fixture, try Manifests.service("snac.asu.edu/A", version: "1.0.0", id: "a"))
        try await Self.register(fixture, try Manifests.service("snac.asu.edu/B", id: "b"))
        try await Self.register(fixture, try Manifests.service("snac.asu.edu/A", version: "1.0.1", id: "a"))
        _ = try await fixture.registry.setHealth(id: "b", to: .degraded)
        try await fixture.registry.deregister(id: "a")

        let events = fixture.registry.events(after: 0)
        #expect(events.map(\.index) == [1, 2, 3, 4, 5])
        #expect(events.map(\.type) == [.serviceRegistered, .serviceRegistered, .serviceUpdated, .healthChanged, .serviceDeregistered])
        #expect(events.map(\.id) == ["a", "b", "a", "b", "a"])
        #expect(events.map(\.name) == ["snac.asu.edu/A", "snac.asu.edu/B", "snac.asu.edu/A", "snac.asu.edu/B", "snac.asu.edu/A"])
        #expect(events[2].version == "1.0.1")
        #expect(events[3].health == .degraded)
        #expect(events.allSatisfy { $0.time == fixture.clock.now })
        #expect(fixture.registry.index == 5)
        #expect(fixture.registry.events(after: 3).map(\.index) == [4, 5])
        #expect(fixture.registry.events(after: 5).isEmpty)
        #expect(fixture.registry.events(after: 99).isEmpty)
        #expect(fixture.registry.events(after: 0, limit: 2).map(\.index) == [1, 2])
    }

    @Test func oldEventsAreReplacedByAReset() async throws {
        let fixture = try RegistryFixture(eventRetention: 5)
        for number in 1...12 {
            try await Self.register(fixture, try Manifests.service("snac.asu.edu/S\(number)", id: "s\(number)"))
        }
        #expect(fixture.registry.index == 12)
        let events = fixture.registry.events(after: 1)
        let reset = try #require(events.first)
        #expect(reset.type == .reset)
        let rest = events.dropFirst()
        #expect(!rest.isEmpty)
        #expect(rest.allSatisfy { $0.type == .serviceRegistered })
        #expect(rest.first?.index == reset.index + 1, "the reset stands for everything up to the oldest kept event")
        #expect(rest.map(\.index) == Array((rest.first?.index ?? 0)...12))
        #expect(rest.count >= 5 && rest.count <= 6)
        #expect(fixture.registry.events(after: 0).first?.type == .reset)
        // A watcher that is not behind gets no reset.
        #expect(fixture.registry.events(after: 10).map(\.index) == [11, 12])
        #expect(fixture.registry.events(after: 10).allSatisfy { $0.type != .reset })
    }

    @Test func waitForChangeWakesOnAChange() async throws {
        let fixture = try RegistryFixture()
        let registry = fixture.registry
        let clock = ContinuousClock()
        let started = clock.now
        // The timeout is far above what a loaded CI run takes: on 2 cores with every suite in
        // parallel (the TD corpus, the kill -9 tests), this wait once took 26 s to be woken.
        async let waited: Void = registry.waitForChange(after: 0, timeout: .seconds(300))
        try await Task.sleep(for: .milliseconds(50))
        try await Self.register(fixture, try Manifests.service("snac.asu.edu/A", id: "a"))
        await waited
        #expect(clock.now - started < .seconds(250), "woken by the change, not by the 300 s timeout (slack for a loaded 2-core machine)")
        // Already past the index: returns at once.
        await registry.waitForChange(after: 0, timeout: .seconds(300))
        // Nothing new: returns after the timeout.
        let quiet = clock.now
        await registry.waitForChange(after: 1, timeout: .milliseconds(100))
        #expect(clock.now - quiet >= .milliseconds(100))
    }

    // MARK: Authorization

    @Test func refusedAuthorizationChangesNothing() async throws {
        let fixture = try RegistryFixture()
        let allowed: NameAuthorization = { $0.isCovered(byPrefix: "snac.asu.edu/Allowed") }
        let other: NameAuthorization = { $0.isCovered(byPrefix: "snac.asu.edu/Other") }
        let nobody: NameAuthorization = { _ in false }

        let refused = await #expect(throws: RegistryError.self) {
            try await Self.register(fixture, try Manifests.service("snac.asu.edu/Forbidden", id: "f1"), authorize: allowed)
        }
        #expect(refused?.code == .forbidden)
        #expect(fixture.registry.index == 0)
        #expect(try await Self.ids(fixture) == [])
        #expect(!(try fixture.hasGraph(Self.graph("f1"))))

        try await Self.register(fixture, try Manifests.service("snac.asu.edu/Allowed", id: "shared", ttl: "1m"), authorize: allowed)
        let before = try #require(fixture.registry.registration(id: "shared"))
        let events = fixture.registry.events(after: 0)

        // Taking over another name's id needs the right to change that name as well.
        let takeover = await #expect(throws: RegistryError.self) {
            try await Self.register(fixture, try Manifests.service("snac.asu.edu/Other", id: "shared"), authorize: other)
        }
        #expect(takeover?.code == .forbidden)
        let deregister = await #expect(throws: RegistryError.self) { try await fixture.registry.deregister(id: "shared", authorize: other) }
        #expect(deregister?.code == .forbidden)
        let health = await #expect(throws: RegistryError.self) { try await fixture.registry.setHealth(id: "shared", to: .broken, authorize: nobody) }
        #expect(health?.code == .forbidden)
        let pin = await #expect(throws: RegistryError.self) {
            try await fixture.registry.pin(.test("snac.asu.edu/Allowed"), expectedGeneration: 0, instances: ["shared"], authorize: other)
        }
        #expect(pin?.code == .forbidden)
        let renew = await #expect(throws: RegistryError.self) { try await fixture.registry.renewLease(id: "shared", authorize: nobody) }
        #expect(renew?.code == .forbidden)

        #expect(fixture.registry.registration(id: "shared") == before)
        #expect(fixture.registry.events(after: 0) == events)
        #expect(try fixture.registry.resolve(.test("snac.asu.edu/Allowed")).generation == 0)
        #expect(try Self.values(fixture, "shared", MS.name).contains("snac.asu.edu/Allowed"))
        #expect(try Self.values(fixture, "shared", MS.healthStatus) == [MS.health(.ok)])
    }

    /// A caller may register only names it is authorized for; the names a registration offers
    /// (its objects, methods and channels) resolve like its service name, so they must be
    /// authorized as well, or a caller allowed `snac.asu.edu/Weather` can answer for `other.site/Bank`.
    @Test
    func objectNamesAreAuthorizedToo() async throws {
        let fixture = try RegistryFixture()
        try await Self.register(fixture, try Manifests.service("other.site/Bank", id: "bank", endpoint: Self.rest("bank")))
        let weatherOnly: NameAuthorization = { $0.isCovered(byPrefix: "snac.asu.edu/Weather") }
        let hijack = try Manifests.decode("""
            {"name": "snac.asu.edu/Weather", "version": "1.0.0", "instance": {"id": "weather-1"},
             "objects": [{"name": "other.site/Bank/obj",
                          "methods": [{"name": "get", "endpoints": [{"protocol": "rest", "url": "http://attacker/get"}]}]}]}
            """)
        let error = await #expect(throws: RegistryError.self) { try await Self.register(fixture, hijack, authorize: weatherOnly) }
        #expect(error?.code == .forbidden)
        #expect(try fixture.registry.resolve(.test("other.site/Bank/obj/get")).endpoints.map(\.address) == ["http://bank/get"])
    }

    // MARK: Restart

    @Test func reopeningRestoresRegistrationsPinsAndIndex() async throws {
        let fixture = try RegistryFixture()
        try await Self.register(fixture, try Manifests.service("snac.asu.edu/Weather", version: "1.0.0", id: "blue", endpoint: Self.rest("blue")))
        try await Self.register(fixture, try Manifests.service("snac.asu.edu/Weather", version: "2.0.0", id: "green", ttl: "1m",
                                                               endpoint: Self.rest("green")))
        fixture.clock.advance(milliseconds: 1_000)
        _ = try await fixture.registry.setHealth(id: "blue", to: .degraded, note: "slow")
        _ = try await fixture.registry.pin(.test("snac.asu.edu/Weather/obj"), expectedGeneration: 0, instances: ["green"])

        let registrations = try await fixture.registry.registrations(matching: RegistrationFilter())
        let events = fixture.registry.events(after: 0)
        let resolution = try fixture.registry.resolve(.test("snac.asu.edu/Weather/obj/get"))
        #expect(registrations.index == 4)

        try fixture.reopen()

        let reopened = try await fixture.registry.registrations(matching: RegistrationFilter())
        #expect(reopened.index == 4)
        #expect(fixture.registry.index == 4)
        // Everything but the lease, which starts a fresh period after a restart.
        func withoutLease(_ list: [Registration]) -> [Registration] {
            list.map { registration in
                var registration = registration
                registration.leaseExpires = nil
                return registration
            }
        }
        #expect(withoutLease(reopened.registrations) == withoutLease(registrations.registrations))
        #expect(try #require(fixture.registry.registration(id: "green")?.leaseExpires) == fixture.clock.now + 60_000)
        #expect(fixture.registry.registration(id: "blue")?.health == .degraded)
        #expect(fixture.registry.registration(id: "blue")?.healthNote == "slow")
        #expect(fixture.registry.events(after: 0) == events)
        #expect(try fixture.registry.resolve(.test("snac.asu.edu/Weather/obj/get")) == resolution)
        #expect(try fixture.registry.resolve(.test("snac.asu.edu/Weather/obj")).generation == 1)
        #expect(try fixture.hasGraph(Self.graph("blue")))
        #expect(try Self.values(fixture, "blue", MS.healthStatus) == [MS.health(.degraded)])

        // The pin's generation survived: the old one no longer matches, the current one does.
        let stale = await #expect(throws: RegistryError.self) {
            try await fixture.registry.pin(.test("snac.asu.edu/Weather/obj"), expectedGeneration: 0, instances: ["blue"])
        }
        #expect(stale?.code == .conflict)
        #expect(try await fixture.registry.pin(.test("snac.asu.edu/Weather/obj"), expectedGeneration: 1, instances: ["blue"]).generation == 2)
        #expect(fixture.registry.index == 5, "the index goes on from where it was")

        // After a restart every lease starts a fresh period.
        fixture.clock.advance(milliseconds: 120_000)
        try fixture.reopen()
        #expect(try await fixture.registry.expireLeases() == [])
        #expect(fixture.registry.registration(id: "green")?.leaseExpires == fixture.clock.now + 60_000)
        fixture.clock.advance(milliseconds: 60_001)
        #expect(try await fixture.registry.expireLeases() == ["green"])
        try fixture.reopen()
        #expect(fixture.registry.registration(id: "green") == nil)
        #expect(fixture.registry.events(after: 5).map(\.type) == [.leaseExpired])
    }

    // MARK: RDF registrations

    @Test func rdfRegistrationKeepsTheDocument() async throws {
        let fixture = try RegistryFixture()
        let document = try RDFManifestReader.read(Paths.bytes("examples/rdfxml/thermostat.rdf"), format: .rdfXML,
                                                  baseIRI: "https://snac.asu.edu/services/Thermostat")
        let (registration, created) = try await fixture.registry.register(.rdf(document))
        #expect(created)
        #expect(registration.id == "thermostat-edge-1")
        #expect(registration.source == .rdf)
        let graph = Self.graph("thermostat-edge-1")
        // The document's own IRIs are kept in the registration's graph.
        #expect(try fixture.column("SELECT ?n WHERE { GRAPH <\(graph)> { <https://snac.asu.edu/services/Thermostat#service> ms:name ?n } }",
                                   reasoning: false) == ["snac.asu.edu/Thermostat"])
        #expect(try fixture.column("SELECT ?id WHERE { GRAPH <\(graph)> { ?i ms:registrationId ?id } }", reasoning: false) == ["thermostat-edge-1"])
        let setpoint = try fixture.registry.resolve(.test("snac.asu.edu/Thermostat/livingroom/setpoint"))
        #expect(setpoint.kind == .method)
        #expect(setpoint.endpoints.map(\.method) == ["PUT"])
        #expect(setpoint.endpoints.map(\.tier) == [.edge])

        _ = try await fixture.registry.setHealth(id: "thermostat-edge-1", to: .degraded)
        #expect(try fixture.column("SELECT ?h WHERE { GRAPH <\(graph)> { ?i ms:healthStatus ?h } }", reasoning: false) == [MS.health(.degraded)])
        try fixture.reopen()
        #expect(fixture.registry.registration(id: "thermostat-edge-1")?.health == .degraded)
        #expect(try fixture.registry.resolve(.test("snac.asu.edu/Thermostat/livingroom/temperature")).endpoints.map(\.topic)
                == ["home/alice/livingroom/temperature"])
    }

    // MARK: Class filters

    @Test func classFilterUsesTheDomainOntology() async throws {
        let fixture = try RegistryFixture()
        try await Self.register(fixture, try Manifests.example("examples/weight-management/wristband.json"))
        try await Self.register(fixture, try Manifests.example("examples/weight-management/weather.json"))
        try await Self.register(fixture, try Manifests.example("examples/weight-management/calendar.json"))
        let sosaSensor = "http://www.w3.org/ns/sosa/Sensor"

        // The devices are typed only with domain classes: without the domain ontology no sensor is known.
        #expect(try await Self.ids(fixture) { $0.ontologyClass = sosaSensor } == [])
        #expect(try await Self.ids(fixture) { $0.ontologyClass = "http://example.org/weight-management#Wristband" } == ["wristband-edb15825"])

        // Parsed with RDFParser and written with `replace(graph:with:)` (RegistryFixture.load).
        try fixture.load("examples/domain/weight-management.rdf", graph: "http://example.org/weight-management")

        #expect(try await Self.ids(fixture) { $0.ontologyClass = sosaSensor } == ["weather-cloud-1", "wristband-edb15825"])
        #expect(try await Self.ids(fixture) {
            $0.ontologyClass = sosaSensor
            $0.tier = .device
        } == ["wristband-edb15825"])
        #expect(try await Self.ids(fixture) { $0.ontologyClass = "http://example.org/weight-management#WeatherStation" } == ["weather-cloud-1"])
        // Types of the service and of its objects count too.
        #expect(try await Self.ids(fixture) { $0.ontologyClass = "https://schema.org/WebAPI" } == ["weather-cloud-1"])
        #expect(try await Self.ids(fixture) { $0.ontologyClass = "http://purl.oclc.org/NET/UNIS/fiware/iot-lite#VirtualEntity" }
                == ["wristband-edb15825"])
        #expect(try await Self.ids(fixture) { $0.ontologyClass = MS.Microservice } == ["calendar-cloud-1", "weather-cloud-1", "wristband-edb15825"])
        #expect(try await Self.ids(fixture) { $0.ontologyClass = "http://example.org/nothing#Here" } == [])

        // An RDF registration typed wm:Thermostat (a sensor and an actuator) is found as both.
        let thermostat = try RDFManifestReader.read(Paths.bytes("examples/rdfxml/thermostat.rdf"), format: .rdfXML,
                                                    baseIRI: "https://snac.asu.edu/services/Thermostat")
        _ = try await fixture.registry.register(.rdf(thermostat))
        #expect(try await Self.ids(fixture) { $0.ontologyClass = sosaSensor } == ["thermostat-edge-1", "weather-cloud-1", "wristband-edb15825"])
        #expect(try await Self.ids(fixture) { $0.ontologyClass = "http://www.w3.org/ns/sosa/Actuator" } == ["thermostat-edge-1"])

        let notAnIRI = await #expect(throws: RegistryError.self) {
            try await Self.ids(fixture) { $0.ontologyClass = "Sensor" }
        }
        #expect(notAnIRI?.code == .invalidRequest)
    }
}

/// MQTT topics are first come, first served across sites (docs/trust.md), and a broker gateway
/// maps a topic to the channels that serve it, pins included.
struct RegistryTopicTests {
    static func channel(_ site: String, _ id: String, _ topic: String) throws -> Manifest {
        try Manifests.service("\(site)/Line", id: id, channel: RegistryCatalogTests.mqtt(topic))
    }

    static func refusal(_ fixture: RegistryFixture, _ manifest: Manifest) async -> String? {
        do {
            try await RegistryCatalogTests.register(fixture, manifest)
            return nil
        } catch let error as RegistryError {
            return error.code.rawValue
        } catch {
            return "\(error)"
        }
    }

    @Test func anotherSitesOverlappingTopicIsRefused() async throws {
        let fixture = try RegistryFixture()
        try await RegistryCatalogTests.register(fixture, try Self.channel("plant.example", "a", "plant/press1/+"))
        #expect(await Self.refusal(fixture, try Self.channel("evil.example", "e1", "plant/press1/temperature")) == "registration.not_owned")
        #expect(await Self.refusal(fixture, try Self.channel("evil.example", "e2", "#")) == "registration.not_owned")
        #expect(await Self.refusal(fixture, try Self.channel("evil.example", "e3", "+/press1/x")) == "registration.not_owned")
        #expect(await Self.refusal(fixture, try Self.channel("evil.example", "e4", "plant/press2/temperature")) == nil)
        // The same site overlaps itself freely (another instance, another channel), not the topic
        // evil.example has now.
        #expect(await Self.refusal(fixture, try Self.channel("plant.example", "b", "plant/press1/#")) == nil)
        #expect(await Self.refusal(fixture, try Self.channel("plant.example", "c", "plant/#")) == "registration.not_owned")
        // Once the site's registrations are gone, the topic is free again.
        try await fixture.registry.deregister(id: "a")
        try await fixture.registry.deregister(id: "b")
        #expect(await Self.refusal(fixture, try Self.channel("evil.example", "e1", "plant/press1/temperature")) == nil)
    }

    @Test func aTopicMapsToTheChannelsThatServeIt() async throws {
        let fixture = try RegistryFixture()
        try await RegistryCatalogTests.register(fixture, try Self.channel("plant.example", "a", "plant/a/readings"))
        try await RegistryCatalogTests.register(fixture, try Self.channel("plant.example", "b", "plant/b/readings"))
        let wildcard = MQTTTopicFilter("plant/+/readings")!
        #expect(fixture.registry.channels(servingTopic: wildcard).map(\.topic) == ["plant/a/readings", "plant/b/readings"])
        #expect(fixture.registry.channels(servingTopic: MQTTTopicFilter("plant/a/readings")!).map(\.channel.value) == ["plant.example/Line/obj/events"])
        #expect(fixture.registry.channels(servingTopic: MQTTTopicFilter("plant/c/readings")!).isEmpty)
        // A pin on the name leaves the other instance's topic out.
        _ = try await fixture.registry.pin(try ServiceName("plant.example/Line"), expectedGeneration: 0, instances: ["b"])
        #expect(fixture.registry.channels(servingTopic: wildcard).map(\.topic) == ["plant/b/readings"])
        #expect(fixture.registry.channels(servingTopic: MQTTTopicFilter("plant/a/readings")!).isEmpty)
    }
}
