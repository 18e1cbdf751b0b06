/// Settings of the HJ 212 gateway, with defaults for a county installation.
public struct GatewayConfiguration: Sendable {
    /// The address to listen on.
    public var host: String
    /// The TCP port (`--hj212-port`, default 9212).
    public var port: Int
    /// The largest frame accepted, in bytes. The standard's maximum is 1036; the length field allows 9999.
    public var maxFrameSize: Int
    /// The most bytes buffered for one connection while a frame is incomplete; beyond it the buffer is dropped.
    public var maxBufferedBytes: Int
    /// A connection that sends nothing for this long (seconds) is closed.
    public var idleTimeout: Double
    /// The most connections from one IP address.
    public var maxConnectionsPerAddress: Int
    /// The most connections in total.
    public var maxConnections: Int
    /// After this many authentication failures (unknown MN, wrong PW) a connection is closed.
    public var maxAuthFailures: Int
    /// Raw frames are kept this many days.
    public var frameRetentionDays: Int
    /// The most packets written in one PostgreSQL transaction (SQLite's ingest thread takes up to 4,096). Measured on
    /// 2 cores at 1,000 loggers: 8,192 gave 28,500 packets/s where 4,096 gave 25,000-27,000 (one commit, with its WAL
    /// flush, per batch).
    public var maxBatch: Int
    /// Whether packets from unregistered MNs are archived (they are never stored as observations).
    public var archiveUnknownDevices: Bool
    /// How long (seconds) to wait for a device's answer to a platform request (9011/9012), per HJ 212-2017 表1.
    public var requestTimeout: Double
    /// How often a platform request is retried when unanswered.
    public var requestRetries: Int
    /// Whether hourly gaps are back-filled by asking the device (CN 2061 with BeginTime/EndTime).
    public var backfillEnabled: Bool

    /// Creates a configuration.
    public init(
        host: String = "0.0.0.0", port: Int = 9212, maxFrameSize: Int = 10_240, maxBufferedBytes: Int = 65_536,
        idleTimeout: Double = 900, maxConnectionsPerAddress: Int = 4096, maxConnections: Int = 20_000, maxAuthFailures: Int = 3,
        frameRetentionDays: Int = 180, maxBatch: Int = 8192, archiveUnknownDevices: Bool = true, requestTimeout: Double = 10,
        requestRetries: Int = 3, backfillEnabled: Bool = true
    ) {
        self.host = host
        self.port = port
        self.maxFrameSize = maxFrameSize
        self.maxBufferedBytes = maxBufferedBytes
        self.idleTimeout = idleTimeout
        self.maxConnectionsPerAddress = maxConnectionsPerAddress
        self.maxConnections = maxConnections
        self.maxAuthFailures = maxAuthFailures
        self.frameRetentionDays = frameRetentionDays
        self.maxBatch = maxBatch
        self.archiveUnknownDevices = archiveUnknownDevices
        self.requestTimeout = requestTimeout
        self.requestRetries = requestRetries
        self.backfillEnabled = backfillEnabled
    }

    /// The most frames one connection may have handed to the ingest writer and not yet seen committed; its reading
    /// pauses beyond that.
    public static let maxUncommittedFramesPerConnection = 256
}
