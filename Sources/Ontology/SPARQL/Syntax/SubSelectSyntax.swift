/// A `{ SELECT … }` inside a group.
struct SubSelectSyntax: Sendable {
    var select: SelectClauseSyntax
    var body: GroupSyntax
    var modifiers: SolutionModifierSyntax
    var values: ValuesSyntax?
}
