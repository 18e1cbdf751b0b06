/// A cell of a plan table: the printed text and what it means.
///
/// A cell may hold a number (`52.34`), a number with a comparator (`≥38`, `≧330`, `≤35`), a five-year cumulative figure
/// printed in brackets (`[16.5]`), a dash meaning "no value" (`—`), words (`完成市级下达减排目标`) or nothing at all.
/// The printed ``text`` is always kept; ``value``, ``comparator`` and ``cumulative`` are its meaning.
public struct PlanValue: Codable, Sendable, Equatable {
    /// What kind of cell this is.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// A numeric value (possibly with comparator, brackets or a qualifier).
        case number
        /// A dash: no value (e.g. not assessed in the previous period).
        case none
        /// Words instead of a number (e.g. 完成市级下达减排目标).
        case text
        /// An empty cell.
        case blank
    }

    /// A comparison a target carries.
    public enum Comparator: String, Codable, Sendable, CaseIterable {
        /// At least (printed ≥ or ≧).
        case atLeast = "≥"
        /// At most (printed ≤ or ≦).
        case atMost = "≤"
        /// More than.
        case greaterThan = ">"
        /// Less than.
        case lessThan = "<"
    }

    /// The year the value refers to, when known.
    public var year: Int?
    /// The cell exactly as printed.
    public var text: String
    /// The kind of cell.
    public var kind: Kind
    /// The numeric value, for ``Kind/number`` cells.
    public var value: Double?
    /// The comparator of a target, if any.
    public var comparator: Comparator?
    /// Whether the figure is a five-year cumulative one (printed in `[ ]`).
    public var cumulative: Bool

    /// Creates a value from its parts.
    public init(year: Int? = nil, text: String, kind: Kind, value: Double? = nil, comparator: Comparator? = nil, cumulative: Bool = false) {
        self.year = year
        self.text = text
        self.kind = kind
        self.value = value
        self.comparator = comparator
        self.cumulative = cumulative
    }

    enum CodingKeys: String, CodingKey { case year, text, kind, value, comparator, cumulative }

    /// Decodes a value; `kind`, `value`, `comparator` and `cumulative` may be omitted, in which case they are read
    /// from `text` by ``PlanValue/parse(_:year:)``.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let year = try c.decodeIfPresent(Int.self, forKey: .year)
        let text = try c.decode(String.self, forKey: .text)
        let parsed = PlanValue.parse(text, year: year)
        self.year = year
        self.text = text
        self.kind = try c.decodeIfPresent(Kind.self, forKey: .kind) ?? parsed.kind
        self.value = c.contains(.kind) || c.contains(.value) ? try c.decodeIfPresent(Double.self, forKey: .value) : parsed.value
        self.comparator = c.contains(.kind) || c.contains(.comparator)
            ? try c.decodeIfPresent(Comparator.self, forKey: .comparator) : parsed.comparator
        self.cumulative = try c.decodeIfPresent(Bool.self, forKey: .cumulative) ?? parsed.cumulative
    }

    /// Encodes every key, writing `null` for absent values so API clients always see the same shape.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(year, forKey: .year)
        try c.encode(text, forKey: .text)
        try c.encode(kind, forKey: .kind)
        try c.encode(value, forKey: .value)
        try c.encode(comparator, forKey: .comparator)
        try c.encode(cumulative, forKey: .cumulative)
    }

    /// Reads the meaning of a printed cell.
    ///
    /// Rules: surrounding white space (including the full-width space) is ignored; an empty cell is ``Kind/blank``;
    /// `—`, `-`, `–` alone are ``Kind/none``; a leading `≥ ≧ ≤ ≦ > <` is the comparator; a number wholly enclosed in
    /// `[ ]` or `［ ］` is cumulative; a number followed by a qualifier (`364（API）`) is still that number; anything
    /// else is ``Kind/text``.
    /// - Parameters:
    ///   - text: the cell as printed.
    ///   - year: the year the cell refers to.
    /// - Returns: the value with its kind, number, comparator and cumulative flag.
    public static func parse(_ text: String, year: Int? = nil) -> PlanValue {
        let trimmed = text.trimmingPlanWhitespace()
        if trimmed.isEmpty { return PlanValue(year: year, text: text, kind: .blank) }
        if ["—", "-", "–", "——", "/"].contains(trimmed) { return PlanValue(year: year, text: text, kind: .none) }
        var rest = Substring(trimmed)
        var comparator: Comparator?
        switch rest.first {
        case "≥", "≧": comparator = .atLeast
        case "≤", "≦": comparator = .atMost
        case ">": comparator = .greaterThan
        case "<": comparator = .lessThan
        default: break
        }
        if comparator != nil { rest = rest.dropFirst().drop(while: { $0 == " " }) }
        var cumulative = false
        if let first = rest.first, first == "[" || first == "［" {
            if let close = rest.firstIndex(where: { $0 == "]" || $0 == "］" }) {
                let inner = rest[rest.index(after: rest.startIndex)..<close]
                if let number = Double(inner.trimmingPlanWhitespace()), rest[rest.index(after: close)...].isEmpty {
                    return PlanValue(year: year, text: text, kind: .number, value: number, comparator: comparator, cumulative: true)
                }
            }
            cumulative = false
        }
        let numberPart = rest.prefix(while: { $0.isNumber && $0.isASCII || $0 == "." || ($0 == "-" ) })
        if !numberPart.isEmpty, let number = Double(numberPart) {
            let tail = rest.dropFirst(numberPart.count)
            if tail.isEmpty || tail.first == "（" || tail.first == "(" || tail.first == "[" || tail.first == "%" {
                return PlanValue(year: year, text: text, kind: .number, value: number, comparator: comparator, cumulative: cumulative)
            }
        }
        return PlanValue(year: year, text: text, kind: .text)
    }
}

extension StringProtocol {
    /// The text without surrounding white space, counting the ideographic (full-width) space.
    func trimmingPlanWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0.isWhitespace || $0 == "\u{3000}" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[start...end])
    }
}
