// GatewayLoad: a lightweight HJ 212 load generator for the Qingshan gateway.
//
// One thread, one epoll set, non-blocking sockets and pre-sized buffers: cheap enough that on a 2-core machine most of
// the CPU is left to the server, unlike the NIO simulator (`qingshan simulate`). Each simulated logger keeps one TCP
// connection, sends HJ 212-2017 uploads asking for an answer (Flag=5) at a fixed rate or as fast as its window allows,
// and measures the time from the last byte of a packet written to its 9014 answer read.
//
// Usage: GatewayLoad --port P [--host 127.0.0.1] [--loggers 1000] [--rate 50] [--duration 60] [--window 8]
//                    [--ack-timeout 30] [--cn 2061|2011] [--pollutants 6] [--mn-prefix LOAD] [--password 123456]
//                    [--start 2025-01-01T00:00:00] [--ack-log FILE] [--batch-ms 0] [--quiet]
//        GatewayLoad --write-devices FILE.csv [--loggers N] [--mn-prefix LOAD] [--password 123456]
// Prints one JSON report on stdout; progress goes to stderr.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HJ212

// MARK: - epoll

/// The epoll calls, looked up with `dlsym`: Swift's Glibc module does not import `<sys/epoll.h>`, and this package has
/// no C target of its own. The event records are handled as raw bytes (`struct epoll_event` is packed on x86-64).
enum Epoll {
    static let input: UInt32 = 0x001
    static let output: UInt32 = 0x004
    static let error: UInt32 = 0x008
    static let hangUp: UInt32 = 0x010
    static let readHangUp: UInt32 = 0x2000
    static let add: Int32 = 1
    static let delete: Int32 = 2
    static let modify: Int32 = 3
    static let closeOnExec: Int32 = 0o2_000_000
    #if arch(x86_64)
    /// `sizeof(struct epoll_event)` and the offset of its `data` member.
    static let eventSize = 12
    static let dataOffset = 4
    #else
    static let eventSize = 16
    static let dataOffset = 8
    #endif

    typealias Create = @convention(c) (Int32) -> Int32
    typealias Control = @convention(c) (Int32, Int32, Int32, UnsafeMutableRawPointer?) -> Int32
    typealias Wait = @convention(c) (Int32, UnsafeMutableRawPointer?, Int32, Int32) -> Int32

    /// Looks up a libc function by name.
    static func function<F>(_ name: String, as type: F.Type) -> F {
        guard let symbol = dlsym(nil, name) else { fail("dlsym \(name) failed") }
        return unsafeBitCast(symbol, to: type)
    }

    nonisolated(unsafe) static let create1 = function("epoll_create1", as: Create.self)
    nonisolated(unsafe) static let control = function("epoll_ctl", as: Control.self)
    nonisolated(unsafe) static let wait = function("epoll_wait", as: Wait.self)

    /// `epoll_ctl` with an event for `events` carrying the connection number.
    @discardableResult
    static func control(_ epoll: Int32, _ operation: Int32, _ fd: Int32, events: UInt32, token: UInt64) -> Int32 {
        withUnsafeTemporaryAllocation(byteCount: 16, alignment: 8) { event in
            event.storeBytes(of: events, toByteOffset: 0, as: UInt32.self)
            event.storeBytes(of: token, toByteOffset: dataOffset, as: UInt64.self)
            return control(epoll, operation, fd, event.baseAddress)
        }
    }
}

// MARK: - Options

/// The command line, parsed by hand (`--name value`).
struct Options {
    var host = "127.0.0.1"
    var port: UInt16 = 0
    var loggers = 1000
    /// Packets per second per logger; 0 keeps every window full.
    var rate = 50.0
    var duration = 60.0
    /// Most unacknowledged packets per connection.
    var window = 8
    var ackTimeout = 30.0
    var cn = 2061
    var pollutants = 6
    var mnPrefix = "LOAD"
    var password = "123456"
    /// The DataTime of each logger's first packet, China local time.
    var start = "2025-01-01T00:00:00"
    var writeDevices: String?
    var ackLog: String?
    /// Least time between two waits for answers, in milliseconds: 0 wakes for every answer (exact latencies); 1 or 2
    /// lets answers pile up and be read together (fewer wakeups, latencies up to that much longer).
    var batchMilliseconds = 0.0
    var quiet = false

    /// Parses `CommandLine.arguments`, exiting with a message on a mistake.
    static func parse(_ arguments: [String]) -> Options {
        var options = Options()
        var index = 1
        func value(_ name: String) -> String {
            index += 1
            guard index < arguments.count else { fail("\(name) needs a value") }
            return arguments[index]
        }
        func number(_ name: String) -> Double {
            let text = value(name)
            guard let number = Double(text), number >= 0 else { fail("\(name) \(text) is not a non-negative number") }
            return number
        }
        while index < arguments.count {
            let name = arguments[index]
            switch name {
            case "--host": options.host = value(name)
            case "--port": options.port = UInt16(clamping: Int(number(name)))
            case "--loggers": options.loggers = Int(number(name))
            case "--rate": options.rate = number(name)
            case "--duration": options.duration = number(name)
            case "--window": options.window = max(1, Int(number(name)))
            case "--ack-timeout": options.ackTimeout = number(name)
            case "--cn":
                options.cn = Int(number(name))
                guard options.cn == 2061 || options.cn == 2011 else { fail("--cn must be 2061 or 2011") }
            case "--pollutants": options.pollutants = max(1, min(Int(number(name)), Pollutant.all.count))
            case "--mn-prefix": options.mnPrefix = value(name)
            case "--password": options.password = value(name)
            case "--start": options.start = value(name)
            case "--write-devices": options.writeDevices = value(name)
            case "--ack-log": options.ackLog = value(name)
            case "--batch-ms": options.batchMilliseconds = number(name)
            case "--quiet": options.quiet = true
            case "-h", "--help":
                print("""
                    usage: GatewayLoad --port P [--host H] [--loggers N] [--rate R] [--duration S] [--window W] \
                    [--ack-timeout S] [--cn 2061|2011] [--pollutants N] [--mn-prefix P] [--password PW] \
                    [--start YYYY-MM-DDTHH:MM:SS] [--ack-log FILE] [--batch-ms MS] [--quiet]
                           GatewayLoad --write-devices FILE.csv [--loggers N] [--mn-prefix P] [--password PW]
                    """)
                exit(0)
            default: fail("unknown argument \(name) (see --help)")
            }
            index += 1
        }
        if options.writeDevices == nil && options.port == 0 { fail("--port is required") }
        if options.loggers < 1 { fail("--loggers must be at least 1") }
        return options
    }
}

/// Writes a message to stderr (file descriptor 2; the `stderr` global is not concurrency-safe in Swift 6).
func printError(_ message: String) {
    var text = message
    text.withUTF8 { bytes in _ = write(2, bytes.baseAddress, bytes.count) }
}

/// Prints a message to stderr and exits with status 2.
func fail(_ message: String) -> Never {
    printError("GatewayLoad: \(message)\n")
    exit(2)
}

// MARK: - Time

/// Monotonic nanoseconds (CLOCK_MONOTONIC).
@inline(__always)
func monotonicNanoseconds() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return UInt64(now.tv_sec) &* 1_000_000_000 &+ UInt64(now.tv_nsec)
}

/// Wall-clock milliseconds since 1970 in China time (UTC+8), for QNs.
func chinaWallMilliseconds() -> Int64 {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000 + 8 * 3_600_000
}

/// Calendar arithmetic on a naive (zone-free) civil time, counted in seconds since 1970-01-01T00:00:00.
enum Civil {
    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date of a day count since 1970-01-01 (H. Hinnant's `civil_from_days`).
    @inline(__always)
    static func date(days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS` (or with a space) into seconds since 1970 of the same naive civil time.
    static func parse(_ text: String) -> Int? {
        let parts = text.split(whereSeparator: { "-T :".contains($0) }).compactMap { Int($0) }
        guard parts.count == 6 else { return nil }
        return days(year: parts[0], month: parts[1], day: parts[2]) * 86_400 + parts[3] * 3600 + parts[4] * 60 + parts[5]
    }
}

// MARK: - Byte writing

/// Appends ASCII to raw memory without bounds checks; the caller sizes the memory (``LoadGenerator/frameCapacity``).
struct ByteCursor {
    var pointer: UnsafeMutablePointer<UInt8>

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        pointer.pointee = byte
        pointer += 1
    }

    @inline(__always)
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        pointer.update(from: bytes.baseAddress!, count: bytes.count)
        pointer += bytes.count
    }

    /// Appends `value` as exactly `width` decimal digits (zero-padded, truncated on the left).
    @inline(__always)
    mutating func appendDigits(_ value: Int, width: Int) {
        var rest = value
        var index = width - 1
        while index >= 0 {
            pointer[index] = UInt8(truncatingIfNeeded: 48 + rest % 10)
            rest /= 10
            index -= 1
        }
        pointer += width
    }

    /// Appends a non-negative number of hundredths as a decimal with two fraction digits (`1234` → `12.34`).
    @inline(__always)
    mutating func appendHundredths(_ hundredths: Int) {
        var whole = hundredths / 100
        var digits = 1
        var scale = 10
        while whole >= scale { digits += 1; scale &*= 10 }
        var index = digits - 1
        while index >= 0 {
            pointer[index] = UInt8(truncatingIfNeeded: 48 + whole % 10)
            whole /= 10
            index -= 1
        }
        pointer += digits
        let fraction = hundredths % 100
        pointer[0] = 46  // "."
        pointer[1] = UInt8(truncatingIfNeeded: 48 + fraction / 10)
        pointer[2] = UInt8(truncatingIfNeeded: 48 + fraction % 10)
        pointer += 3
    }

    /// Appends a civil time as `yyyyMMddHHmmss`, then `milliseconds` as three more digits when given.
    @inline(__always)
    mutating func appendTime(seconds: Int, milliseconds: Int? = nil) {
        let date = Civil.date(days: seconds / 86_400)
        let time = seconds % 86_400
        appendDigits(date.year, width: 4)
        appendDigits(date.month, width: 2)
        appendDigits(date.day, width: 2)
        appendDigits(time / 3600, width: 2)
        appendDigits(time / 60 % 60, width: 2)
        appendDigits(time % 60, width: 2)
        if let milliseconds { appendDigits(milliseconds, width: 3) }
    }
}

/// A constant ASCII string copied once into unmanaged memory, so the hot loop copies it with `memcpy` and no ARC.
struct StaticBytes {
    let buffer: UnsafeBufferPointer<UInt8>

    init(_ text: String) {
        let bytes = Array(text.utf8)
        let memory = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(bytes.count, 1))
        _ = memory.initialize(from: bytes)
        buffer = UnsafeBufferPointer(rebasing: memory[0..<bytes.count])
    }
}

// MARK: - Packet content

/// The loggers' MNs: the prefix and the logger's number zero-padded to 16 characters in all (`LOAD000000000123`),
/// stored back to back.
struct MNTable {
    /// Characters per MN.
    let length: Int
    let bytes: UnsafeMutablePointer<UInt8>

    init(prefix: String, count: Int) {
        let prefixBytes = Array(prefix.utf8)
        length = max(16, prefixBytes.count + String(max(count - 1, 0)).count)
        bytes = .allocate(capacity: max(count, 1) * length)
        for index in 0..<count {
            var cursor = ByteCursor(pointer: bytes + index * length)
            prefixBytes.withUnsafeBufferPointer { cursor.append($0) }
            cursor.appendDigits(index, width: length - prefixBytes.count)
        }
    }

    /// The MN of logger `index`.
    func mn(_ index: Int) -> String {
        String(decoding: UnsafeBufferPointer(start: bytes + index * length, count: length), as: UTF8.self)
    }
}

/// A pollutant code with a plausible range of values, in hundredths of its unit.
struct Pollutant {
    let code: String
    /// The smallest average value, in hundredths.
    let base: Int
    /// How far above `base` the average varies, in hundredths.
    let span: Int

    /// Codes of real hourly stack and outfall uploads (HJ 212-2017 附录B): SO2, NOx, dust, flue temperature, flue gas
    /// velocity, flue pressure, CO, O2, humidity, COD, NH3-N, pH, total P, total N.
    static let all: [Pollutant] = [
        Pollutant(code: "a21026", base: 800, span: 4_000),
        Pollutant(code: "a21002", base: 2_500, span: 9_000),
        Pollutant(code: "a34013", base: 150, span: 1_200),
        Pollutant(code: "a01012", base: 4_000, span: 10_000),
        Pollutant(code: "a01011", base: 500, span: 1_500),
        Pollutant(code: "a01013", base: 10, span: 200),
        Pollutant(code: "a21005", base: 20, span: 300),
        Pollutant(code: "a19001", base: 500, span: 1_000),
        Pollutant(code: "a01014", base: 300, span: 1_200),
        Pollutant(code: "w01018", base: 1_000, span: 6_000),
        Pollutant(code: "w21003", base: 20, span: 800),
        Pollutant(code: "w01001", base: 650, span: 250),
        Pollutant(code: "w21011", base: 5, span: 100),
        Pollutant(code: "w21001", base: 200, span: 1_500),
    ]
}

// MARK: - Connections

/// One simulated logger's connection. A trivial struct over unmanaged memory, kept in one array of structs.
struct Connection {
    var fd: Int32 = -1
    var open = false
    /// Packets built so far (the next packet is number `queued`).
    var queued = 0
    /// Packets whose last byte has been written (their send time is stamped).
    var stamped = 0
    /// Packets acknowledged by a 9014.
    var acked = 0
    /// The last QN used, in milliseconds of China time (QNs rise strictly per logger).
    var lastQn: Int64 = 0
    /// Bytes built and bytes written since the start: positions in the connection's output stream.
    var bytesQueued: UInt64 = 0
    var bytesWritten: UInt64 = 0
    /// Per in-flight packet (ring of `window` slots, slot = packet number % window): stream end, send time, QN.
    var ringEnd: UnsafeMutablePointer<UInt64>
    var ringTime: UnsafeMutablePointer<UInt64>
    var ringQn: UnsafeMutablePointer<UInt64>
    /// Built bytes not yet written: `output[outHead..<outTail]`.
    var output: UnsafeMutablePointer<UInt8>
    var outHead = 0
    var outTail = 0
    /// Whether EPOLLOUT is registered (after a partial write).
    var wantsWrite = false
    /// Received bytes not yet ending in a line feed: `input[0..<inLength]`.
    var input: UnsafeMutablePointer<UInt8>
    var inLength = 0
}

/// The generator: connections, the epoll loop, rate control, counters and the report.
final class LoadGenerator {
    let options: Options
    let window: Int
    let mnTable: MNTable
    let mnLength: Int
    /// All MNs back to back, `mnLength` bytes each.
    let mns: UnsafeMutablePointer<UInt8>
    /// Upper bound of one frame's length (header, data area, CRC, CR LF).
    let frameCapacity: Int
    let outputCapacity: Int
    let inputCapacity = 4096
    let connections: UnsafeMutablePointer<Connection>
    let epoll: Int32
    /// Seconds since 1970 (naive China time) of the first DataTime, and the step between a logger's packets.
    let startSeconds: Int
    let stepSeconds: Int

    // Constant pieces of a packet.
    let headerAfterQn: StaticBytes  // ;ST=22;CN=2061;PW=123456;MN=
    let afterMn = StaticBytes(";Flag=5;CP=&&DataTime=")
    /// Per pollutant: `a21026-Min=`, `,a21026-Avg=`, `,a21026-Max=`, `,a21026-Flag=N` (2061) or `-Rtd=`, `-Flag=N`.
    let keys: UnsafeMutablePointer<StaticBytes>
    /// The pollutants' value ranges, unmanaged for the hot loop.
    let bases: UnsafeMutablePointer<Int>
    let spans: UnsafeMutablePointer<Int>
    let pollutantCount: Int
    let valuesPerPacket: Int

    // Counters.
    var connected = 0
    var errors = 0
    var closedByServer = 0
    var otherLines = 0
    var unexpectedAcks = 0
    var qnMismatches = 0
    var totalAcked = 0
    /// Packets built in all, and those left unanswered on connections that closed.
    var queuedTotal = 0
    var abandoned = 0
    var ackedDuringSend = 0
    var ackedPerSecond: [Int] = []
    var latenciesMicroseconds: [UInt32] = []
    var sendStart: UInt64 = 0
    var sendEnd: UInt64 = 0
    var lastAck: UInt64 = 0
    var sending = true
    /// Send events due so far (see ``service(_:wallMilliseconds:)``).
    var dueEvents = 0

    // Acknowledged (mn, DataTime) pairs, buffered.
    var ackLogFD: Int32 = -1
    let ackLogBuffer: UnsafeMutablePointer<UInt8>
    let ackLogCapacity = 1 << 16
    var ackLogLength = 0

    /// Sets up buffers and the epoll set; connects nothing yet.
    init(options: Options) {
        self.options = options
        window = options.window
        mnTable = MNTable(prefix: options.mnPrefix, count: options.loggers)
        mnLength = mnTable.length
        mns = mnTable.bytes
        let pollutants = Array(Pollutant.all.prefix(options.pollutants))
        pollutantCount = pollutants.count
        bases = .allocate(capacity: pollutants.count)
        spans = .allocate(capacity: pollutants.count)
        for (number, pollutant) in pollutants.enumerated() {
            bases[number] = pollutant.base
            spans[number] = pollutant.span
        }
        let hourly = options.cn == 2061
        valuesPerPacket = pollutants.count * (hourly ? 3 : 1)
        var keys: [StaticBytes] = []
        for pollutant in pollutants {
            if hourly {
                keys.append(StaticBytes("\(pollutant.code)-Min="))
                keys.append(StaticBytes(",\(pollutant.code)-Avg="))
                keys.append(StaticBytes(",\(pollutant.code)-Max="))
                keys.append(StaticBytes(",\(pollutant.code)-Flag=N"))
            } else {
                keys.append(StaticBytes("\(pollutant.code)-Rtd="))
                keys.append(StaticBytes(",\(pollutant.code)-Flag=N"))
            }
        }
        self.keys = .allocate(capacity: keys.count)
        self.keys.initialize(from: keys, count: keys.count)
        headerAfterQn = StaticBytes(";ST=22;CN=\(options.cn);PW=\(options.password);MN=")
        let keyBytes = keys.reduce(0) { $0 + $1.buffer.count }
        frameCapacity = 6 + 3 + 17 + headerAfterQn.buffer.count + mnLength + afterMn.buffer.count + 14 + keyBytes
            + valuesPerPacket * 12 + pollutants.count + 2 + 6 + 16
        if frameCapacity - 12 > 9999 { fail("a packet would exceed the 9999-byte data area; use fewer --pollutants") }
        outputCapacity = frameCapacity * window
        guard let start = Civil.parse(options.start) else { fail("--start \(options.start) is not YYYY-MM-DDTHH:MM:SS") }
        startSeconds = start
        stepSeconds = hourly ? 3600 : 1

        connections = .allocate(capacity: options.loggers)
        for index in 0..<options.loggers {
            connections.advanced(by: index).initialize(to: Connection(
                ringEnd: .allocate(capacity: window), ringTime: .allocate(capacity: window),
                ringQn: .allocate(capacity: window),
                output: .allocate(capacity: outputCapacity), input: .allocate(capacity: inputCapacity)))
        }
        epoll = Epoll.create1(Epoll.closeOnExec)
        if epoll < 0 { fail("epoll_create1: \(String(cString: strerror(errno)))") }
        ackLogBuffer = .allocate(capacity: ackLogCapacity)
        if let path = options.ackLog {
            ackLogFD = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            if ackLogFD < 0 { fail("cannot write \(path): \(String(cString: strerror(errno)))") }
        }
        if options.rate > 0 {
            latenciesMicroseconds.reserveCapacity(Int(Double(options.loggers) * options.rate * options.duration * 1.05) + 1024)
        } else {
            latenciesMicroseconds.reserveCapacity(1 << 20)
        }
        ackedPerSecond = [Int](repeating: 0, count: Int(options.duration + options.ackTimeout) + 4)
    }

    // MARK: Connecting

    /// Opens every logger's connection (blocking connect, then non-blocking with TCP_NODELAY), retrying a refused or
    /// dropped connect a few times.
    func connectAll() {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = options.port.bigEndian
        guard inet_pton(AF_INET, options.host, &address.sin_addr) == 1 else { fail("--host \(options.host) is not an IPv4 address") }
        for index in 0..<options.loggers {
            var fd: Int32 = -1
            for attempt in 0..<5 {
                fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
                if fd < 0 { break }
                let result = withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
                }
                if result == 0 { break }
                let error = errno
                close(fd)
                fd = -1
                if attempt == 4 || (error != ECONNREFUSED && error != ETIMEDOUT && error != EAGAIN) {
                    if !options.quiet { printError("GatewayLoad: connect \(index): \(String(cString: strerror(error)))\n") }
                    break
                }
                usleep(50_000)
            }
            guard fd >= 0 else { errors += 1; continue }
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            Epoll.control(epoll, Epoll.add, fd, events: Epoll.input | Epoll.readHangUp, token: UInt64(index))
            connections[index].fd = fd
            connections[index].open = true
            connected += 1
        }
    }

    // MARK: Sending

    /// Builds packet number `connection.queued` of logger `index` into the connection's output.
    @inline(__always)
    func buildPacket(_ connection: inout Connection, index: Int, wallMilliseconds: Int64) {
        if connection.outTail + frameCapacity > outputCapacity {
            let pending = connection.outTail - connection.outHead
            if connection.outHead > 0 && pending > 0 {
                memmove(connection.output, connection.output + connection.outHead, pending)
            }
            connection.outHead = 0
            connection.outTail = pending
        }
        let packet = connection.queued
        let qn = max(wallMilliseconds, connection.lastQn + 1)
        connection.lastQn = qn
        let frame = connection.output + connection.outTail
        let data = frame + 6
        var cursor = ByteCursor(pointer: data)
        cursor.append(81); cursor.append(78); cursor.append(61)  // QN=
        let qnStart = cursor.pointer
        cursor.appendTime(seconds: Int(qn / 1000), milliseconds: Int(qn % 1000))
        var qnNumber: UInt64 = 0
        for offset in 0..<17 { qnNumber = qnNumber &* 10 &+ UInt64(qnStart[offset] &- 48) }
        cursor.append(headerAfterQn.buffer)
        cursor.append(UnsafeBufferPointer(start: mns + index * mnLength, count: mnLength))
        cursor.append(afterMn.buffer)
        cursor.appendTime(seconds: startSeconds + packet * stepSeconds)
        cursor.append(59)  // ;
        // Values: cheap arithmetic that varies per packet and per logger.
        var key = 0
        for number in 0..<pollutantCount {
            if number > 0 { cursor.append(59) }
            let mix = (packet &* 7919 &+ index &* 104_729 &+ number &* 31) & 0x7fff_ffff
            let average = bases[number] + mix % (spans[number] + 1)
            if stepSeconds == 3600 {
                let spread = average / 8 + mix % 97
                cursor.append(keys[key].buffer); cursor.appendHundredths(max(average - spread, 0))
                cursor.append(keys[key + 1].buffer); cursor.appendHundredths(average)
                cursor.append(keys[key + 2].buffer); cursor.appendHundredths(average + spread)
                cursor.append(keys[key + 3].buffer)
                key += 4
            } else {
                cursor.append(keys[key].buffer); cursor.appendHundredths(average)
                cursor.append(keys[key + 1].buffer)
                key += 2
            }
        }
        cursor.append(38); cursor.append(38)  // &&
        let dataLength = cursor.pointer - data
        let crc = HJ212CRC.checksum(UnsafeRawBufferPointer(start: data, count: dataLength))
        var header = ByteCursor(pointer: frame)
        header.append(35); header.append(35)  // ##
        header.appendDigits(dataLength, width: 4)
        var shift: UInt16 = 16
        while shift > 0 {
            shift -= 4
            let nibble = UInt8(truncatingIfNeeded: (crc >> shift) & 0xF)
            cursor.append(nibble < 10 ? 48 + nibble : 55 + nibble)
        }
        cursor.append(13); cursor.append(10)
        let frameLength = cursor.pointer - frame
        connection.outTail += frameLength
        connection.bytesQueued += UInt64(frameLength)
        let slot = packet % window
        connection.ringEnd[slot] = connection.bytesQueued
        connection.ringTime[slot] = 0
        connection.ringQn[slot] = qnNumber
        connection.queued = packet + 1
        queuedTotal += 1
    }

    /// Builds whatever packets logger `index` is due to send (rate and window permitting) and writes them.
    ///
    /// Send events are numbered across all loggers: event `e` is packet `e / loggers` of logger `e % loggers` and
    /// falls due at `e / (rate × loggers)` seconds, so the loggers' phases are spread evenly over the first 1/rate
    /// second and logger i is due `floor(rate × (t − phaseᵢ)) + 1` packets at time t.
    @inline(__always)
    func service(_ index: Int, wallMilliseconds: Int64) {
        let connection = connections + index
        guard connection.pointee.open else { return }
        if sending {
            var due = connection.pointee.acked + window
            if options.rate > 0 {
                due = min(due, dueEvents / options.loggers + (index < dueEvents % options.loggers ? 1 : 0))
            }
            while connection.pointee.queued < due {
                buildPacket(&connection.pointee, index: index, wallMilliseconds: wallMilliseconds)
            }
        }
        if connection.pointee.outTail > connection.pointee.outHead && !connection.pointee.wantsWrite {
            flush(index)
        }
    }

    /// Writes the connection's pending output with one `send`, stamps the packets now completely written with the
    /// time after the call, and asks for EPOLLOUT if bytes remain.
    func flush(_ index: Int) {
        let connection = connections + index
        let pending = connection.pointee.outTail - connection.pointee.outHead
        guard pending > 0 else { return }
        let written = send(connection.pointee.fd, connection.pointee.output + connection.pointee.outHead, pending,
                           Int32(MSG_NOSIGNAL))
        if written < 0 {
            let error = errno
            if error == EAGAIN || error == EWOULDBLOCK || error == EINTR {
                setWantsWrite(index, true)
            } else {
                drop(index, error: true)
            }
            return
        }
        let writtenAt = monotonicNanoseconds()
        connection.pointee.outHead += written
        connection.pointee.bytesWritten += UInt64(written)
        while connection.pointee.stamped < connection.pointee.queued
            && connection.pointee.ringEnd[connection.pointee.stamped % window] <= connection.pointee.bytesWritten {
            connection.pointee.ringTime[connection.pointee.stamped % window] = writtenAt
            connection.pointee.stamped += 1
        }
        if connection.pointee.outHead == connection.pointee.outTail {
            connection.pointee.outHead = 0
            connection.pointee.outTail = 0
            setWantsWrite(index, false)
        } else {
            setWantsWrite(index, true)
        }
    }

    /// Registers or drops interest in EPOLLOUT for a connection.
    func setWantsWrite(_ index: Int, _ wants: Bool) {
        guard connections[index].wantsWrite != wants else { return }
        connections[index].wantsWrite = wants
        var events = Epoll.input | Epoll.readHangUp
        if wants { events |= Epoll.output }
        Epoll.control(epoll, Epoll.modify, connections[index].fd, events: events, token: UInt64(index))
    }

    /// Closes a connection after an error or the server's close; its unacknowledged packets stay unacknowledged.
    func drop(_ index: Int, error: Bool) {
        guard connections[index].open else { return }
        connections[index].open = false
        abandoned += connections[index].queued - connections[index].acked
        Epoll.control(epoll, Epoll.delete, connections[index].fd, events: 0, token: 0)
        close(connections[index].fd)
        errors += 1
        if !error { closedByServer += 1 }
    }

    // MARK: Receiving

    /// Reads what the server sent on a connection and handles every complete line. Returns whether acks arrived.
    func receive(_ index: Int, now: UInt64) -> Bool {
        let connection = connections + index
        var acknowledged = false
        while connection.pointee.open {
            let space = inputCapacity - connection.pointee.inLength
            let count = read(connection.pointee.fd, connection.pointee.input + connection.pointee.inLength, space)
            if count > 0 {
                connection.pointee.inLength += count
                if handleLines(index, now: now) { acknowledged = true }
                if count < space { break }
            } else if count == 0 {
                drop(index, error: false)
            } else {
                let error = errno
                if error == EINTR { continue }
                if error != EAGAIN && error != EWOULDBLOCK { drop(index, error: true) }
                break
            }
        }
        return acknowledged
    }

    /// Handles the complete lines in a connection's input and keeps the unfinished rest. Returns whether acks arrived.
    func handleLines(_ index: Int, now: UInt64) -> Bool {
        let connection = connections + index
        let input = connection.pointee.input
        let length = connection.pointee.inLength
        var lineStart = 0
        var acknowledged = false
        while lineStart < length {
            guard let newline = memchr(input + lineStart, 10, length - lineStart) else { break }
            let lineEnd = newline.assumingMemoryBound(to: UInt8.self) - input
            if let qn = dataAnswerQn(input + lineStart, count: lineEnd - lineStart) {
                acknowledge(index, qn: qn, now: now)
                acknowledged = true
            } else {
                otherLines += 1
            }
            lineStart = lineEnd + 1
        }
        if lineStart == 0 && length == inputCapacity {
            otherLines += 1  // a line longer than the buffer: not an answer of ours
            connection.pointee.inLength = 0
        } else if lineStart > 0 {
            if lineStart < length { memmove(input, input + lineStart, length - lineStart) }
            connection.pointee.inLength = length - lineStart
        }
        return acknowledged
    }

    /// If the line is a 9014 data answer, its QN as a number (0 when it has none); otherwise nil.
    @inline(__always)
    func dataAnswerQn(_ line: UnsafeMutablePointer<UInt8>, count: Int) -> UInt64? {
        var isAnswer = false
        var qn: UInt64 = 0
        var position = 0
        while position + 7 <= count {
            let byte = line[position]
            if byte == 67 && line[position + 1] == 78 && line[position + 2] == 61 {  // CN=
                isAnswer = line[position + 3] == 57 && line[position + 4] == 48 && line[position + 5] == 49
                    && line[position + 6] == 52  // 9014
                if !isAnswer { return nil }
                break
            }
            if byte == 81 && line[position + 1] == 78 && line[position + 2] == 61 {  // QN=
                var digit = position + 3
                while digit < count && line[digit] >= 48 && line[digit] <= 57 {
                    qn = qn &* 10 &+ UInt64(line[digit] - 48)
                    digit += 1
                }
                position = digit
                continue
            }
            position += 1
        }
        return isAnswer ? qn : nil
    }

    /// Records the answer to the connection's oldest in-flight packet: latency, per-second count, ack log.
    func acknowledge(_ index: Int, qn: UInt64, now: UInt64) {
        let connection = connections + index
        let packet = connection.pointee.acked
        guard packet < connection.pointee.queued else { unexpectedAcks += 1; return }
        let slot = packet % window
        if connection.pointee.ringQn[slot] != qn { qnMismatches += 1 }
        let sentAt = packet < connection.pointee.stamped ? connection.pointee.ringTime[slot] : now
        let microseconds = (now &- min(sentAt, now)) / 1000
        latenciesMicroseconds.append(UInt32(clamping: microseconds))
        connection.pointee.acked = packet + 1
        totalAcked += 1
        lastAck = now
        if sending { ackedDuringSend += 1 }
        let second = Int((now &- sendStart) / 1_000_000_000)
        if second < ackedPerSecond.count { ackedPerSecond[second] += 1 }
        if ackLogFD >= 0 { logAck(index: index, packet: packet) }
    }

    /// Appends `mn,yyyyMMddHHmmss` of an acknowledged packet to the ack log buffer.
    func logAck(index: Int, packet: Int) {
        if ackLogLength + mnLength + 17 > ackLogCapacity { flushAckLog() }
        var cursor = ByteCursor(pointer: ackLogBuffer + ackLogLength)
        cursor.append(UnsafeBufferPointer(start: mns + index * mnLength, count: mnLength))
        cursor.append(44)
        cursor.appendTime(seconds: startSeconds + packet * stepSeconds)
        cursor.append(10)
        ackLogLength = cursor.pointer - ackLogBuffer
    }

    /// Writes the buffered ack log lines.
    func flushAckLog() {
        var offset = 0
        while offset < ackLogLength {
            let written = write(ackLogFD, ackLogBuffer + offset, ackLogLength - offset)
            if written <= 0 { if errno == EINTR { continue }; break }
            offset += written
        }
        ackLogLength = 0
    }

    // MARK: The loop

    /// Runs the send period, then waits for the outstanding answers.
    func run() {
        let events = UnsafeMutableRawPointer.allocate(byteCount: 1024 * Epoll.eventSize, alignment: 8)
        let tick: UInt64 = 1_000_000
        let sendNanoseconds = UInt64(options.duration * 1e9)
        let timeoutNanoseconds = UInt64(options.ackTimeout * 1e9)
        var acknowledgedConnections: [Int] = []
        acknowledgedConnections.reserveCapacity(1024)
        sendStart = monotonicNanoseconds()
        var nextTick = sendStart
        var nextProgress = sendStart + 5_000_000_000
        var drainDeadline: UInt64 = 0
        let batchNanoseconds = UInt64(options.batchMilliseconds * 1e6)
        var lastWake: UInt64 = 0
        while true {
            var now = monotonicNanoseconds()
            if sending && now &- sendStart >= sendNanoseconds {
                sending = false
                sendEnd = sendStart + sendNanoseconds
                drainDeadline = now + timeoutNanoseconds
            }
            if !sending && (outstanding() == 0 || now >= drainDeadline) { break }
            if sending && now >= nextTick {
                // Only the loggers with a send event since the last tick; acks refill windows below.
                let wall = chinaWallMilliseconds()
                let previous = dueEvents
                if options.rate > 0 {
                    dueEvents = Int(Double(now - sendStart) * options.rate * Double(options.loggers) / 1e9) + 1
                } else {
                    dueEvents = options.loggers
                }
                if dueEvents - previous >= options.loggers {
                    for index in 0..<options.loggers { service(index, wallMilliseconds: wall) }
                } else {
                    for event in previous..<dueEvents { service(event % options.loggers, wallMilliseconds: wall) }
                }
                if options.rate > 0 {
                    // Every millisecond, or at the next send event when they are further apart (few loggers, low rate).
                    let eventsPerSecond = options.rate * Double(options.loggers)
                    nextTick = max(now + tick, sendStart + UInt64(Double(dueEvents) * 1e9 / eventsPerSecond))
                } else {
                    nextTick = now + 100 * tick  // windows are refilled as the answers arrive
                }
            } else if !sending {
                nextTick = now + 10 * tick  // draining: nothing to send, wake for answers only
            }
            if now >= nextProgress && !options.quiet {
                printError("GatewayLoad: \((now - sendStart) / 1_000_000_000) s: sent \(sentTotal()) acked \(totalAcked)\n")
                nextProgress += 5_000_000_000
            }
            if batchNanoseconds > 0 && now &- lastWake < batchNanoseconds {
                var pause = timespec(tv_sec: 0, tv_nsec: Int(batchNanoseconds - (now &- lastWake)))
                nanosleep(&pause, nil)
                now = monotonicNanoseconds()
            }
            let waitMilliseconds = Int32(clamping: (nextTick > now ? (nextTick - now + 999_999) / 1_000_000 : 0))
            let ready = Epoll.wait(epoll, events, 1024, waitMilliseconds)
            lastWake = monotonicNanoseconds()
            guard ready > 0 else { continue }
            acknowledgedConnections.removeAll(keepingCapacity: true)
            for number in 0..<Int(ready) {
                let event = events + number * Epoll.eventSize
                let flags = event.loadUnaligned(as: UInt32.self)
                let index = Int(event.loadUnaligned(fromByteOffset: Epoll.dataOffset, as: UInt64.self))
                if flags & (Epoll.input | Epoll.readHangUp | Epoll.hangUp) != 0 {
                    if receive(index, now: monotonicNanoseconds()) { acknowledgedConnections.append(index) }
                }
                if flags & Epoll.error != 0 { drop(index, error: true); continue }
                if flags & Epoll.output != 0 && connections[index].open { flush(index) }
            }
            // A window freed by acks is refilled at once (several packets in one write when several are due).
            if !acknowledgedConnections.isEmpty {
                let wall = chinaWallMilliseconds()
                for index in acknowledgedConnections { service(index, wallMilliseconds: wall) }
            }
        }
        if sendEnd == 0 { sendEnd = monotonicNanoseconds() }
        if ackLogFD >= 0 { flushAckLog(); close(ackLogFD) }
    }

    /// Packets sent on open connections and not yet answered.
    func outstanding() -> Int {
        queuedTotal - totalAcked - abandoned
    }

    /// Packets built in all.
    func sentTotal() -> Int {
        (0..<options.loggers).reduce(0) { $0 + connections[$1].queued }
    }

    // MARK: Report

    /// The JSON report.
    func report() -> String {
        let sent = sentTotal()
        let bytes = (0..<options.loggers).reduce(UInt64(0)) { $0 + connections[$1].bytesQueued }
        let bytesPerPacket = sent > 0 ? Int((Double(bytes) / Double(sent)).rounded()) : 0
        let sendSeconds = Double(sendEnd - sendStart) / 1e9
        let totalSeconds = lastAck > sendStart ? Double(lastAck - sendStart) / 1e9 : 0
        latenciesMicroseconds.sort()
        func percentile(_ p: Double) -> String {
            guard !latenciesMicroseconds.isEmpty else { return "null" }
            let rank = min(latenciesMicroseconds.count - 1, Int((p * Double(latenciesMicroseconds.count)).rounded(.up)) - 1)
            return milliseconds(latenciesMicroseconds[max(rank, 0)])
        }
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        let seconds = Int(((lastAck > sendEnd ? lastAck : sendEnd) - sendStart) / 1_000_000_000) + 1
        let perSecond = ackedPerSecond.prefix(min(seconds, ackedPerSecond.count)).map(String.init).joined(separator: ",")
        return """
            {"loggers":\(options.loggers),"connected":\(connected),"cn":\(options.cn),"rate_per_logger":\(fixed(options.rate)),\
            "window":\(window),"batch_ms":\(fixed(options.batchMilliseconds)),"sent":\(sent),"acked":\(totalAcked),"unacked":\(sent - totalAcked),\
            "other_lines":\(otherLines),"unexpected_acks":\(unexpectedAcks),"qn_mismatches":\(qnMismatches),\
            "errors":\(errors),"closed_by_server":\(closedByServer),\
            "duration_s":\(fixed(options.duration)),"send_elapsed_s":\(fixed(sendSeconds)),\
            "offered_per_s":\(fixed(sendSeconds > 0 ? Double(sent) / sendSeconds : 0)),\
            "acked_per_s_during":\(fixed(sendSeconds > 0 ? Double(ackedDuringSend) / sendSeconds : 0)),\
            "acked_per_s_total":\(fixed(totalSeconds > 0 ? Double(totalAcked) / totalSeconds : 0)),\
            "values_per_packet":\(valuesPerPacket),"bytes_per_packet":\(bytesPerPacket),\
            "latency_ms":{"p50":\(percentile(0.5)),"p90":\(percentile(0.9)),"p99":\(percentile(0.99)),\
            "p999":\(percentile(0.999)),"max":\(latenciesMicroseconds.last.map(milliseconds) ?? "null")},\
            "generator_cpu_s":\(fixed(user + system)),"generator_user_s":\(fixed(user)),"generator_sys_s":\(fixed(system)),\
            "acked_per_second":[\(perSecond)]}
            """
    }

    /// Microseconds as milliseconds with three decimals.
    func milliseconds(_ microseconds: UInt32) -> String {
        let value = Int(microseconds)
        let fraction = String(value % 1000)
        return "\(value / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
    }

    /// A number with three decimals, without Foundation's formatter.
    func fixed(_ value: Double) -> String {
        let thousandths = Int((value * 1000).rounded())
        let sign = thousandths < 0 ? "-" : ""
        let magnitude = abs(thousandths)
        let fraction = String(magnitude % 1000)
        return "\(sign)\(magnitude / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
    }
}

// MARK: - Main

/// Raises the soft open-file limit to the hard limit.
func raiseOpenFileLimit() {
    var limit = rlimit()
    let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    guard getrlimit(resource, &limit) == 0 else { return }
    limit.rlim_cur = limit.rlim_max
    setrlimit(resource, &limit)
}

/// Writes the devices CSV for `qingshan device import`: `mn,password,dialect,site`, dialect 2017, no site.
func writeDevices(_ path: String, options: Options) {
    let table = MNTable(prefix: options.mnPrefix, count: options.loggers)
    var text = "mn,password,dialect,site\n"
    text.reserveCapacity(options.loggers * (table.length + options.password.utf8.count + 8) + 32)
    for index in 0..<options.loggers {
        text += "\(table.mn(index)),\(options.password),2017,\n"
    }
    guard let file = fopen(path, "w") else { fail("cannot write \(path): \(String(cString: strerror(errno)))") }
    fputs(text, file)
    fclose(file)
}

signal(SIGPIPE, SIG_IGN)
let options = Options.parse(CommandLine.arguments)
if let path = options.writeDevices {
    writeDevices(path, options: options)
    exit(0)
}
raiseOpenFileLimit()
let generator = LoadGenerator(options: options)
generator.connectAll()
if !options.quiet {
    printError("GatewayLoad: \(generator.connected) of \(options.loggers) loggers connected; sending for \(options.duration) s\n")
}
generator.run()
print(generator.report())
