/// The lexical side of `xsd:double` and `xsd:float`: parsing their lexical space, and writing
/// the canonical form (`"1.5E0"`), the XPath string cast form (`"1.5"`), and plain digits.
///
/// All writers start from Swift's `description`, which prints the shortest digit string that
/// reads back to the same value; only the layout differs.
enum FloatingPointFormat {
    /// Parses the XSD lexical space of `xsd:double` (XSD 1.1 §3.3.5): an optional sign, digits
    /// with an optional point, an optional exponent, or `INF`, `+INF`, `-INF`, `NaN`.
    ///
    /// Swift's own `Double(String)` also takes hexadecimal, `inf`, `nan` and `infinity`, which
    /// XSD does not: the form is checked first, then converted with correct rounding.
    static func parseDouble<S: StringProtocol>(_ lexical: S) -> Double? {
        switch lexical {
        case "INF", "+INF": return .infinity
        case "-INF": return -.infinity
        case "NaN": return .nan
        default: break
        }
        guard let normalized = validatedDecimalForm(lexical) else { return nil }
        return Double(normalized)
    }

    /// Parses the XSD lexical space of `xsd:float`; out-of-range magnitudes become infinities,
    /// as XSD 1.1's lexical mapping rounds them.
    static func parseFloat<S: StringProtocol>(_ lexical: S) -> Float? {
        switch lexical {
        case "INF", "+INF": return .infinity
        case "-INF": return -.infinity
        case "NaN": return .nan
        default: break
        }
        guard let normalized = validatedDecimalForm(lexical) else { return nil }
        return Float(normalized)
    }

    /// Checks `(+|-)? (digits ("." digits?)? | "." digits) ((e|E) (+|-)? digits)?` and returns
    /// the string with a `0` added around a bare point, which `strtod` needs no help with but
    /// keeps the conversion input unambiguous.
    private static func validatedDecimalForm<S: StringProtocol>(_ lexical: S) -> String? {
        var mantissaDigits = 0
        var exponentDigits = 0
        var seenPoint = false
        var seenExponent = false
        var previous: UInt8 = 0
        var out: [UInt8] = []
        out.reserveCapacity(lexical.utf8.count + 2)
        for byte in lexical.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if seenExponent { exponentDigits += 1 } else { mantissaDigits += 1 }
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                // A sign only at the start or right after the exponent marker.
                let atStart = out.isEmpty
                let afterExponent = previous == UInt8(ascii: "e") || previous == UInt8(ascii: "E")
                guard atStart || afterExponent else { return nil }
            case UInt8(ascii: "."):
                guard !seenPoint, !seenExponent else { return nil }
                seenPoint = true
                if mantissaDigits == 0 { out.append(UInt8(ascii: "0")) }
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                guard !seenExponent, mantissaDigits > 0 else { return nil }
                if previous == UInt8(ascii: ".") { out.append(UInt8(ascii: "0")) }
                seenExponent = true
            default:
                return nil
            }
            out.append(byte)
            previous = byte
        }
        guard mantissaDigits > 0, !seenExponent || exponentDigits > 0 else { return nil }
        if previous == UInt8(ascii: ".") { out.append(UInt8(ascii: "0")) }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: Writing

    /// The canonical form of XSD (§3.3.5.2): one non-zero digit before the point, at least one
    /// after it, and an exponent: `"1.5E0"`, `"1.0E-7"`, `"0.0E0"`, `"-0.0E0"`, `"INF"`, `"NaN"`.
    static func canonical(_ value: Double) -> String {
        if let special = special(value.isNaN, value.isInfinite, value < 0) { return special }
        return scientific(Digits(value.description))
    }

    /// The canonical form of a float, from the float's own shortest digits.
    static func canonical(_ value: Float) -> String {
        if let special = special(value.isNaN, value.isInfinite, value < 0) { return special }
        return scientific(Digits(value.description))
    }

    /// The XPath cast to `xs:string` (XPath F&O §19.1.2.2): magnitudes in [10^-6, 10^6) (and
    /// zero) are written as decimals without exponent (`"1"`, `"1.25"`, `"-0"`), others in
    /// canonical form.
    static func xpathString(_ value: Double) -> String {
        if let special = special(value.isNaN, value.isInfinite, value < 0) { return special }
        let magnitude = Swift.abs(value)
        if magnitude == 0 || (magnitude >= 1e-6 && magnitude < 1e6) {
            return plain(Digits(value.description), keepNegativeZero: true)
        }
        return scientific(Digits(value.description))
    }

    /// The XPath cast to `xs:string` for a float (same rule, float digits).
    static func xpathString(_ value: Float) -> String {
        if let special = special(value.isNaN, value.isInfinite, value < 0) { return special }
        let magnitude = Swift.abs(value)
        if magnitude == 0 || (magnitude >= 1e-6 && magnitude < 1e6) {
            return plain(Digits(value.description), keepNegativeZero: true)
        }
        return scientific(Digits(value.description))
    }

    /// The shortest digits of a finite double written without exponent (`"0.1"`, `"1e21"`
    /// becomes `"1000000000000000000000"`), for conversion to ``XSDDecimal``.
    static func plainDigits(of value: Double) -> String { plain(Digits(value.description), keepNegativeZero: false) }

    /// The shortest digits of a finite float written without exponent.
    static func plainDigits(of value: Float) -> String { plain(Digits(value.description), keepNegativeZero: false) }

    private static func special(_ isNaN: Bool, _ isInfinite: Bool, _ isNegative: Bool) -> String? {
        if isNaN { return "NaN" }
        if isInfinite { return isNegative ? "-INF" : "INF" }
        return nil
    }

    /// A finite number as a digit string and the position of the decimal point: the value is
    /// `0.d1d2d3… × 10^pointPosition`, with no leading or trailing zero digit.
    private struct Digits {
        var negative = false
        var digits: [UInt8] = []
        var pointPosition = 0

        /// Reads Swift's `description` of a finite value: `"1.5"`, `"1e-05"`, `"-1.2345e+20"`.
        init(_ text: String) {
            var mantissa = Substring(text)
            var exponent = 0
            if mantissa.first == "-" {
                negative = true
                mantissa = mantissa.dropFirst()
            }
            if let e = mantissa.firstIndex(where: { $0 == "e" || $0 == "E" }) {
                exponent = Int(mantissa[mantissa.index(after: e)...]) ?? 0
                mantissa = mantissa[..<e]
            }
            var beforePoint = 0
            var seenPoint = false
            for byte in mantissa.utf8 {
                if byte == UInt8(ascii: ".") {
                    seenPoint = true
                } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                    digits.append(byte)
                    if !seenPoint { beforePoint += 1 }
                }
            }
            pointPosition = beforePoint + exponent
            while let first = digits.first, first == UInt8(ascii: "0") {
                digits.removeFirst()
                pointPosition -= 1
            }
            while let last = digits.last, last == UInt8(ascii: "0") { digits.removeLast() }
            if digits.isEmpty { pointPosition = 0 }
        }
    }

    private static func scientific(_ number: Digits) -> String {
        var out = number.negative ? "-" : ""
        guard let first = number.digits.first else { return out + "0.0E0" }
        out.unicodeScalars.append(Unicode.Scalar(first))
        out += "."
        if number.digits.count > 1 {
            out += String(decoding: number.digits.dropFirst(), as: UTF8.self)
        } else {
            out += "0"
        }
        out += "E" + String(number.pointPosition - 1)
        return out
    }

    private static func plain(_ number: Digits, keepNegativeZero: Bool) -> String {
        if number.digits.isEmpty { return number.negative && keepNegativeZero ? "-0" : "0" }
        var out = number.negative ? "-" : ""
        let digits = number.digits
        let point = number.pointPosition
        if point <= 0 {
            out += "0." + String(repeating: "0", count: -point) + String(decoding: digits, as: UTF8.self)
        } else if point >= digits.count {
            out += String(decoding: digits, as: UTF8.self) + String(repeating: "0", count: point - digits.count)
        } else {
            out += String(decoding: digits.prefix(point), as: UTF8.self) + "."
            out += String(decoding: digits.dropFirst(point), as: UTF8.self)
        }
        return out
    }
}
