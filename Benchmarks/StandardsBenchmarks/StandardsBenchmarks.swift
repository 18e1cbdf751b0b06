import Benchmark
import Standards

/// A synthetic station-year: 8,760 hours of all six pollutants with a daily and seasonal cycle, a few gaps and
/// decimals, generated deterministically.
func syntheticStationYear() -> HourlyAirSeries {
    let first = CivilDate(year: 2025, month: 1, day: 1)!
    var series = HourlyAirSeries(firstDay: first, dayCount: 365)
    var state: UInt64 = 42
    func random() -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int(truncatingIfNeeded: state >> 33)
    }
    for index in 0..<(365 * 24) {
        let hour = LocalHour(number: first.dayNumber * 24 + index)
        let day = index / 24, hourOfDay = index % 24
        let season = abs(182 - day)                       // winter high for PM, summer high for O3
        let diurnal = abs(14 - hourOfDay)
        if random() % 97 == 0 { continue }                // whole-hour gaps
        let values: [(AirPollutant, Int64, Int)] = [
            (.so2, Int64(5 + season / 20 + random() % 10), 0),
            (.no2, Int64(20 + season / 8 + diurnal + random() % 20), 0),
            (.co, Int64(3 + season / 30 + random() % 6), 1),
            (.o3, Int64(30 + (182 - season) / 2 + (14 - diurnal) * 6 + random() % 30), 0),
            (.pm10, Int64(40 + season / 2 + random() % 60), 0),
            (.pm25, Int64(1_000 * (20 + season / 3 + random() % 40) + random() % 1_000), 3),
        ]
        for (pollutant, units, decimals) in values where random() % 53 != 0 {
            series.set(pollutant, ScaledDecimal(units: units, decimals: decimals), at: hour)
        }
    }
    return series
}

let benchmarks: @Sendable () -> Void = {
    let series = syntheticStationYear()

    // The figure of issue 3: hourly data → daily statistics and AQI → annual evaluation, one station-year.
    Benchmark("Station-year to annual evaluation",
              configuration: .init(metrics: [.wallClock, .mallocCountTotal, .throughput],
                                   maxDuration: .seconds(5), maxIterations: 2_000)) { benchmark in
        for _ in benchmark.scaledIterations {
            let days = DailyAirReport.compute(series, standard: .auto, areaClass: .two)
            blackHole(AnnualAirEvaluation.evaluate(year: 2025, days: days, standard: .auto, areaClass: .two))
        }
    }

    // The same including the real-time AQI of every hour (the `--level hour` work).
    Benchmark("Station-year real-time AQI (8,760 hours)",
              configuration: .init(metrics: [.wallClock, .mallocCountTotal], maxDuration: .seconds(5), maxIterations: 500)) { benchmark in
        let first = series.firstDay.dayNumber * 24
        for _ in benchmark.scaledIterations {
            for index in 0..<(365 * 24) {
                let hour = LocalHour(number: first + index)
                blackHole(AirQualityIndex.realTime(series.realTimeConcentrations(at: hour), ruleSet: .v2012))
            }
        }
    }
}
