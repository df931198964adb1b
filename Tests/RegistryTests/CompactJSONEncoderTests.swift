import Foundation
import JSON
import Testing
@testable import Registry

/// The compact encoder must write what Foundation's `JSONEncoder` writes with sorted keys and
/// unescaped slashes, since records written by either are read back by `JSONDecoder`.
@Suite struct CompactJSONEncoderTests {
    private func foundation<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    @Test func everyExampleManifestEncodesAsFoundationDoes() throws {
        let files = try Paths.exampleManifests()
        #expect(files.count >= 5)
        for file in files {
            let manifest = try ManifestDecoder.decode(try Data(contentsOf: file))
            let compact = try CompactJSONEncoder.encode(manifest)
            #expect(compact == (try foundation(manifest)), "\(file.lastPathComponent)")
            #expect(try JSONDecoder().decode(Manifest.self, from: Data(compact.utf8)) == manifest)
        }
    }

    @Test func scalarsEscapesAndNestingMatchFoundation() throws {
        struct Sample: Codable, Equatable {
            var text = "quote \" backslash \\ slash / newline \n tab \t bell \u{07} é 🙂"
            var whole = 3.0
            var fraction = 0.1
            var large = 1e21
            var negative = -42
            var flag = false
            var missing: String? = nil
            var present: Int? = 7
            var list = [[1, 2], [], [3]]
            var map = ["b": "2", "a": "1", "B": "0", "é": "x"]
            var nested = ["k": ["z": true, "y": false]]
        }
        let sample = Sample()
        let compact = try CompactJSONEncoder.encode(sample)
        #expect(compact == (try foundation(sample)))
        #expect(try JSONDecoder().decode(Sample.self, from: Data(compact.utf8)) == sample)
    }

    @Test func jsonValuesRoundTrip() throws {
        let value = try JSONValue.parse(Array(#"{"type":"object","properties":{"w":{"type":"number","minimum":0.5}},"list":[null,true,"a/b"]}"#.utf8))
        #expect(value.jsonText == (try foundation(value)))
        #expect(try JSONValue.parse(Array(value.jsonText.utf8)) == value)
    }
}
