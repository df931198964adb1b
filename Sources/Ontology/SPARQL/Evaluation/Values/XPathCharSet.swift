/// A set of Unicode scalars that one step of an XPath regular expression may read: a
/// character class, a multi-character escape (`\d`, `\w`…), a category or block escape
/// (`\p{Lu}`, `\p{IsGreek}`), or a case-insensitive literal.
///
/// Sets stay as small trees rather than being flattened into ranges, because categories such
/// as `\p{L}` span thousands of ranges; a lookup asks `Unicode.Scalar.Properties` instead.
indirect enum XPathCharSet: Sendable {
    /// Sorted, non-overlapping, non-adjacent ranges of scalar values.
    case ranges([ClosedRange<UInt32>])
    /// General categories, one bit per ``categoryNames`` entry.
    case categories(UInt32)
    case union([XPathCharSet])
    case complement(XPathCharSet)
    /// XSD class subtraction `[base-[removed]]`.
    case subtraction(XPathCharSet, XPathCharSet)

    /// Whether the scalar `value` is in the set.
    func contains(_ value: UInt32) -> Bool {
        switch self {
        case .ranges(let ranges): return Self.rangesContain(ranges, value)
        case .categories(let mask): return mask & Self.categoryBit(value) != 0
        case .union(let members): return members.contains { $0.contains(value) }
        case .complement(let inner): return !inner.contains(value)
        case .subtraction(let base, let removed): return base.contains(value) && !removed.contains(value)
        }
    }

    /// Case-insensitive membership (flag `i`): each leaf (range, category) matches when any
    /// case variant of the scalar is in it, and complements and subtractions apply after
    /// that, so that `[^q]` excludes both `q` and `Q` as XPath F&O §5.6.2 asks.
    /// - Parameter variants: the scalar and its case variants, from ``caseVariants(of:)``.
    func contains(anyOf variants: [UInt32]) -> Bool {
        switch self {
        case .ranges(let ranges): return variants.contains { Self.rangesContain(ranges, $0) }
        case .categories(let mask): return variants.contains { mask & Self.categoryBit($0) != 0 }
        case .union(let members): return members.contains { $0.contains(anyOf: variants) }
        case .complement(let inner): return !inner.contains(anyOf: variants)
        case .subtraction(let base, let removed):
            return base.contains(anyOf: variants) && !removed.contains(anyOf: variants)
        }
    }

    /// The set of the given ranges in any order, sorted and merged.
    static func merging(_ unsorted: [ClosedRange<UInt32>]) -> XPathCharSet {
        let sorted = unsorted.sorted { $0.lowerBound < $1.lowerBound }
        var merged: [ClosedRange<UInt32>] = []
        for range in sorted {
            if let last = merged.last, range.lowerBound <= last.upperBound &+ 1 {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        return .ranges(merged)
    }

    private static func rangesContain(_ ranges: [ClosedRange<UInt32>], _ value: UInt32) -> Bool {
        var low = 0
        var high = ranges.count
        while low < high {
            let middle = (low + high) / 2
            let range = ranges[middle]
            if value < range.lowerBound {
                high = middle
            } else if value > range.upperBound {
                low = middle + 1
            } else {
                return true
            }
        }
        return false
    }

    // MARK: Case variants

    /// The scalar and every scalar reachable from it by the simple (one-scalar) lowercase,
    /// uppercase and titlecase mappings: the "case variants" XPath's flag `i` compares.
    static func caseVariants(of value: UInt32) -> [UInt32] {
        if value < 0x80 {
            let isLetter = (0x41...0x5A).contains(value) || (0x61...0x7A).contains(value)
            return isLetter ? [value, value ^ 0x20] : [value]
        }
        var variants = [value]
        var index = 0
        while index < variants.count, variants.count < 8 {
            if let scalar = Unicode.Scalar(variants[index]) {
                let properties = scalar.properties
                let mappings = [properties.lowercaseMapping, properties.uppercaseMapping, properties.titlecaseMapping]
                for mapping in mappings {
                    let mapped = mapping.unicodeScalars
                    if mapped.count == 1, let first = mapped.first, !variants.contains(first.value) {
                        variants.append(first.value)
                    }
                }
            }
            index += 1
        }
        return variants
    }

    /// The ranges with the case variants of their scalars added, for ranges small enough to
    /// walk (larger ones rely on the variants of the text's scalars alone).
    static func caseClosed(_ ranges: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        var out = ranges
        for range in ranges where range.count <= 512 {
            for value in range {
                for variant in caseVariants(of: value).dropFirst() { out.append(variant...variant) }
            }
        }
        return out
    }

    // MARK: Categories and escapes

    /// General category abbreviations, in the order of their bits.
    static let categoryNames = ["Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nd", "Nl", "No",
                                "Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "Sm", "Sc", "Sk", "So",
                                "Zs", "Zl", "Zp", "Cc", "Cf", "Cs", "Co", "Cn"]

    /// The set a category escape names: a two-letter category (`Lu`) or a one-letter group
    /// of them (`L`); nil for an unknown name.
    static func category(named name: String) -> XPathCharSet? {
        let mask = categoryMask(named: name)
        return mask == 0 ? nil : .categories(mask)
    }

    private static func categoryMask(named name: String) -> UInt32 {
        var mask: UInt32 = 0
        for (bit, category) in categoryNames.enumerated()
        where category == name || (name.count == 1 && category.hasPrefix(name)) {
            mask |= 1 << UInt32(bit)
        }
        return mask
    }

    /// The bit of the scalar's general category (unassigned for a surrogate value).
    private static func categoryBit(_ value: UInt32) -> UInt32 {
        guard let scalar = Unicode.Scalar(value) else { return 1 << 29 }
        let index: UInt32
        switch scalar.properties.generalCategory {
        case .uppercaseLetter: index = 0
        case .lowercaseLetter: index = 1
        case .titlecaseLetter: index = 2
        case .modifierLetter: index = 3
        case .otherLetter: index = 4
        case .nonspacingMark: index = 5
        case .spacingMark: index = 6
        case .enclosingMark: index = 7
        case .decimalNumber: index = 8
        case .letterNumber: index = 9
        case .otherNumber: index = 10
        case .connectorPunctuation: index = 11
        case .dashPunctuation: index = 12
        case .openPunctuation: index = 13
        case .closePunctuation: index = 14
        case .initialPunctuation: index = 15
        case .finalPunctuation: index = 16
        case .otherPunctuation: index = 17
        case .mathSymbol: index = 18
        case .currencySymbol: index = 19
        case .modifierSymbol: index = 20
        case .otherSymbol: index = 21
        case .spaceSeparator: index = 22
        case .lineSeparator: index = 23
        case .paragraphSeparator: index = 24
        case .control: index = 25
        case .format: index = 26
        case .surrogate: index = 27
        case .privateUse: index = 28
        case .unassigned: index = 29
        @unknown default: index = 29
        }
        return 1 << index
    }

    /// XML 1.0 (fifth edition) NameStartChar, the set of `\i`.
    private static let nameStartRanges: [ClosedRange<UInt32>] = [
        0x3A...0x3A, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A, 0xC0...0xD6, 0xD8...0xF6,
        0xF8...0x2FF, 0x370...0x37D, 0x37F...0x1FFF, 0x200C...0x200D, 0x2070...0x218F,
        0x2C00...0x2FEF, 0x3001...0xD7FF, 0xF900...0xFDCF, 0xFDF0...0xFFFD, 0x10000...0xEFFFF,
    ]

    /// XML 1.0 NameChar, the set of `\c`: NameStartChar plus `-`, `.`, digits, `·` and
    /// combining marks.
    private static let nameRanges = nameStartRanges + [
        0x2D...0x2E, 0x30...0x39, 0xB7...0xB7, 0x300...0x36F, 0x203F...0x2040,
    ]

    /// The set of a multi-character escape letter (`d` for `\d`…); nil for other letters.
    static func multiCharacterEscape(_ letter: Unicode.Scalar) -> XPathCharSet? {
        switch letter {
        case "s": return .ranges([0x9...0xA, 0xD...0xD, 0x20...0x20])
        case "i": return merging(nameStartRanges)
        case "c": return merging(nameRanges)
        case "d": return category(named: "Nd")
        // XSD: [#x0000-#x10FFFF]-[\p{P}\p{Z}\p{C}].
        case "w":
            let excluded = categoryMask(named: "P") | categoryMask(named: "Z") | categoryMask(named: "C")
            return .complement(.categories(excluded))
        case "S", "I", "C", "D", "W":
            let lower = Unicode.Scalar(letter.value + 0x20) ?? letter
            return multiCharacterEscape(lower).map { .complement($0) }
        default: return nil
        }
    }
}
