/// Why an attribute has no usable value.
public enum AttributeProblem: Error, Sendable, Hashable, CustomStringConvertible {
    case missing(String)
    case wrongType(String)
    case outsideDomain(String)
    case refused(String)

    public var description: String {
        switch self {
        case .missing(let text), .wrongType(let text), .outsideDomain(let text), .refused(let text): text
        }
    }
}
