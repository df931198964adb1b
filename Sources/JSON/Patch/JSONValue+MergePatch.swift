extension JSONValue {
    /// The value with a JSON Merge Patch (RFC 7396) applied: an object patch merges member by
    /// member, a `null` member removes, anything else replaces the whole value.
    ///
    /// ```swift
    /// let patched = document.mergePatched(with: try JSONValue.parse(Array(#"{"title": "Lamp 2", "support": null}"#.utf8)))
    /// ```
    public func mergePatched(with patch: JSONValue) -> JSONValue {
        guard case .object(let changes) = patch else { return patch }
        var members: [String: JSONValue]
        if case .object(let current) = self { members = current } else { members = [:] }
        for (name, change) in changes {
            if change == .null {
                members[name] = nil
            } else {
                members[name] = (members[name] ?? .null).mergePatched(with: change)
            }
        }
        return .object(members)
    }
}
