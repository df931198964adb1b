import Foundation
import JSON
import Testing
@testable import Registry

/// A manifest writes its own JSON (``JSONTextWriter``) for its record: the text must be what
/// its `Codable` form gives through ``CompactJSONEncoder``, since records are read back by
/// `JSONDecoder`, and GET answers and backups compare them.
@Suite struct ManifestJSONTextTests {
    @Test func everyExampleManifestWritesWhatItsCodableFormEncodes() throws {
        let files = try Paths.exampleManifests()
        #expect(files.count >= 5)
        for file in files {
            let manifest = try ManifestDecoder.decode(try Data(contentsOf: file))
            #expect(manifest.compactJSON == (try CompactJSONEncoder.encode(manifest)), "\(file.lastPathComponent)")
        }
    }

    @Test func everyFieldSetAndEveryFieldEmptyWriteTheSame() throws {
        var full = Manifest(name: try ServiceName("example.org/Full"), version: "2.0.1")
        full.label = "a \"quoted\" label\nwith a newline, a tab\t and é 🙂"
        full.description = "back\\slash / slash"
        full.category = "http://example.org/Category"
        full.types = ["http://example.org/A", "http://example.org/B"]
        full.introspect = "http://127.0.0.1:9/introspect"
        full.instance.id = "full-1"
        full.instance.tier = .edge
        full.instance.host = "gateway-7"
        full.instance.weight = 0
        full.instance.ttlMilliseconds = 30_000
        full.instance.health = .degraded
        full.instance.check = HealthCheckSpec(url: "http://127.0.0.1:9/health", intervalMilliseconds: 5_000, timeoutMilliseconds: 250)
        full.devices = [DeviceSpec(id: "d1", iri: "urn:device:d1", types: ["http://www.w3.org/ns/sosa/Sensor"], label: "D",
                                   location: "room 1", observes: ["http://example.org/Temperature"])]
        var endpoint = EndpointSpec(protocol: .amqp, address: "amqp://broker")
        endpoint.httpMethod = "POST"
        endpoint.topic = "t/1"
        endpoint.exchange = "ex"
        endpoint.routingKey = "rk"
        endpoint.queue = "q"
        endpoint.contentType = "application/json"
        let method = MethodSpec(name: "get", label: "Get", description: "gets", category: "c",
                                inputs: [ParameterSpec(name: "in", type: "http://www.w3.org/2001/XMLSchema#string", description: "d")],
                                outputs: [ParameterSpec(name: "out", type: nil, description: nil)],
                                preconditions: ["p"], results: ["r"],
                                sla: SLASpec(maxLatencyMs: 12.5, availability: 0.999, maxRequestsPerSecond: 100),
                                endpoints: [endpoint, EndpointSpec(protocol: .rest, address: "http://h/get")])
        let channel = ChannelSpec(name: "events", label: nil, description: "d", schema: #"{"type":"object"}"#,
                                  observes: "http://example.org/Temperature", endpoints: [EndpointSpec(protocol: .mqtt, address: "mqtt://b")])
        full.objects = [ObjectSpec(name: try ServiceName("example.org/Full/o"), label: "O", description: "o", types: ["http://example.org/T"],
                                   devices: ["d1"], methods: [method], channels: [channel]),
                        ObjectSpec(name: try ServiceName("example.org/Full/empty"))]
        let empty = Manifest(name: try ServiceName("example.org/Empty"), version: "")
        for manifest in [full, empty] {
            let text = manifest.compactJSON
            #expect(text == (try CompactJSONEncoder.encode(manifest)))
            #expect(try JSONDecoder().decode(Manifest.self, from: Data(text.utf8)) == manifest)
        }
    }

    @Test func recordHeadersAndEventsWriteWhatTheirCodableFormsEncode() throws {
        var header = Registration.Header(id: "a-1", source: .rdf, document: "<s> <p> \"o\" .\n", instanceNode: "<urn:i>", pullURL: nil,
                                         health: .broken, healthNote: "timed out", leaseExpires: 1_795_000_000_000,
                                         created: 1, updated: 2, index: 3, owner: "token-1")
        #expect(header.compactJSON == (try CompactJSONEncoder.encode(header)))
        header = Registration.Header(id: "b", source: .manifest, document: nil, instanceNode: nil, pullURL: "http://h/introspect",
                                     health: .ok, healthNote: nil, leaseExpires: nil, created: 0, updated: 0, index: 0, owner: nil)
        #expect(header.compactJSON == (try CompactJSONEncoder.encode(header)))
        let events = [
            RegistryEvent(index: 7, type: .serviceRegistered, id: "a-1", name: "x.example/A", version: "1.0.0", health: .degraded,
                          generation: nil, time: 1_795_000_000_000),
            RegistryEvent(index: 8, type: .nameRebound, id: nil, name: "x.example/A", version: nil, health: nil, generation: 4, time: 5),
        ]
        for event in events {
            #expect(event.compactJSON == (try CompactJSONEncoder.encode(event)))
        }
    }
}
