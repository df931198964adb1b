/// An ordered enumeration (`Nurse < AttendingDoctor < ...`): values compare by their rank.
public struct OrderedDomain: Sendable, Hashable {
    public var name: String
    /// Members from lowest to highest.
    public var members: [String]
    private var ranks: [String: Int]

    public init(name: String, members: [String]) {
        self.name = name
        self.members = members
        var ranks: [String: Int] = [:]
        for (rank, member) in members.enumerated() where ranks[member] == nil { ranks[member] = rank }
        self.ranks = ranks
    }

    /// The rank of a member, nil when it is not one.
    public func rank(of member: String) -> Int? { ranks[member] }
}
