import Foundation

/// A ZIP archive writer (PKWARE APPNOTE 6.3.x §4.3) with stored (uncompressed) entries and CRC-32, enough for an
/// Office Open XML package.
struct ZIPWriter {
    private var data = Data()
    private var central = Data()
    private var count: UInt16 = 0

    /// CRC-32 (ISO 3309 / ITU-T V.42 polynomial 0xEDB88320), as ZIP requires.
    static func crc32(_ bytes: Data) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc = crcTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
        }
        return crc ^ 0xFFFF_FFFF
    }

    private static let crcTable: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    private static func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
    private static func le32(_ v: UInt32) -> [UInt8] { [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8(v >> 24)] }

    /// Adds a file.
    mutating func add(_ path: String, _ content: Data) {
        let name = Data(path.utf8)
        let crc = ZIPWriter.crc32(content)
        let size = UInt32(content.count)
        let offset = UInt32(data.count)
        // 1980-01-01 00:00, the DOS epoch: the archive does not depend on the clock.
        let time: UInt16 = 0, date: UInt16 = (0 << 9) | (1 << 5) | 1
        var local = Data([0x50, 0x4B, 0x03, 0x04])
        local += ZIPWriter.le16(20) + ZIPWriter.le16(0x0800) + ZIPWriter.le16(0) + ZIPWriter.le16(time) + ZIPWriter.le16(date)
        local += ZIPWriter.le32(crc) + ZIPWriter.le32(size) + ZIPWriter.le32(size)
        local += ZIPWriter.le16(UInt16(name.count)) + ZIPWriter.le16(0)
        data += local + name + content
        var entry = Data([0x50, 0x4B, 0x01, 0x02])
        entry += ZIPWriter.le16(20) + ZIPWriter.le16(20) + ZIPWriter.le16(0x0800) + ZIPWriter.le16(0) + ZIPWriter.le16(time) + ZIPWriter.le16(date)
        entry += ZIPWriter.le32(crc) + ZIPWriter.le32(size) + ZIPWriter.le32(size)
        entry += ZIPWriter.le16(UInt16(name.count)) + ZIPWriter.le16(0) + ZIPWriter.le16(0) + ZIPWriter.le16(0) + ZIPWriter.le16(0)
        entry += ZIPWriter.le32(0) + ZIPWriter.le32(offset)
        central += entry + name
        count += 1
    }

    /// The finished archive.
    func finish() -> Data {
        var out = data
        let start = UInt32(out.count)
        out += central
        var end = Data([0x50, 0x4B, 0x05, 0x06])
        end += ZIPWriter.le16(0) + ZIPWriter.le16(0) + ZIPWriter.le16(count) + ZIPWriter.le16(count)
        end += ZIPWriter.le32(UInt32(central.count)) + ZIPWriter.le32(start) + ZIPWriter.le16(0)
        return out + end
    }
}

/// A cell of a worksheet.
enum XLSXCell: Sendable, Equatable {
    case text(String)
    case number(Double)
    case empty
}

/// A minimal Excel workbook (ECMA-376 Part 1, SpreadsheetML): one sheet per section, inline strings, a bold header
/// style, frozen first row.
struct XLSXWorkbook {
    struct Sheet {
        var name: String
        var rows: [[XLSXCell]]
        /// Rows (0-based) drawn bold, e.g. headers.
        var boldRows: Set<Int> = [0]
        var columnWidths: [Double] = []
    }

    var sheets: [Sheet] = []

    static func xml(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                // XML 1.0 forbids other control characters.
                if scalar.value < 0x20 || (0xFFFE...0xFFFF).contains(scalar.value) { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// The column letters of a 0-based index (A, B, … Z, AA …).
    static func column(_ index: Int) -> String {
        var n = index + 1
        var letters = ""
        while n > 0 {
            let r = (n - 1) % 26
            letters = String(UnicodeScalar(UInt8(65 + r))) + letters
            n = (n - 1) / 26
        }
        return letters
    }

    /// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`, unique.
    static func sheetName(_ name: String, taken: Set<String>) -> String {
        var cleaned = String(name.filter { !"[]:*?/\\".contains($0) }.prefix(31))
        if cleaned.isEmpty { cleaned = "Sheet" }
        var candidate = cleaned
        var n = 2
        while taken.contains(candidate.lowercased()) {
            candidate = String(cleaned.prefix(28)) + "(\(n))"
            n += 1
        }
        return candidate
    }

    func sheetXML(_ sheet: Sheet) -> String {
        var rows = ""
        for (r, row) in sheet.rows.enumerated() {
            rows += "<row r=\"\(r + 1)\">"
            for (c, cell) in row.enumerated() {
                let ref = "\(XLSXWorkbook.column(c))\(r + 1)"
                let style = sheet.boldRows.contains(r) ? " s=\"1\"" : ""
                switch cell {
                case .text(let text):
                    rows += "<c r=\"\(ref)\" t=\"inlineStr\"\(style)><is><t xml:space=\"preserve\">\(XLSXWorkbook.xml(text))</t></is></c>"
                case .number(let value) where value.isFinite:
                    rows += "<c r=\"\(ref)\"\(style)><v>\(value)</v></c>"
                case .number, .empty:
                    break
                }
            }
            rows += "</row>"
        }
        let widths = sheet.columnWidths.enumerated().map { "<col min=\"\($0.offset + 1)\" max=\"\($0.offset + 1)\" width=\"\($0.element)\" customWidth=\"1\"/>" }.joined()
        return """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
        <sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>\
        \(widths.isEmpty ? "" : "<cols>\(widths)</cols>")<sheetData>\(rows)</sheetData></worksheet>
        """
    }

    /// The workbook as `.xlsx` bytes.
    func data() -> Data {
        var zip = ZIPWriter()
        var taken: Set<String> = []
        let names = sheets.map { sheet -> String in
            let name = XLSXWorkbook.sheetName(sheet.name, taken: taken)
            taken.insert(name.lowercased())
            return name
        }
        let overrides = sheets.indices.map {
            "<Override PartName=\"/xl/worksheets/sheet\($0 + 1).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        }.joined()
        zip.add("[Content_Types].xml", Data("""
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\(overrides)</Types>
        """.utf8))
        zip.add("_rels/.rels", Data("""
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>
        """.utf8))
        let sheetEntries = names.enumerated().map { "<sheet name=\"\(XLSXWorkbook.xml($0.element))\" sheetId=\"\($0.offset + 1)\" r:id=\"rId\($0.offset + 1)\"/>" }.joined()
        zip.add("xl/workbook.xml", Data("""
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>\(sheetEntries)</sheets></workbook>
        """.utf8))
        let rels = sheets.indices.map {
            "<Relationship Id=\"rId\($0 + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet\($0 + 1).xml\"/>"
        }.joined()
        zip.add("xl/_rels/workbook.xml.rels", Data("""
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\(rels)<Relationship Id="rId\(sheets.count + 1)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>
        """.utf8))
        zip.add("xl/styles.xml", Data("""
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>
        """.utf8))
        for (index, sheet) in sheets.enumerated() {
            zip.add("xl/worksheets/sheet\(index + 1).xml", Data(sheetXML(sheet).utf8))
        }
        return zip.finish()
    }
}
