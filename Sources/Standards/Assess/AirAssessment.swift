/// The level of an air assessment.
public enum AirReportLevel: String, Sendable, CaseIterable, Codable {
    /// Real-time (hourly) AQI of every row.
    case hour
    /// Daily statistics and AQI of every natural day.
    case day
    /// The annual evaluation of one calendar year.
    case year
}

/// The options of an air assessment (`qingshan assess air`, `POST /api/v1/assess/air`).
public struct AirAssessmentOptions: Sendable, Hashable {
    /// The level.
    public var level: AirReportLevel
    /// The rule set: `auto` by date, or fixed.
    public var standard: AirStandardChoice
    /// How the file labels its hours (default: by the end, HJ 663).
    public var hourLabel: HourLabel
    /// The area class of the station (default 2).
    public var areaClass: AreaClass
    /// The 2012 real-time PM rule (default: the 24-hour moving average of the letter of HJ 633-2012).
    public var pmHourly: PMHourlyRule
    /// The year of a year-level assessment (default: the only year in the file).
    public var year: Int?

    /// Creates options; defaults as the command's.
    public init(level: AirReportLevel, standard: AirStandardChoice = .auto, hourLabel: HourLabel = .end,
                areaClass: AreaClass = .two, pmHourly: PMHourlyRule = .movingAverage24h, year: Int? = nil) {
        self.level = level
        self.standard = standard
        self.hourLabel = hourLabel
        self.areaClass = areaClass
        self.pmHourly = pmHourly
        self.year = year
    }
}

/// The result of an air assessment, one of the three report shapes.
public enum AirAssessmentReport: Encodable, Sendable {
    /// `--level hour`.
    case hour(AirHourlyReport)
    /// `--level day`.
    case day(AirDailyReport)
    /// `--level year`.
    case year(AirAnnualReport)

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .hour(let report): try report.encode(to: encoder)
        case .day(let report): try report.encode(to: encoder)
        case .year(let report): try report.encode(to: encoder)
        }
    }
}

/// Air assessments of a station's hourly export.
public enum AirAssessment {
    /// Reads a CSV text and assesses it.
    /// - Parameters:
    ///   - text: the CSV text (`time,so2,no2,co,o3,pm10,pm25`).
    ///   - options: the options.
    /// - Returns: the report.
    /// - Throws: ``AssessInputError`` for bad input.
    public static func run(csv text: String, options: AirAssessmentOptions) throws(AssessInputError) -> AirAssessmentReport {
        let data = try AirCSV(text, hourLabel: options.hourLabel)
        switch options.level {
        case .hour: return .hour(hourly(data, options: options))
        case .day: return .day(daily(data.series, options: options))
        case .year: return .year(try annual(data, options: options))
        }
    }

    /// The real-time AQI of every row, in time order.
    /// - Parameters:
    ///   - data: the file.
    ///   - options: the options.
    /// - Returns: the report.
    public static func hourly(_ data: AirCSV, options: AirAssessmentOptions) -> AirHourlyReport {
        var used: Set<AirRuleSet> = []
        let hours = data.rows.map { row in
            let ruleSet = options.standard.ruleSet(on: row.hour.date)
            used.insert(ruleSet)
            let result = AirQualityIndex.realTime(data.series.realTimeConcentrations(at: row.hour), ruleSet: ruleSet,
                                                  pmHourly: options.pmHourly)
            return AirHourlyReport.Hour(time: row.label, result: result)
        }
        return AirHourlyReport(standard: standardLabel(used, choice: options.standard), hourLabel: data.hourLabel,
                               pmHourly: options.pmHourly, hours: hours)
    }

    /// The daily report of every day of the series.
    /// - Parameters:
    ///   - series: the hourly data.
    ///   - options: the options.
    /// - Returns: the report.
    public static func daily(_ series: HourlyAirSeries, options: AirAssessmentOptions) -> AirDailyReport {
        let days = DailyAirReport.compute(series, standard: options.standard, areaClass: options.areaClass)
        return AirDailyReport(standard: standardLabel(Set(days.map(\.ruleSet)), choice: options.standard),
                              areaClass: options.areaClass, days: days)
    }

    /// The annual evaluation of the chosen year (``AirAssessmentOptions/year``, or the only year in the file: the
    /// only year its natural days fall in, else the only year its labels are written in).
    /// - Parameters:
    ///   - data: the file.
    ///   - options: the options.
    /// - Returns: the report.
    /// - Throws: ``AssessInputError`` when the file covers several years and none was chosen.
    public static func annual(_ data: AirCSV, options: AirAssessmentOptions) throws(AssessInputError) -> AirAnnualReport {
        let year: Int
        if let chosen = options.year {
            year = chosen
        } else {
            let dayYears = Set(data.rows.map(\.hour.date.year))
            let labelYears = Set(data.rows.compactMap { HourLabel.parseLabel(Substring($0.label))?.date.year })
            if dayYears.count == 1 {
                year = dayYears.first!
            } else if labelYears.count == 1 {
                year = labelYears.first!
            } else {
                throw .ambiguousYear(dayYears.sorted())
            }
        }
        let first = CivilDate(year: year, month: 1, day: 1)!
        let days = (0..<(CivilDate.isLeap(year) ? 366 : 365)).map { offset in
            DailyAirReport.compute(data.series, date: CivilDate(dayNumber: first.dayNumber + offset),
                                   standard: options.standard, areaClass: options.areaClass)
        }
        let evaluation = AnnualAirEvaluation.evaluate(year: year, days: days, standard: options.standard, areaClass: options.areaClass)
        return AirAnnualReport(standard: standardLabel(Set(evaluation.ruleSets), choice: options.standard), evaluation: evaluation)
    }
}
