#if arch(x86_64)
import _Builtin_intrinsics.intel

extension HJ212PacketParser {
    /// The delimiter bitmap pass of ``segmentPass(_:)`` with SSE2 (part of every x86-64 CPU): byte compares and
    /// `pmovmskb`, about 25 instructions per 16 bytes where the portable lane arithmetic takes about 60.
    ///
    /// Bit `k` of `bits[w]` is set when the byte at `dataStart + 64 w + k` is `=`, `;`, `,`, `&` or `-`; also says
    /// whether any byte is outside printable ASCII 0x20…0x7E and whether any byte is a space.
    @inline(__always)
    func segmentPassSSE2(_ bits: UnsafeMutablePointer<UInt64>) -> (needsEncodingCheck: Bool, hasSpace: Bool) {
        let equals = _mm_set1_epi8(Int8(bitPattern: ASCII.equals))
        let semicolon = _mm_set1_epi8(Int8(bitPattern: ASCII.semicolon))
        let dash = _mm_set1_epi8(Int8(bitPattern: ASCII.dash))  // ',' is 0x2C: `byte | 1 == '-'` finds both
        let amp = _mm_set1_epi8(Int8(bitPattern: ASCII.amp))
        let one = _mm_set1_epi8(1)
        let space = _mm_set1_epi8(Int8(bitPattern: ASCII.space))
        let delete = _mm_set1_epi8(0x7F)
        var bad = _mm_setzero_si128()
        var spaces = _mm_setzero_si128()

        @inline(__always)
        func load(_ offset: Int) -> __m128i {
            (base + offset).loadUnaligned(as: __m128i.self)
        }
        /// The delimiter lanes of `v` as 16 bits.
        @inline(__always)
        func marks(_ v: __m128i) -> UInt64 {
            let m = _mm_or_si128(
                _mm_or_si128(_mm_cmpeq_epi8(v, equals), _mm_cmpeq_epi8(v, semicolon)),
                _mm_or_si128(_mm_cmpeq_epi8(_mm_or_si128(v, one), dash), _mm_cmpeq_epi8(v, amp))
            )
            return UInt64(UInt16(truncatingIfNeeded: _mm_movemask_epi8(m)))
        }
        /// Lanes below 0x20 as signed bytes (C0 controls and every byte with the top bit set) or DEL.
        @inline(__always)
        func badLanes(_ v: __m128i) -> __m128i {
            _mm_or_si128(_mm_cmplt_epi8(v, space), _mm_cmpeq_epi8(v, delete))
        }
        /// `byte - 0x20` wraps above 0x5E exactly for the bytes outside 0x20…0x7E: the largest one decides.
        let minusSpace = _mm_set1_epi8(-0x20)
        var highest = _mm_setzero_si128()

        var i = dataStart
        var w = 0
        let end = dataEnd
        while i &+ 64 <= end {
            let v0 = load(i), v1 = load(i &+ 16), v2 = load(i &+ 32), v3 = load(i &+ 48)
            bits[w] = marks(v0) | marks(v1) << 16 | marks(v2) << 32 | marks(v3) << 48
            highest = _mm_max_epu8(
                highest,
                _mm_max_epu8(
                    _mm_max_epu8(_mm_add_epi8(v0, minusSpace), _mm_add_epi8(v1, minusSpace)),
                    _mm_max_epu8(_mm_add_epi8(v2, minusSpace), _mm_add_epi8(v3, minusSpace))
                )
            )
            spaces = _mm_or_si128(
                spaces,
                _mm_or_si128(
                    _mm_or_si128(_mm_cmpeq_epi8(v0, space), _mm_cmpeq_epi8(v1, space)),
                    _mm_or_si128(_mm_cmpeq_epi8(v2, space), _mm_cmpeq_epi8(v3, space))
                )
            )
            w &+= 1
            i &+= 64
        }
        var word: UInt64 = 0
        var shift: UInt64 = 0
        while i &+ 16 <= end {
            let v = load(i)
            word |= marks(v) << shift
            bad = _mm_or_si128(bad, badLanes(v))
            spaces = _mm_or_si128(spaces, _mm_cmpeq_epi8(v, space))
            shift &+= 16
            i &+= 16
        }
        var badTail: Int32 = 0, spaceTail: Int32 = 0
        if i < end {
            if end >= 16 {
                // The last 1…15 bytes: the 16 bytes that end with them (inside the frame), lanes before `i` dropped.
                let v = load(end &- 16)
                let drop = Int32(truncatingIfNeeded: 16 &- (end &- i))
                word |= (marks(v) >> UInt64(drop)) << shift
                badTail = _mm_movemask_epi8(badLanes(v)) >> drop
                spaceTail = _mm_movemask_epi8(_mm_cmpeq_epi8(v, space)) >> drop
            } else {
                let classes = Self.byteClassPointer
                while i < end {
                    let c = p[i]
                    if classes[Int(c)] & 16 != 0 { word |= 1 << shift }
                    if c &- 0x20 >= 0x5F { badTail = 1 }
                    if c == ASCII.space { spaceTail = 1 }
                    i &+= 1
                    shift &+= 1
                }
            }
        }
        bits[w] = word
        // Some lane of `highest` above 0x5E: subtracting 0x5E with unsigned saturation leaves it non-zero.
        let outside = _mm_cmpeq_epi8(_mm_subs_epu8(highest, _mm_set1_epi8(0x5E)), _mm_setzero_si128())
        return (
            badTail != 0 || _mm_movemask_epi8(bad) != 0 || _mm_movemask_epi8(outside) != 0xFFFF,
            spaceTail != 0 || _mm_movemask_epi8(spaces) != 0
        )
    }
}
#endif
