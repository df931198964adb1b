import Foundation

/// The rule for subject identifiers (a decision's subject, a credential's `sub`, a subject
/// record's id), kept in one place.
///
/// Identifiers are compared exactly as signed, scalar by scalar. Unicode has several spellings
/// of what looks like one name (`K` KELVIN SIGN and `K`; a precomposed `ë` and `e` with a
/// combining diaeresis), and Swift's `==` treats canonically equivalent spellings as equal; so
/// only the NFC spelling is accepted anywhere, which makes exact and canonical comparison agree
/// and leaves no second spelling of a name to be issued to someone else. Control and format
/// characters (bidi overrides, zero-width joiners) are refused too, since they hide what a
/// name says.
public enum SubjectIdentifier {
    /// Why `text` is not a subject identifier, or nil when it is one.
    public static func problem(_ text: String) -> String? {
        if text.isEmpty { return "it is empty" }
        if text.utf8.count > 1024 { return "it is longer than 1024 bytes" }
        // Printable ASCII is NFC with nothing hidden: decided without Foundation's normalizer,
        // which is most of the cost of a decision request's checks.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return nil }
        for scalar in text.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator:
                return "it has the character U+\(String(scalar.value, radix: 16, uppercase: true)), which is not allowed in an identifier"
            default:
                continue
            }
        }
        let normalized = text.precomposedStringWithCanonicalMapping
        if !normalized.unicodeScalars.elementsEqual(text.unicodeScalars) {
            return "it is not in Unicode normalization form C (its NFC spelling is `\(normalized)`)"
        }
        return nil
    }
}
