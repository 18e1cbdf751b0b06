/// The HJ 212 packet checksum.
///
/// HJ 212-2017 附录A (unchanged from HJ/T 212-2005): the register starts at `0xFFFF`; for each byte of the data
/// segment the register becomes `(register >> 8) ^ byte`, then 8 rounds of "shift right one bit, XOR `0xA001` if the
/// bit shifted out was 1". The result is sent as four hexadecimal digits, high byte first.
///
/// This is **not** CRC-16/MODBUS, which XORs the byte into the *whole* register (`register ^= byte`). Because the
/// standard keeps only the high byte of the register between bytes, its state is 8 bits wide: only 256 checksums
/// exist and the check is about as strong as an 8-bit CRC (see `docs/hj212.md`).
///
/// ## Speed
/// The 8-bit state makes the checksum a linear map over GF(2): with `H(x) = T[x] >> 8` (T the classic 256-entry
/// table), `s' = H(s ^ b) = H(s) ^ H(b)`. Eight bytes therefore fold in with eight independent lookups into
/// tables of `H¹ … H⁸` ("slicing by 8"; the main loop takes 16 bytes with `H¹ … H¹⁶`, 4 KiB of tables that stay
/// in L1), and only the last byte needs the full 16-bit table entry. See ``checksum(_:)-(UnsafeRawBufferPointer)``.
public enum HJ212CRC {
    /// The classic 256-entry table: `T[v]` = 8 rounds of the HJ 212-2017 附录A loop on `v`.
    static let table16: [UInt16] = (0..<256).map { value in
        var register = UInt16(value)
        for _ in 0..<8 {
            let lsb = register & 1
            register >>= 1
            if lsb == 1 { register ^= 0xA001 }
        }
        return register
    }

    /// Slicing tables: `sliced[k * 256 + v]` = `H^(k+1)(v)` where `H(v) = T[v] >> 8`, for k in 0..<16.
    static let sliced: [UInt8] = {
        var result = [UInt8](repeating: 0, count: 16 * 256)
        for value in 0..<256 {
            var state = UInt8(truncatingIfNeeded: table16[value] >> 8)
            result[value] = state
            for k in 1..<16 {
                state = UInt8(truncatingIfNeeded: table16[Int(state)] >> 8)
                result[k * 256 + value] = state
            }
        }
        return result
    }()

    /// The HJ 212 checksum of `bytes` (HJ 212-2017 附录A), table-driven, eight bytes per step.
    /// - Parameter bytes: the data segment (from the first byte after the 4-digit length to the closing `&&`).
    /// - Returns: the 16-bit checksum, to be printed as `%04X`.
    @inlinable
    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt16 {
        _checksum(bytes)
    }

    /// The HJ 212 checksum of a byte sequence (HJ 212-2017 附录A).
    /// - Parameter bytes: the data segment.
    /// - Returns: the 16-bit checksum.
    public static func checksum(_ bytes: some Sequence<UInt8>) -> UInt16 {
        if let fast = bytes.withContiguousStorageIfAvailable({ _checksum(UnsafeRawBufferPointer($0)) }) {
            return fast
        }
        let copy = Array(bytes)
        return copy.withUnsafeBytes { _checksum($0) }
    }

    @usableFromInline
    static func _checksum(_ bytes: UnsafeRawBufferPointer) -> UInt16 {
        let count = bytes.count
        if count == 0 { return 0xFFFF }
        return table16.withUnsafeBufferPointer { t16 in
            sliced.withUnsafeBufferPointer { h in
                var state: UInt8 = 0xFF
                var index = 0
                let body = count - 1  // every byte but the last goes through the 8-bit state
                while index + 16 <= body {
                    let w0 = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                    let w1 = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index + 8, as: UInt64.self))
                    let b0 = UInt8(truncatingIfNeeded: w0) ^ state
                    let a = h[15 * 256 + Int(b0)]
                        ^ h[14 * 256 + Int(UInt8(truncatingIfNeeded: w0 >> 8))]
                        ^ h[13 * 256 + Int(UInt8(truncatingIfNeeded: w0 >> 16))]
                        ^ h[12 * 256 + Int(UInt8(truncatingIfNeeded: w0 >> 24))]
                    let b = h[11 * 256 + Int(UInt8(truncatingIfNeeded: w0 >> 32))]
                        ^ h[10 * 256 + Int(UInt8(truncatingIfNeeded: w0 >> 40))]
                        ^ h[9 * 256 + Int(UInt8(truncatingIfNeeded: w0 >> 48))]
                        ^ h[8 * 256 + Int(UInt8(truncatingIfNeeded: w0 >> 56))]
                    let c = h[7 * 256 + Int(UInt8(truncatingIfNeeded: w1))]
                        ^ h[6 * 256 + Int(UInt8(truncatingIfNeeded: w1 >> 8))]
                        ^ h[5 * 256 + Int(UInt8(truncatingIfNeeded: w1 >> 16))]
                        ^ h[4 * 256 + Int(UInt8(truncatingIfNeeded: w1 >> 24))]
                    let d = h[3 * 256 + Int(UInt8(truncatingIfNeeded: w1 >> 32))]
                        ^ h[2 * 256 + Int(UInt8(truncatingIfNeeded: w1 >> 40))]
                        ^ h[1 * 256 + Int(UInt8(truncatingIfNeeded: w1 >> 48))]
                        ^ h[Int(UInt8(truncatingIfNeeded: w1 >> 56))]
                    state = (a ^ b) ^ (c ^ d)
                    index += 16
                }
                while index + 8 <= body {
                    let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                    let b0 = UInt8(truncatingIfNeeded: word) ^ state
                    state = h[7 * 256 + Int(b0)]
                        ^ h[6 * 256 + Int(UInt8(truncatingIfNeeded: word >> 8))]
                        ^ h[5 * 256 + Int(UInt8(truncatingIfNeeded: word >> 16))]
                        ^ h[4 * 256 + Int(UInt8(truncatingIfNeeded: word >> 24))]
                        ^ h[3 * 256 + Int(UInt8(truncatingIfNeeded: word >> 32))]
                        ^ h[2 * 256 + Int(UInt8(truncatingIfNeeded: word >> 40))]
                        ^ h[1 * 256 + Int(UInt8(truncatingIfNeeded: word >> 48))]
                        ^ h[Int(UInt8(truncatingIfNeeded: word >> 56))]
                    index += 8
                }
                while index < body {
                    state = h[Int(state ^ bytes[index])]
                    index += 1
                }
                return t16[Int(state ^ bytes[body])]
            }
        }
    }

    /// The checksum computed bit by bit exactly as the C code of HJ 212-2017 附录A; the reference for tests.
    /// - Parameter bytes: the data segment.
    /// - Returns: the 16-bit checksum.
    public static func checksumBitwise(_ bytes: some Sequence<UInt8>) -> UInt16 {
        var register: UInt16 = 0xFFFF
        for byte in bytes {
            register = (register >> 8) ^ UInt16(byte)
            for _ in 0..<8 {
                let lsb = register & 1
                register >>= 1
                if lsb == 1 { register ^= 0xA001 }
            }
        }
        return register
    }

    /// CRC-16/MODBUS (`register ^= byte`), which some devices send by mistake; used only to name that mistake.
    /// - Parameter bytes: the data segment.
    /// - Returns: the MODBUS checksum.
    public static func modbus(_ bytes: some Sequence<UInt8>) -> UInt16 {
        var register: UInt16 = 0xFFFF
        for byte in bytes {
            register ^= UInt16(byte)
            for _ in 0..<8 {
                let lsb = register & 1
                register >>= 1
                if lsb == 1 { register ^= 0xA001 }
            }
        }
        return register
    }
}
