/// The attribute values one decision sees, by declaration slot, with why each missing one is
/// missing (for explanations and fail-closed evaluation).
public struct AttributeBag: Sendable {
    public var values: [AttributeValue?]
    public var problems: [AttributeProblem?]
    /// Until when each value is certified (its credential's expiry).
    public var expiries: [Double?]
    /// Answers to `resource is C`, by class IRI; absent when the resource is unknown.
    public var resourceClasses: [String: Bool] = [:]

    public init(slots: Int) {
        values = Array(repeating: nil, count: slots)
        problems = Array(repeating: nil, count: slots)
        expiries = Array(repeating: nil, count: slots)
    }

    public mutating func set(_ slot: Int, _ value: AttributeValue, expires: Double? = nil) {
        values[slot] = value
        problems[slot] = nil
        expiries[slot] = expires
    }

    public mutating func refuse(_ slot: Int, _ problem: AttributeProblem) {
        if values[slot] == nil { problems[slot] = problem }
    }
}
