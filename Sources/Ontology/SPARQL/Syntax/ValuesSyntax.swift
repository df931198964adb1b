/// `VALUES`, inline or after a query: variables and rows (nil for `UNDEF`).
struct ValuesSyntax: Sendable {
    var variables: [Variable]
    var rows: [[Term?]]
    var offset: Int
}
