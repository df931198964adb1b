/// An `xsd:decimal` value, exact to 18 fractional digits.
///
/// XSD requires decimals to be exact (1.1 + 2.2 is 3.3, not 3.3000000000000003), and requires
/// processors to support at least 18 digits. Like Oxigraph's `Decimal`, the value is an `Int128`
/// holding the number times 10^18: about 38 significant digits, 20 of them before the point
/// (|value| < 1.7 × 10^20). Operations that leave that range return `nil`, which the evaluator
/// reports as an expression error (XPath `FOAR0002`).
///
/// ```swift
/// if let a = XSDDecimal("1.1"), let b = XSDDecimal("2.2") {
///     a.adding(b)?.description   // "3.3"
/// }
/// ```
struct XSDDecimal: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The value times 10^18.
    let scaled: Int128

    /// The number of fractional digits kept.
    static let fractionDigits = 18
    /// 10^18, the scale of ``scaled``.
    static let scale: Int128 = 1_000_000_000_000_000_000

    static let zero = XSDDecimal(scaled: 0)
    static let one = XSDDecimal(scaled: scale)

    init(scaled: Int128) {
        self.scaled = scaled
    }

    /// The decimal equal to an integer (always exact: Int64 is far inside the range).
    init(_ integer: Int64) {
        scaled = Int128(integer) * Self.scale
    }

    /// Parses the `xsd:decimal` lexical space (XSD 1.1 §3.3.3): `(+|-)? digits ("." digits?)?`
    /// or `(+|-)? "." digits`, with no exponent and no surrounding spaces.
    ///
    /// Fractional digits beyond the 18th are dropped (truncated): they are below the precision
    /// the engine keeps. Values beyond ±1.7 × 10^20 do not fit and give `nil`.
    init?<S: StringProtocol>(_ lexical: S) {
        var integerPart: Int128 = 0
        var fraction: Int128 = 0
        var fractionDigits = 0
        var digitCount = 0
        var negative = false
        var seenPoint = false
        var index = lexical.utf8.startIndex
        let end = lexical.utf8.endIndex
        if index < end, lexical.utf8[index] == UInt8(ascii: "+") || lexical.utf8[index] == UInt8(ascii: "-") {
            negative = lexical.utf8[index] == UInt8(ascii: "-")
            index = lexical.utf8.index(after: index)
        }
        while index < end {
            let byte = lexical.utf8[index]
            index = lexical.utf8.index(after: index)
            if byte == UInt8(ascii: ".") {
                if seenPoint { return nil }
                seenPoint = true
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let digit = Int128(byte - UInt8(ascii: "0"))
            digitCount += 1
            if seenPoint {
                if fractionDigits < Self.fractionDigits {
                    fraction = fraction * 10 + digit
                    fractionDigits += 1
                }
            } else {
                let (times10, overflow1) = integerPart.multipliedReportingOverflow(by: 10)
                let (next, overflow2) = times10.addingReportingOverflow(digit)
                if overflow1 || overflow2 { return nil }
                integerPart = next
            }
        }
        guard digitCount > 0 else { return nil }
        var fractionScaled = fraction
        for _ in fractionDigits..<Self.fractionDigits { fractionScaled *= 10 }
        let (whole, overflow1) = integerPart.multipliedReportingOverflow(by: Self.scale)
        let (magnitude, overflow2) = whole.addingReportingOverflow(fractionScaled)
        if overflow1 || overflow2 { return nil }
        scaled = negative ? -magnitude : magnitude
    }

    /// The decimal nearest to a finite double, through the double's shortest round-trip digits
    /// (so 0.1 gives 0.1, not 0.1000000000000000055511151231257827). `nil` for NaN, infinities
    /// and values out of range: XPath `FOCA0002` for casts.
    init?(_ double: Double) {
        guard double.isFinite else { return nil }
        guard let value = XSDDecimal(FloatingPointFormat.plainDigits(of: double)) else { return nil }
        self = value
    }

    /// The decimal nearest to a finite float (see ``init(_:)-(Double)``).
    init?(_ float: Float) {
        guard float.isFinite else { return nil }
        guard let value = XSDDecimal(FloatingPointFormat.plainDigits(of: float)) else { return nil }
        self = value
    }

    /// The canonical lexical form of XSD 1.1 (§3.3.3.2): no leading `+`, no leading zeros, no
    /// trailing fractional zeros, and no point at all for whole numbers (`"3"`, `"-0.5"`,
    /// `"1.25"`). XSD 1.0 wrote `"3.0"`; the W3C SPARQL results use both, so compare by value.
    var description: String {
        if scaled == 0 { return "0" }
        let magnitude = scaled.magnitude
        let unitScale = UInt128(Self.scale)
        let whole = magnitude / unitScale
        var fraction = magnitude % unitScale
        var out = scaled < 0 ? "-" : ""
        out += String(whole)
        if fraction != 0 {
            var digits = Self.fractionDigits
            while fraction % 10 == 0 {
                fraction /= 10
                digits -= 1
            }
            let text = String(fraction)
            out += "."
            out += String(repeating: "0", count: max(0, digits - text.count))
            out += text
        }
        return out
    }

    static func < (lhs: XSDDecimal, rhs: XSDDecimal) -> Bool { lhs.scaled < rhs.scaled }

    var isZero: Bool { scaled == 0 }
    var isNegative: Bool { scaled < 0 }
    /// Whether the value has no fractional part.
    var isWhole: Bool { scaled % Self.scale == 0 }

    /// The value as a double, correctly rounded (through the canonical digits).
    var doubleValue: Double { Double(description) ?? Double(scaled) / 1e18 }
    /// The value as a float, correctly rounded.
    var floatValue: Float { Float(description) ?? Float(doubleValue) }

    /// The integer part, truncated toward zero, when it fits an `Int64` (XPath cast to `xs:integer`).
    var truncatedInt64: Int64? { Int64(exactly: scaled / Self.scale) }

    // MARK: Arithmetic (XPath op:numeric-add and friends on xs:decimal)

    func adding(_ other: XSDDecimal) -> XSDDecimal? {
        let (sum, overflow) = scaled.addingReportingOverflow(other.scaled)
        return overflow ? nil : XSDDecimal(scaled: sum)
    }

    func subtracting(_ other: XSDDecimal) -> XSDDecimal? {
        let (difference, overflow) = scaled.subtractingReportingOverflow(other.scaled)
        return overflow ? nil : XSDDecimal(scaled: difference)
    }

    /// The product, truncated to 18 fractional digits. The raw product of two scaled values
    /// needs 256 bits, so it is formed at full width before dividing the scale back out.
    func multiplied(by other: XSDDecimal) -> XSDDecimal? {
        let negative = (scaled < 0) != (other.scaled < 0)
        let product = scaled.magnitude.multipliedFullWidth(by: other.scaled.magnitude)
        let unitScale = UInt128(Self.scale)
        // dividingFullWidth traps when the quotient does not fit: rule that out first.
        guard product.high < unitScale else { return nil }
        let quotient = unitScale.dividingFullWidth(product).quotient
        return Self.signed(quotient, negative: negative)
    }

    /// The quotient, truncated to 18 fractional digits; `nil` for a zero divisor (XPath
    /// `FOAR0001`) or a result out of range.
    func divided(by other: XSDDecimal) -> XSDDecimal? {
        guard other.scaled != 0 else { return nil }
        let negative = (scaled < 0) != (other.scaled < 0)
        let numerator = scaled.magnitude.multipliedFullWidth(by: UInt128(Self.scale))
        let divisor = other.scaled.magnitude
        guard numerator.high < divisor else { return nil }
        let quotient = divisor.dividingFullWidth(numerator).quotient
        return Self.signed(quotient, negative: negative)
    }

    func negated() -> XSDDecimal? {
        let (result, overflow) = Int128(0).subtractingReportingOverflow(scaled)
        return overflow ? nil : XSDDecimal(scaled: result)
    }

    /// Gives a magnitude its sign, or `nil` when it does not fit an `Int128`.
    private static func signed(_ magnitude: UInt128, negative: Bool) -> XSDDecimal? {
        if negative {
            if magnitude == Int128.min.magnitude { return XSDDecimal(scaled: Int128.min) }
            guard let value = Int128(exactly: magnitude) else { return nil }
            return XSDDecimal(scaled: -value)
        }
        guard let value = Int128(exactly: magnitude) else { return nil }
        return XSDDecimal(scaled: value)
    }

    // MARK: Rounding (XPath fn:floor, fn:ceiling, fn:round on xs:decimal)

    /// The largest whole number not greater than the value.
    func floor() -> XSDDecimal? {
        var whole = scaled / Self.scale   // truncates toward zero
        if scaled < 0 && scaled % Self.scale != 0 { whole -= 1 }
        return Self.fromWhole(whole)
    }

    /// The smallest whole number not less than the value.
    func ceiling() -> XSDDecimal? {
        var whole = scaled / Self.scale
        if scaled > 0 && scaled % Self.scale != 0 { whole += 1 }
        return Self.fromWhole(whole)
    }

    /// The nearest whole number, halves rounded toward positive infinity (XPath fn:round:
    /// round(2.5) = 3, round(-2.5) = -2).
    func rounded() -> XSDDecimal? {
        guard let shifted = adding(XSDDecimal(scaled: Self.scale / 2)) else { return nil }
        return shifted.floor()
    }

    private static func fromWhole(_ whole: Int128) -> XSDDecimal? {
        let (value, overflow) = whole.multipliedReportingOverflow(by: scale)
        return overflow ? nil : XSDDecimal(scaled: value)
    }
}
