// Plain timing of HJ 212 decoding, independent of the benchmark plugin:
//   swift run -c release HJ212Throughput [seconds-per-case] [capture-file ...]
// Prints packets/s, MB/s and ns/packet per case (per second of this thread's CPU time, so other load on the machine
// does not count), and the ratio of each case to a memchr scan of the same bytes.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HJ212
import HJ212BenchmarkSupport
import NIOCore

@inline(never) func consume<T>(_ value: T) { withExtendedLifetime(value) {} }

/// Set HJ212_BENCH_ONLY=substring to run only matching cases (and the baseline), e.g. under perf.
let only: String? = getenv("HJ212_BENCH_ONLY").map { String(cString: $0) }

func measure(_ name: String, bytes: Int, packets: Int, seconds: Double, baseline: Double?, _ body: () throws -> Void) rethrows -> Double {
    if let only, baseline != nil, !name.contains(only) { return 0 }
    try body()  // warm-up
    var rounds = 0
    let start = threadCPUSeconds()
    var total = 0.0
    repeat {
        try body()
        rounds += 1
        total = threadCPUSeconds() - start
    } while total < seconds
    let perSecond = Double(rounds * packets) / total
    let megabytes = Double(rounds * bytes) / total / 1e6
    let nanos = total * 1e9 / Double(rounds * packets)
    var line = "\(name.padding(60)) \(format(perSecond / 1e6, 3)) M packets/s  \(format(megabytes, 1).padding(7, left: true)) MB/s  \(format(nanos, 1)) ns/packet"
    if let baseline { line += "  (\(format(baseline / megabytes, 1))× the memchr time)" }
    print(line)
    return megabytes
}

/// CPU time of this thread: the time on one core, whatever else the machine runs (the dev machine is shared).
func threadCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

func format(_ value: Double, _ decimals: Int) -> String {
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let rounded = (value * scale).rounded() / scale
    var text = "\(rounded)"
    if let dot = text.firstIndex(of: ".") {
        let have = text.distance(from: dot, to: text.endIndex) - 1
        if have < decimals { text += String(repeating: "0", count: decimals - have) }
    }
    return text
}

extension String {
    func padding(_ width: Int, left: Bool = false) -> String {
        count >= width ? self : left ? String(repeating: " ", count: width - count) + self : self + String(repeating: " ", count: width - count)
    }
}

func run(_ label: String, bytes stream: [UInt8], seconds: Double) throws {
    let buffer = ByteBuffer(bytes: stream)
    var frameCount = 0
    do {
        var decoder = HJ212FrameDecoder()
        var input = buffer
        while let result = try decoder.decodeLast(buffer: &input, seenEOF: true) {
            if case .success = result { frameCount += 1 }
        }
    }
    print("\n\(label): \(stream.count) bytes, \(frameCount) frames with valid length and CRC (avg \(stream.count / max(frameCount, 1)) bytes)")
    let baseline = measure("memchr scan (baseline)", bytes: stream.count, packets: frameCount, seconds: seconds, baseline: nil) {
        stream.withUnsafeBytes { consume(HJ212Corpus.memchrLines($0)) }
    }
    _ = measure("CRC over all bytes", bytes: stream.count, packets: frameCount, seconds: seconds, baseline: baseline) {
        stream.withUnsafeBytes { consume(HJ212CRC.checksum($0)) }
    }
    _ = try measure("frame: scan + length + CRC", bytes: stream.count, packets: frameCount, seconds: seconds, baseline: baseline) {
        var decoder = HJ212FrameDecoder()
        var input = buffer
        var frames = 0
        while let result = try decoder.decode(buffer: &input) {
            if case .success = result { frames &+= 1 }
        }
        consume(frames)
    }
    _ = try measure("decode: scan + CRC + header + items", bytes: stream.count, packets: frameCount, seconds: seconds, baseline: baseline) {
        var decoder = HJ212FrameDecoder()
        var input = buffer
        var pairs = 0
        while let result = try decoder.decode(buffer: &input) {
            if case .success(let frame) = result, let packet = try? HJ212Packet(frame: frame) { pairs &+= packet.pairs.count }
        }
        consume(pairs)
    }
    _ = try measure("decode + numbers (Double of every value)", bytes: stream.count, packets: frameCount, seconds: seconds, baseline: baseline) {
        var decoder = HJ212FrameDecoder()
        var input = buffer
        var sum = 0.0
        while let result = try decoder.decode(buffer: &input) {
            if case .success(let frame) = result, let packet = try? HJ212Packet(frame: frame) {
                for pair in packet.pairs { sum += packet.number(of: pair) ?? 0 }
            }
        }
        consume(sum)
    }
    _ = try measure("decode + materialise items (Strings, flags)", bytes: stream.count, packets: frameCount, seconds: seconds, baseline: baseline) {
        var decoder = HJ212FrameDecoder()
        var input = buffer
        var count = 0
        while let result = try decoder.decode(buffer: &input) {
            if case .success(let frame) = result, let packet = try? HJ212Packet(frame: frame) {
                count &+= packet.items.count
                consume(packet.mn)
            }
        }
        consume(count)
    }
}

let arguments = CommandLine.arguments.dropFirst()
let seconds = arguments.first.flatMap(Double.init) ?? 2
// HJ212_BENCH_PACKETS sets the corpus size (default 1,000 packets, ~395 KB, as in HJ212Benchmarks).
let packetCount = getenv("HJ212_BENCH_PACKETS").flatMap { Int(String(cString: $0)) } ?? 1_000
let corpus = HJ212Corpus(count: packetCount)
try run("typical packets (HJ212Corpus, \(packetCount))", bytes: corpus.bytes, seconds: seconds)
for path in arguments.dropFirst() {
    guard let file = fopen(path, "rb") else { continue }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let count = fread(&chunk, 1, chunk.count, file)
        if count <= 0 { break }
        bytes += chunk[0..<count]
    }
    fclose(file)
    try run(path, bytes: bytes, seconds: seconds)
}
