import ArgumentParser
import Foundation
import HJ212

extension HJ212Command {
    /// `qingshan hj212 decode [FILE|-]`: one JSON line per packet found in a byte stream.
    struct Decode: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Decode HJ 212 packets from a file or standard input, one JSON line per packet.",
            discussion: """
            Reads a byte stream (several packets, junk between them, with or without CR LF) and prints one line per \
            frame found: {"ok": true, "dialect", "qn", "st", "cn", "mn", "flag", "pnum", "pno", "data_time", \
            "items": [{"code", "code_2017", "field", "value", "flag"}], "deviations": [...], "offset"} or \
            {"ok": false, "error": "bad_crc"|"bad_length"|"bad_header"|"bad_structure"|"bad_encoding"|"oversize"|\
            "truncated", "offset", "detail"}. Bytes outside any frame are skipped silently. The exit status is 0 \
            whatever the packets contain (2 when the input cannot be read).
            """
        )

        @Argument(help: "The file to read, or - for standard input.") var file: String = "-"
        @Flag(name: .long, help: "Report packets that deviate from the standard as errors instead of accepting them.")
        var strict = false
        @Option(name: .long, help: "The largest data segment accepted, in bytes (at most 9999).") var maxLength = 9999
        @Flag(name: .long, help: "Accept CRC-16/MODBUS checksums (a common implementer mistake) as a deviation.")
        var acceptModbusCrc = false

        func run() throws {
            let input: FileHandle
            if file == "-" {
                input = FileHandle.standardInput
            } else {
                guard let handle = FileHandle(forReadingAtPath: file) else {
                    FileHandle.standardError.write(Data("qingshan hj212 decode: cannot read \(file)\n".utf8))
                    throw ExitCode(2)
                }
                input = handle
            }
            let options = HJ212StreamDecoder.Options(
                framing: .init(maxDataLength: maxLength, acceptModbusCRC: acceptModbusCrc), strict: strict
            )
            var decoder = HJ212StreamDecoder(options: options)
            var output: [UInt8] = []
            output.reserveCapacity(1 << 17)
            func drain() {
                while let event = decoder.next() {
                    output.append(contentsOf: event.jsonLine.utf8)
                    output.append(10)
                    if output.count >= 1 << 16 { flush() }
                }
            }
            func flush() {
                guard !output.isEmpty else { return }
                FileHandle.standardOutput.write(Data(output))
                output.removeAll(keepingCapacity: true)
            }
            while true {
                let chunk: Data
                do {
                    chunk = try input.read(upToCount: 1 << 16) ?? Data()
                } catch {
                    flush()
                    FileHandle.standardError.write(Data("qingshan hj212 decode: \(error)\n".utf8))
                    throw ExitCode(2)
                }
                if chunk.isEmpty { break }
                chunk.withUnsafeBytes { decoder.append($0) }
                drain()
            }
            decoder.finish()
            drain()
            flush()
        }
    }
}
