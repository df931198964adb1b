/// One named piece of policy text; a policy set is compiled from all of them together.
public struct PolicyDocument: Sendable, Hashable, Codable {
    public var name: String
    public var text: String

    public init(name: String, text: String) {
        self.name = name
        self.text = text
    }
}
