/// Settings of the web application, with defaults that suit a single-machine install.
public struct WebConfiguration: Sendable {
    /// The address to listen on.
    public var host: String
    /// The HTTP port.
    public var port: Int
    /// How long a browser session lasts, in seconds.
    public var sessionLifetime: Double
    /// How long an API token lasts, in seconds.
    public var tokenLifetime: Double
    /// Whether cookies carry the `Secure` attribute (set when served over HTTPS behind a proxy).
    public var secureCookies: Bool

    /// Creates a configuration.
    public init(
        host: String = "0.0.0.0", port: Int = 8080, sessionLifetime: Double = 8 * 3600, tokenLifetime: Double = 30 * 86400,
        secureCookies: Bool = false
    ) {
        self.host = host
        self.port = port
        self.sessionLifetime = sessionLifetime
        self.tokenLifetime = tokenLifetime
        self.secureCookies = secureCookies
    }
}
