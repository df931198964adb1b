/// What a template or data block may hold (SPARQL 1.1 Update §3.1, and grammar notes 8–9).
struct TemplateRules: Sendable {
    var allowsVariables: Bool
    var allowsBlankNodes: Bool
    /// The clause, for messages: "variables are not allowed in `INSERT DATA`".
    var clause: String

    static let construct = TemplateRules(allowsVariables: true, allowsBlankNodes: true, clause: "CONSTRUCT")
    static let insertData = TemplateRules(allowsVariables: false, allowsBlankNodes: true, clause: "INSERT DATA")
    static let deleteData = TemplateRules(allowsVariables: false, allowsBlankNodes: false, clause: "DELETE DATA")
    static let deleteWhere = TemplateRules(allowsVariables: true, allowsBlankNodes: false, clause: "DELETE WHERE")
    static let delete = TemplateRules(allowsVariables: true, allowsBlankNodes: false, clause: "DELETE")
    static let insert = TemplateRules(allowsVariables: true, allowsBlankNodes: true, clause: "INSERT")
}
