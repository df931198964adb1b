/// Where an ``XPathRegexProgram`` matched: offsets in Unicode scalars into the text searched.
struct XPathRegexMatch: Sendable, Equatable {
    /// The whole match.
    let range: Range<Int>
    /// Group 1, 2…: nil for a group that took no part in the match (`(a)|b` matching `b`).
    let groups: [Range<Int>?]

    /// Group `number`, 0 being the whole match; nil if the group took no part or does not
    /// exist.
    func group(_ number: Int) -> Range<Int>? {
        if number == 0 { return range }
        guard number > 0, number <= groups.count else { return nil }
        return groups[number - 1]
    }
}
