/// A group graph pattern `{ … }` as parsed: a sub-select, or the elements in order.
indirect enum GroupSyntax: Sendable {
    case elements([GroupElementSyntax])
    case subSelect(SubSelectSyntax)
}
