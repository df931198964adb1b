import Testing
import Registry

/// MQTT topic matching as brokers do it (MQTT 3.1.1 §4.7): what a broker gateway maps a
/// message's topic and a subscription's filter to.
struct MQTTTopicFilterTests {
    static func filter(_ text: String) -> MQTTTopicFilter { MQTTTopicFilter(text)! }

    @Test func invalidFiltersAreRefused() {
        for text in ["", "a/b#", "a/#/b", "a+/b", "a/+b", "a\u{0}b"] { #expect(MQTTTopicFilter(text) == nil, "\(text)") }
        for text in ["#", "+", "a/+/b", "a/#", "/", "a//b", "$SYS/x"] { #expect(MQTTTopicFilter(text) != nil, "\(text)") }
    }

    @Test func wildcardsMatchLevelsAsBrokersDo() {
        #expect(Self.filter("plant/+/temp").matches("plant/press1/temp"))
        #expect(!Self.filter("plant/+/temp").matches("plant/press1/x/temp"))
        #expect(!Self.filter("plant/+/temp").matches("plant/temp"))
        #expect(Self.filter("plant/#").matches("plant"), "`#` includes the parent level")
        #expect(Self.filter("plant/#").matches("plant/a/b/c"))
        #expect(!Self.filter("plant/#").matches("plantation/a"))
        #expect(Self.filter("+/+").matches("/a"), "an empty level is a level")
        #expect(!Self.filter("a/b").matches("a/b/"))
        #expect(!Self.filter("#").matches("$SYS/broker/uptime"), "wildcards do not reach `$` topics")
        #expect(Self.filter("$SYS/#").matches("$SYS/broker/uptime"))
    }

    @Test func overlapIsWhetherSomeTopicMatchesBoth() {
        #expect(Self.filter("plant/+/temp").overlaps(Self.filter("plant/press1/+")))
        #expect(Self.filter("plant/#").overlaps(Self.filter("+/press1/temp")))
        #expect(Self.filter("plant/#").overlaps(Self.filter("plant")))
        #expect(!Self.filter("plant/+/temp").overlaps(Self.filter("plant/+/vibration")))
        #expect(!Self.filter("plant/+").overlaps(Self.filter("plant/+/+")))
        #expect(!Self.filter("#").overlaps(Self.filter("$SYS/x")))
        #expect(Self.filter("$SYS/#").overlaps(Self.filter("$SYS/+")))
    }
}
