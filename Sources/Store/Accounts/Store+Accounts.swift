public import Domain
import Crypto
public import Foundation
import HummingbirdBcrypt
import SQLKit

/// A signed-in session or an API token, as issued: the secret is shown once and stored only as its SHA-256.
public struct IssuedToken: Sendable {
    /// The secret to put in the cookie or the `Authorization: Bearer` header.
    public var token: String
    /// When it stops working.
    public var expiresAt: Date
}

/// The kind of credential a token is.
public enum TokenKind: String, Sendable {
    /// A browser session (cookie).
    case session
    /// An API bearer token.
    case api
}

/// Why an account operation failed.
public struct AccountError: Error, Sendable, CustomStringConvertible {
    private enum Code: Sendable { case invalidName, weakPassword, exists, badCredentials }
    private let code: Code
    /// What went wrong.
    public let message: String

    /// The user name is not acceptable.
    public static func invalidName(_ name: String) -> AccountError {
        AccountError(code: .invalidName, message: "user name \"\(name)\" must be 1-64 letters, digits, '.', '-' or '_'")
    }
    /// The password is too weak.
    public static let weakPassword = AccountError(code: .weakPassword, message: "password must be at least 8 characters")
    /// A user with that name exists.
    public static func exists(_ name: String) -> AccountError { AccountError(code: .exists, message: "user \(name) already exists") }
    /// Name or password wrong (deliberately not saying which).
    public static let badCredentials = AccountError(code: .badCredentials, message: "wrong user name or password")

    /// Whether this is a wrong-credentials failure.
    public var isBadCredentials: Bool { code == .badCredentials }
    /// Whether the name is taken.
    public var isExists: Bool { code == .exists }

    /// The message.
    public var description: String { message }
}

extension Store {
    /// The bcrypt cost for new password hashes (2^cost rounds). 12 takes about a quarter second.
    public static let defaultPasswordCost: UInt8 = 12

    /// Creates a user with a bcrypt-hashed password, and an audit entry.
    /// - Parameters:
    ///   - name: login name.
    ///   - displayName: shown name (defaults to the login name).
    ///   - role: what the user may do.
    ///   - password: the password in clear; only its hash is stored.
    ///   - organisation: the user's department or township.
    ///   - actor: who creates the user.
    ///   - cost: bcrypt cost.
    /// - Returns: the new user.
    @discardableResult
    public func addUser(
        name: String, displayName: String? = nil, role: Role, password: String, organisation: String? = nil,
        actor: String, cost: UInt8 = Store.defaultPasswordCost
    ) async throws -> User {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: ".-_@"))
        guard !name.isEmpty, name.count <= 64, name.unicodeScalars.allSatisfy(allowed.contains) else { throw AccountError.invalidName(name) }
        guard password.count >= 8 else { throw AccountError.weakPassword }
        let hash = Bcrypt.hash(password, cost: cost)
        return try await write { db in
            if try await db.select().column("id").from("users").where("name", .equal, name).first() != nil {
                throw AccountError.exists(name)
            }
            try await db.insert(into: "users")
                .columns("name", "display_name", "role", "password_hash", "organisation", "disabled", "created_at")
                .values(SQLBind(name), SQLBind(displayName ?? name), SQLBind(role.rawValue), SQLBind(hash), SQLBind(organisation),
                        SQLBind(false), SQLBind(Int64(Date.now.timeIntervalSince1970)))
                .run()
            guard let user = try await Store.user(where: "name", equals: name, on: db) else { throw StoreError.notFound("user \(name)") }
            try await AuditLog.record(on: db, actor: actor, action: "user.add", entity: "user", entityID: name,
                                      after: Store.json(user), detail: "role \(role.rawValue)")
            return user
        }
    }

    /// The users, by name.
    public func users() async throws -> [User] {
        try await reader.select().columns("id", "name", "display_name", "role", "organisation", "disabled").from("users")
            .orderBy("name").all().map(Store.user(from:))
    }

    /// Checks a name and password.
    /// - Returns: the user when both are right and the account is enabled.
    /// - Throws: ``AccountError/badCredentials`` otherwise.
    public func authenticate(name: String, password: String) async throws -> User {
        let row = try await reader.select().columns("id", "name", "display_name", "role", "organisation", "disabled", "password_hash")
            .from("users").where("name", .equal, name).first()
        guard let row else {
            // Spend comparable time so that unknown names are not revealed by timing.
            _ = Bcrypt.verify(password, hash: "$2b$12$C6UzMDM.H6dfI/f/IKxGhuL6a2XgUiVTd0i2bqa0lF7pA5ZW8Ev5q")
            throw AccountError.badCredentials
        }
        let user = try Store.user(from: row)
        guard !user.disabled, Bcrypt.verify(password, hash: try row.decode(column: "password_hash", as: String.self)) else {
            throw AccountError.badCredentials
        }
        return user
    }

    /// Issues a session or API token for a user.
    /// - Parameters:
    ///   - user: whose token.
    ///   - kind: session cookie or API token.
    ///   - lifetime: how long it is valid.
    public func issueToken(for user: User, kind: TokenKind, lifetime: TimeInterval, now: Date = .now) async throws -> IssuedToken {
        let token = Store.randomToken()
        let expires = now.addingTimeInterval(lifetime)
        try await write { db in
            try await db.delete(from: "sessions").where("expires_at", .lessThan, Int64(now.timeIntervalSince1970)).run()
            try await db.insert(into: "sessions").columns("token_hash", "user_id", "kind", "created_at", "expires_at")
                .values(SQLBind(Store.tokenHash(token)), SQLBind(user.id), SQLBind(kind.rawValue),
                        SQLBind(Int64(now.timeIntervalSince1970)), SQLBind(Int64(expires.timeIntervalSince1970)))
                .run()
            try await AuditLog.record(on: db, actor: user.name, action: kind == .session ? "session.login" : "token.issue",
                                      entity: "user", entityID: user.name)
        }
        return IssuedToken(token: token, expiresAt: expires)
    }

    /// The user a token belongs to, when the token is valid and not expired.
    public func user(forToken token: String, now: Date = .now) async throws -> User? {
        guard !token.isEmpty, token.count < 200 else { return nil }
        let row = try await reader.select()
            .columns(SQLColumn("id", table: "users"), SQLColumn("name", table: "users"), SQLColumn("display_name", table: "users"),
                     SQLColumn("role", table: "users"), SQLColumn("organisation", table: "users"), SQLColumn("disabled", table: "users"))
            .from("sessions")
            .join("users", on: SQLColumn("user_id", table: "sessions"), .equal, SQLColumn("id", table: "users"))
            .where(SQLColumn("token_hash", table: "sessions"), .equal, SQLBind(Store.tokenHash(token)))
            .where(SQLColumn("expires_at", table: "sessions"), .greaterThan, SQLBind(Int64(now.timeIntervalSince1970)))
            .first()
        guard let row else { return nil }
        let user = try Store.user(from: row)
        return user.disabled ? nil : user
    }

    /// Ends a session or revokes a token.
    public func revokeToken(_ token: String) async throws {
        try await write { db in
            try await db.delete(from: "sessions").where("token_hash", .equal, Store.tokenHash(token)).run()
        }
    }

    static func user(where column: String, equals value: String, on db: any SQLDatabase) async throws -> User? {
        try await db.select().columns("id", "name", "display_name", "role", "organisation", "disabled").from("users")
            .where(SQLIdentifier(column), .equal, SQLBind(value)).first().map(user(from:))
    }

    static func user(from row: any SQLRow) throws -> User {
        User(
            id: try row.decode(column: "id", as: Int64.self),
            name: try row.decode(column: "name", as: String.self),
            displayName: try row.decode(column: "display_name", as: String.self),
            role: Role(rawValue: try row.decode(column: "role", as: String.self)) ?? .viewer,
            organisation: try row.decode(column: "organisation", as: String?.self),
            disabled: try row.decode(column: "disabled", as: Bool.self))
    }

    /// A URL-safe random secret of 256 bits.
    public static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func tokenHash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
