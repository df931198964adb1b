import Foundation
import Testing
@testable import Registry

/// Site-scoped names: what is a name, what is not (path tricks, look-alikes), and prefix coverage
/// as token scopes use it.
struct ServiceNameTests {
    @Test(arguments: [
        "snac.asu.edu/Weather",
        "snac.asu.edu/Weather/station1",
        "snac.asu.edu/WeightManagementPlan/plan1/checkGoal",
        "snac.asu.edu/device/edb15825-92e2-e7b1-7c97-ddd102258a70",
        "localhost/X",
        "a-b.c/x_y~z.1-2",
        "snac.asu.edu/...",
        "snac.asu.edu/.hidden",
        "snac.asu.edu/a..b",
        "EXAMPLE.org/UPPER",
    ])
    func validNames(text: String) throws {
        let name = try ServiceName(text)
        #expect(name.value == text)
        #expect(name.description == text)
    }

    @Test func siteIsTheDomainPart() throws {
        #expect(try ServiceName("snac.asu.edu/Weather/station1").site == "snac.asu.edu")
        #expect(try ServiceName("localhost/X").site == "localhost")
    }

    @Test(arguments: [
        // not site-scoped
        "", "Weather", "snac.asu.edu", "/Weather", "snac.asu.edu/",
        // empty segments
        "snac.asu.edu//Weather", "snac.asu.edu/Weather/", "snac.asu.edu/Weather//station1",
        // dot segments
        "snac.asu.edu/../Weather", "snac.asu.edu/./Weather", "snac.asu.edu/Weather/..", "snac.asu.edu/Weather/.",
        "snac.asu.edu/Weather/../../other.site/X",
        // bad domains
        ".snac.asu.edu/X", "snac..asu.edu/X", "snac.asu.edu./X", "snac.asu.edu:8080/X", "user@snac.asu.edu/X",
        "snac_asu.edu/X", "../X", "./X",
        // percent-encoding is not decoded, and `%` is not a name character
        "snac.asu.edu/%2e%2e/X", "snac.asu.edu/%2E%2E", "snac.asu.edu/Weather%2Fstation1",
        // spaces and other ASCII
        "snac.asu.edu/My Service", " snac.asu.edu/X", "snac.asu.edu/X ", "snac.asu.edu/X\t", "snac.asu.edu/X\n",
        "snac.asu.edu/a?b", "snac.asu.edu/a#b", "snac.asu.edu/a\\b", "snac.asu.edu/a:b", "snac.asu.edu/a\u{0}b",
        // look-alikes: Cyrillic 'а' (U+0430) in the domain, Cyrillic 'е' in a segment,
        // fullwidth solidus (U+FF0F), division slash (U+2215), fullwidth full stop (U+FF0E)
        "sn\u{0430}c.asu.edu/X", "snac.asu.edu/W\u{0435}ather", "snac.asu.edu\u{FF0F}X", "snac.asu.edu/X\u{FF0F}Y",
        "snac.asu.edu\u{2215}X", "snac.asu.edu/\u{FF0E}\u{FF0E}/X", "snac.asu.edu/Caf\u{00E9}", "snac.asu.edu/Cafe\u{0301}",
        // zero-width and bidi characters
        "snac.asu.edu/We\u{200B}ather", "snac.asu.edu/\u{202E}rehtaeW",
    ])
    func invalidNames(text: String) {
        let error = #expect(throws: RegistryError.self) { try ServiceName(text) }
        #expect(error?.code == .invalidName, "\(text.debugDescription)")
    }

    @Test func lengthLimitIs256Bytes() throws {
        let prefix = "snac.asu.edu/"
        let longest = prefix + String(repeating: "a", count: 256 - prefix.count)
        #expect(try ServiceName(longest).value.utf8.count == 256)
        #expect(throws: RegistryError.self) { try ServiceName(longest + "a") }
    }

    @Test func lookAlikesAreDifferentNames() throws {
        // The Latin name is valid; its Cyrillic twin is refused, so it can never shadow it.
        let latin = try ServiceName("snac.asu.edu/X")
        #expect(latin.site == "snac.asu.edu")
        #expect(throws: RegistryError.self) { try ServiceName("sn\u{0430}c.asu.edu/X") }
    }

    @Test func coverageByPrefix() throws {
        let name = try ServiceName("snac.asu.edu/Weather/station1")
        #expect(name.isCovered(byPrefix: ""))
        #expect(name.isCovered(byPrefix: "snac.asu.edu"))
        #expect(name.isCovered(byPrefix: "snac.asu.edu/"))
        #expect(name.isCovered(byPrefix: "snac.asu.edu/Weather"))
        #expect(name.isCovered(byPrefix: "snac.asu.edu/Weather/"))
        #expect(name.isCovered(byPrefix: "snac.asu.edu/Weather/station1"))
        #expect(!name.isCovered(byPrefix: "snac.asu.edu/Weather/station1/"))
        #expect(!name.isCovered(byPrefix: "snac.asu.edu/Weather/station"))
        #expect(!name.isCovered(byPrefix: "snac.asu.edu/Weath"))
        #expect(!name.isCovered(byPrefix: "snac.asu"))
        #expect(!name.isCovered(byPrefix: "other.site"))
        #expect(!name.isCovered(byPrefix: "snac.asu.edu/Weather2"))
        // Only a prefix ending in "/" matches by text.
        #expect(name.isCovered(byPrefix: "snac.asu.edu/Weather/sta/") == false)
    }

    @Test func domainPrefixDoesNotCoverALongerDomain() throws {
        let evil = try ServiceName("snac.asu.edu.evil/X")
        #expect(!evil.isCovered(byPrefix: "snac.asu.edu"))
        #expect(!evil.isCovered(byPrefix: "snac.asu.edu/"))
        #expect(evil.isCovered(byPrefix: "snac.asu.edu.evil"))
        let sibling = try ServiceName("snac.asu.edu-evil/X")
        #expect(!sibling.isCovered(byPrefix: "snac.asu.edu"))
        let weather2 = try ServiceName("snac.asu.edu/Weather2")
        #expect(!weather2.isCovered(byPrefix: "snac.asu.edu/Weather"))
        #expect(weather2.isCovered(byPrefix: "snac.asu.edu"))
    }

    @Test func appendingAMember() throws {
        let object = try ServiceName("snac.asu.edu/Weather/station1")
        #expect(try object.appending("getForecast").value == "snac.asu.edu/Weather/station1/getForecast")
        for bad in ["", ".", "..", "a/b", "a b", "\u{0430}"] {
            let error = #expect(throws: RegistryError.self) { try object.appending(bad) }
            #expect(error?.code == .invalidName, "\(bad.debugDescription)")
        }
        // The result is a checked name: it cannot pass the length limit.
        let long = try ServiceName("snac.asu.edu/" + String(repeating: "a", count: 240))
        #expect(throws: RegistryError.self) { try long.appending(String(repeating: "b", count: 10)) }
    }

    @Test func codableChecksTheName() throws {
        let name = try ServiceName("snac.asu.edu/Weather")
        let data = try JSONEncoder().encode([name])
        #expect(try JSONDecoder().decode([ServiceName].self, from: data) == [name])
        #expect(throws: RegistryError.self) { try JSONDecoder().decode([ServiceName].self, from: Data(#"["snac.asu.edu/../X"]"#.utf8)) }
    }

    @Test func namesSortByText() throws {
        let names = try ["snac.asu.edu/b", "snac.asu.edu/a/x", "other.site/z", "snac.asu.edu/a"].map { try ServiceName($0) }
        #expect(names.sorted().map(\.value) == ["other.site/z", "snac.asu.edu/a", "snac.asu.edu/a/x", "snac.asu.edu/b"])
    }
}
