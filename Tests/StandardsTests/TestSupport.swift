import Standards

/// An exact number from decimal text (`"2.2"`).
func exact(_ text: String) -> ExactNumber { ScaledDecimal.parse(Substring(text))!.exact }

/// A scaled decimal from decimal text.
func decimal(_ text: String) -> ScaledDecimal { ScaledDecimal.parse(Substring(text))! }

/// A date.
func date(_ text: String) -> CivilDate { CivilDate.parse(Substring(text))! }

/// A series of whole days filled from a closure `(pollutant, day index, hour of day) -> value text or nil`.
func series(from first: String, days: Int, _ value: (AirPollutant, Int, Int) -> String?) -> HourlyAirSeries {
    var result = HourlyAirSeries(firstDay: date(first), dayCount: days)
    for day in 0..<days {
        for hour in 0..<24 {
            let interval = LocalHour(number: (date(first).dayNumber + day) * 24 + hour)
            for pollutant in AirPollutant.allCases {
                if let text = value(pollutant, day, hour) { result.set(pollutant, decimal(text), at: interval) }
            }
        }
    }
    return result
}

/// The directory of the test fixtures.
func fixturePath(_ name: String, file: String = #filePath) -> String {
    var parts = file.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast()
    return parts.joined(separator: "/") + "/Fixtures/" + name
}
