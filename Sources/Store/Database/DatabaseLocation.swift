import Foundation

/// Where the platform keeps its data: an SQLite file (the embedded default) or a PostgreSQL server.
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    /// An SQLite database file at this path.
    case sqlite(path: String)
    /// A PostgreSQL database at this URL (`postgres://user:pass@host:port/db`).
    case postgres(url: String)

    /// Reads a `--db` argument: a `postgres://` or `postgresql://` URL selects PostgreSQL; anything else (optionally
    /// prefixed `sqlite:`) is the path of an SQLite file.
    /// - Parameter argument: the argument as given.
    public init(_ argument: String) {
        let lower = argument.lowercased()
        if lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://") || lower.hasPrefix("postgres+tcp://") {
            let url = lower.hasPrefix("postgresql://") ? "postgres://" + argument.dropFirst("postgresql://".count) : argument
            self = .postgres(url: url)
        } else if lower.hasPrefix("sqlite:") {
            self = .sqlite(path: String(argument.dropFirst("sqlite:".count)))
        } else {
            self = .sqlite(path: argument)
        }
    }

    /// The location for messages, with any password hidden.
    public var description: String {
        switch self {
        case .sqlite(let path): return "SQLite \(path)"
        case .postgres(let url):
            guard let at = url.lastIndex(of: "@"), let scheme = url.range(of: "://") else { return "PostgreSQL \(url)" }
            let credentials = url[scheme.upperBound..<at]
            let user = credentials.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
            return "PostgreSQL \(url[..<scheme.upperBound])\(user)@\(url[url.index(after: at)...])"
        }
    }
}
