import Foundation
import Standards
import Testing

@Suite("Real data: a Beijing station-year (定陵 2015)")
struct RealDataTests {
    static func text() throws -> String {
        let path = fixturePath("Dingling-2015.csv")
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw FixtureMissing(path: path) }
        return text
    }

    struct FixtureMissing: Error { var path: String }

    @Test("annual evaluation under the 2012 rules, cross-checked with an independent fraction-arithmetic computation")
    func year2012() throws {
        let report = try AirAssessment.annual(try AirCSV(Self.text(), hourLabel: .start),
                                              options: AirAssessmentOptions(level: .year, standard: .fixed(.v2012), hourLabel: .start))
        let result = report.evaluation
        #expect(result.year == 2015 && report.standard == "2012")
        #expect(result[.pm25].validDays == 358 && result[.pm25].mean == ScaledDecimal(65) && result[.pm25].percentile == ScaledDecimal(190))
        #expect(result[.pm10].mean == ScaledDecimal(86) && result[.pm10].percentile == ScaledDecimal(214))
        #expect(result[.so2].mean == ScaledDecimal(11) && result[.so2].percentile == ScaledDecimal(46))
        #expect(result[.no2].mean == ScaledDecimal(27) && result[.no2].percentile == ScaledDecimal(84) && result[.no2].validDays == 357)
        #expect(result[.co].percentile == decimal("2.6") && result[.co].mean == decimal("1.0"))
        #expect(result[.o3_8h].percentile == ScaledDecimal(204) && result[.o3_8h].validDays == 354)
        #expect(result.aqiDays.validDays == 351 && result.aqiDays.goodDays == 199 && result.aqiDays.goodRatio == decimal("56.7"))
        #expect(result.aqiDays.perLevel == [73, 126, 66, 39, 42, 5])
        #expect(result.aqiDays.primaryPollutantDays == [.no2: 2, .o3: 107, .pm10: 32, .pm25: 138])
        #expect(result.compliant == false)
    }

    @Test("the same year under the 2026 rules: fewer good days")
    func year2026() throws {
        let report = try AirAssessment.annual(try AirCSV(Self.text(), hourLabel: .start),
                                              options: AirAssessmentOptions(level: .year, standard: .fixed(.v2026), hourLabel: .start))
        let result = report.evaluation
        #expect(result.aqiDays.validDays == 353 && result.aqiDays.goodDays == 186 && result.aqiDays.goodRatio == decimal("52.7"))
        #expect(result.aqiDays.perLevel == [74, 112, 82, 39, 41, 5])
        #expect(result.aqiDays.primaryPollutantDays == [.no2: 1, .o3: 101, .pm10: 35, .pm25: 144])
        #expect(result.limitPhase == .gb3095_2026Transitional && result[.pm25].annualLimit == 30)
    }

    @Test("read with the default end labels the file still names its one year")
    func endLabels() throws {
        let report = try AirAssessment.annual(try AirCSV(Self.text()), options: AirAssessmentOptions(level: .year))
        #expect(report.evaluation.year == 2015)
    }
}

