import Benchmark
import HJ212
import HJ212BenchmarkSupport
import NIOCore

/// HJ 212 decode throughput (issue 4: at least 1 million typical packets per second on one core). Each iteration
/// handles a corpus of 1,000 typical packets (`HJ212Corpus`), so the reported throughput × 1,000 is packets/s.
let benchmarks: @Sendable () -> Void = {
    let corpus = HJ212Corpus(count: 1_000)
    let buffer = ByteBuffer(bytes: corpus.bytes)
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .throughput, .mallocCountTotal, .instructions],
        maxDuration: .seconds(5),
        maxIterations: 100_000
    )

    // Baseline: memchr over the same bytes.
    Benchmark("memchr scan of 1,000 packets", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            corpus.bytes.withUnsafeBytes { blackHole(HJ212Corpus.memchrLines($0)) }
        }
    }

    // CRC alone over every data segment's bytes (the whole stream, as an upper bound).
    Benchmark("CRC of 1,000 packets' bytes", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            corpus.bytes.withUnsafeBytes { blackHole(HJ212CRC.checksum($0)) }
        }
    }

    // Framing: scan + length + CRC (HJ212FrameDecoder, zero-copy slices).
    Benchmark("frame 1,000 packets (scan + length + CRC)", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            var decoder = HJ212FrameDecoder()
            var input = buffer
            var frames = 0
            while let result = try decoder.decode(buffer: &input) {
                if case .success = result { frames += 1 }
            }
            precondition(frames == corpus.count)
            blackHole(frames)
        }
    }

    // Decode: scan + CRC + header + data-area pairs (offsets; the hot path of the gateway).
    Benchmark("decode 1,000 packets (scan + CRC + header + items)", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            var decoder = HJ212FrameDecoder()
            var input = buffer
            var pairs = 0
            while let result = try decoder.decode(buffer: &input) {
                let packet = try HJ212Packet(frame: result.get())
                pairs &+= packet.pairs.count
            }
            blackHole(pairs)
        }
    }

    // Decode and materialise every item (Strings, Doubles, flags), as the gateway does before storing.
    Benchmark("decode + materialise items of 1,000 packets", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            var decoder = HJ212FrameDecoder()
            var input = buffer
            var values = 0.0
            while let result = try decoder.decode(buffer: &input) {
                let packet = try HJ212Packet(frame: result.get())
                for item in packet.items { values += item.value ?? 0 }
                blackHole(packet.mn)
            }
            blackHole(values)
        }
    }
}
