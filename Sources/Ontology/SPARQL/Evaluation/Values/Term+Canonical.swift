extension Term {
    /// The term with a numeric, boolean or dateTime literal in the canonical lexical form of its
    /// value (`"01"^^xsd:integer` → `"1"`); any other term unchanged.
    ///
    /// Useful to compare results by value, as the W3C test results require.
    public var canonicalized: Term { TermValues.canonicalized(self) }
}
