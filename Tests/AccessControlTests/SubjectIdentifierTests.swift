@testable import AccessControl
import Testing

/// Subject identifiers: NFC only, no control or format characters, compared as signed.
struct SubjectIdentifierTests {
    @Test(arguments: ["Kim", "Zo\u{EB}", "alice@hospital.example", "\u{5F20}\u{4F1F}"])
    func nfcIdentifiersAreAccepted(_ text: String) {
        #expect(SubjectIdentifier.problem(text) == nil)
    }

    @Test(arguments: ["\u{212A}im", "Zoe\u{308}", "", "ali\u{200B}ce", "bob\u{202E}", "a\u{0}b"])
    func otherSpellingsAreRefused(_ text: String) {
        #expect(SubjectIdentifier.problem(text) != nil)
    }

    @Test func aCredentialIsAboutExactlyTheSubjectItNames() {
        let credential = VerifiedCredential(issuer: "h", subject: "\u{212A}im", notBefore: nil, expires: 2e9, attributes: [:])
        // Swift's == would say these are equal (canonical equivalence).
        #expect(credential.problem(for: "Kim", at: 1e9) != nil)
        #expect(credential.problem(for: "\u{212A}im", at: 1e9) == nil)
    }
}
