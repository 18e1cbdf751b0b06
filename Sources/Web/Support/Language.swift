/// The languages of the interface: Chinese first, English second.
public enum Language: String, Sendable, CaseIterable {
    /// 简体中文, the default.
    case zh
    /// English.
    case en

    /// The value of the HTML `lang` attribute.
    public var htmlTag: String { self == .zh ? "zh-CN" : "en" }

    /// Chooses the language of a request: `?lang=` first, then the `qs_lang` cookie, then the first language of
    /// `Accept-Language` that we speak; Chinese when nothing decides.
    /// - Parameters:
    ///   - query: the `lang` query parameter.
    ///   - cookie: the `qs_lang` cookie.
    ///   - acceptLanguage: the `Accept-Language` header.
    public static func negotiate(query: String?, cookie: String?, acceptLanguage: String?) -> Language {
        if let query, let language = Language(code: query) { return language }
        if let cookie, let language = Language(code: cookie) { return language }
        guard let acceptLanguage else { return .zh }
        let ranked = acceptLanguage.split(separator: ",").enumerated().compactMap { index, part -> (Language, Double, Int)? in
            let pieces = part.split(separator: ";")
            guard let tag = pieces.first, let language = Language(code: String(tag)) else { return nil }
            var quality = 1.0
            for parameter in pieces.dropFirst() {
                let kv = parameter.trimmingCharacters(in: " ").split(separator: "=")
                if kv.count == 2, kv[0] == "q", let q = Double(kv[1]) { quality = q }
            }
            return (language, quality, index)
        }
        return ranked.filter { $0.1 > 0 }.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.2 < $1.2 }.first?.0 ?? .zh
    }

    /// Reads a language tag (`zh`, `zh-CN`, `en-GB` …).
    public init?(code: String) {
        let lower = code.trimmingCharacters(in: " ").lowercased()
        if lower.hasPrefix("zh") { self = .zh } else if lower.hasPrefix("en") { self = .en } else { return nil }
    }
}

extension StringProtocol {
    func trimmingCharacters(in set: String) -> String {
        var slice = Substring(self)
        while let first = slice.first, set.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, set.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}
