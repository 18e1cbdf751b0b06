// Monitoring figures of issue 5, measured on a real database (release build):
//   swift run -c release MonitoringBench annual [--db PATH|postgres://…] [--stations 50] [--year 2025]
//     stores a year of hourly data (all six pollutants) for N stations through Store.storeObservations, rolls it up
//     through the same queue the server uses, then times the annual evaluation of all N stations (HJ 663).
//   swift run -c release MonitoringBench volume [--db …] [--observations 10000000]
//     stores that many hourly observations (stations × hours × pollutants) and times the site page's queries.
import Domain
import Foundation
import Logging
import Standards
import Store

struct Options {
    var mode = "annual"
    var db: String?
    var stations = 50
    var year = 2025
    var observations = 10_000_000

    init(_ arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "annual", "volume", "read": mode = argument
            case "--db": db = iterator.next()
            case "--stations": stations = Int(iterator.next() ?? "") ?? stations
            case "--year": year = Int(iterator.next() ?? "") ?? year
            case "--observations": observations = Int(iterator.next() ?? "") ?? observations
            default: FileHandle.standardError.write(Data("unknown argument \(argument)\n".utf8)); exit(2)
            }
        }
    }
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// A deterministic, plausible hourly value.
func value(_ pollutant: Int, station: Int, hour: Int) -> Double {
    let daily = sin(Double(hour % 24) / 24 * 2 * .pi) * 0.3 + 1
    let seasonal = cos(Double(hour / 24) / 365 * 2 * .pi) * 0.4 + 1
    let noise = Double((hour &* 2_654_435_761 &+ station &* 40_503 &+ pollutant) & 0xff) / 255 * 0.5 + 0.75
    let base = [8.0, 25, 0.7, 60, 55, 30][pollutant]
    let v = base * daily * seasonal * noise
    return pollutant == 2 ? (v * 10).rounded() / 10 : v.rounded()
}

let codes = ["a21026", "a21004", "a21005", "a05024", "a34002", "a34004"]

func hourlyObservations(stations: Range<Int>, hours: Range<Int>, start: Date) -> [Observation] {
    var result: [Observation] = []
    result.reserveCapacity(stations.count * hours.count * codes.count)
    for station in stations {
        for hour in hours {
            let time = start.addingTimeInterval(Double(hour) * 3600)
            for (slot, code) in codes.enumerated() {
                let v = value(slot, station: station, hour: hour)
                result.append(Observation(siteCode: "B\(station)", mn: "BENCH\(station)", cn: "2061", code: code, field: "Avg",
                                          dataTime: time, value: v, valueText: slot == 2 ? String(v) : String(Int(v)), flag: "N"))
            }
        }
    }
    return result
}

let options = Options(CommandLine.arguments)
let logger = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
let path = options.db ?? FileManager.default.temporaryDirectory.appendingPathComponent("qingshan-bench-\(UUID().uuidString).sqlite").path
let location = path.hasPrefix("postgres") ? DatabaseLocation.postgres(url: path) : DatabaseLocation.sqlite(path: path)
let store = try await Store.open(location, logger: logger)
try await store.migrate()
let clock = ContinuousClock()
let sites = (0..<options.stations).map { index -> Site in
    var site = Site(code: "B\(index)", kind: .air, name: "Bench \(index)", longitude: 109 + Double(index) / 100, latitude: 31)
    site.areaClass = 2
    return site
}
try await store.saveSites(sites, actor: "bench")
let start = LocalTime.date(year: options.year, month: 1, day: 1)!
let hoursInYear = CivilDate.isLeap(options.year) ? 8784 : 8760

switch options.mode {
case "read":
    // Only the evaluation, on a database an earlier `annual --db FILE` filled.
    var timings: [Double] = []
    for _ in 0..<50 {
        let elapsed = try await clock.measure { _ = try await store.annualAirEvaluations(sites: sites, year: options.year) }
        timings.append(seconds(elapsed) * 1000)
    }
    timings.sort()
    print("annual evaluation of \(options.stations) stations: min \(String(format: "%.1f", timings[0])) ms, median \(String(format: "%.1f", timings[timings.count / 2])) ms")
case "annual":
    var stored = 0
    let ingest = try await clock.measure {
        for station in 0..<options.stations {
            for chunk in stride(from: 0, to: hoursInYear, by: 1000) {
                let batch = hourlyObservations(stations: station..<(station + 1), hours: chunk..<min(chunk + 1000, hoursInYear), start: start)
                stored += try await store.storeObservations(batch)
            }
        }
    }
    print("stored \(stored) observations (\(options.stations) stations × \(hoursInYear) h × 6) in \(String(format: "%.1f", seconds(ingest))) s: \(Int(Double(stored) / seconds(ingest))) rows/s")
    var keys = 0
    let rollup = try await clock.measure {
        while true {
            let done = try await store.processPendingRollups(limit: 200)
            if done.isEmpty { break }
            keys += done.count
        }
    }
    print("rolled up \(keys) station-days in \(String(format: "%.1f", seconds(rollup))) s")
    var timings: [Double] = []
    var goodDays = 0
    for _ in 0..<20 {
        let elapsed = try await clock.measure {
            let evaluations = try await store.annualAirEvaluations(sites: sites, year: options.year)
            goodDays = evaluations.values.map(\.aqiDays.goodDays).reduce(0, +)
        }
        timings.append(seconds(elapsed) * 1000)
    }
    var reads: [Double] = []
    for _ in 0..<5 {
        let elapsed = try await clock.measure {
            _ = try await store.airDays(siteCodes: sites.map(\.code), from: CivilDate(year: options.year, month: 1, day: 1)!,
                                        to: CivilDate(year: options.year + 1, month: 1, day: 1)!)
        }
        reads.append(seconds(elapsed) * 1000)
    }
    let records = try await store.airDays(siteCodes: sites.map(\.code), from: CivilDate(year: options.year, month: 1, day: 1)!,
                                          to: CivilDate(year: options.year + 1, month: 1, day: 1)!)
    let aqiTime = clock.measure { for r in records { _ = DailyAirReport.from(r.report.statistics, standard: .auto) } }
    let rawTime = try await clock.measure {
        _ = try await store.reader.raw("SELECT site_code, day, hours, statistics, period_from FROM air_days").all()
    }
    print("  daily AQI of \(records.count) days: \(String(format: "%.1f", seconds(aqiTime) * 1000)) ms; raw SELECT of the rows: \(String(format: "%.1f", seconds(rawTime) * 1000)) ms")
    print("  of which reading the \(options.stations * 365) daily rows: min \(String(format: "%.1f", reads.min()!)) ms")
    timings.sort()
    print("annual evaluation of \(options.stations) stations from stored rollups: min \(String(format: "%.1f", timings[0])) ms, median \(String(format: "%.1f", timings[timings.count / 2])) ms, max \(String(format: "%.1f", timings.last!)) ms (good days in all: \(goodDays))")
default:
    let perStationHour = codes.count
    let stationHours = options.observations / perStationHour
    let stationCount = max(1, stationHours / hoursInYear + (stationHours % hoursInYear == 0 ? 0 : 1))
    if stationCount > sites.count {
        let extra = (sites.count..<stationCount).map { index -> Site in
            var site = Site(code: "B\(index)", kind: .air, name: "Bench \(index)", longitude: 109, latitude: 31)
            site.areaClass = 2
            return site
        }
        try await store.saveSites(extra, actor: "bench")
    }
    var stored = 0
    var remaining = stationHours
    let ingest = try await clock.measure {
        for station in 0..<stationCount where remaining > 0 {
            let hours = min(hoursInYear, remaining)
            for chunk in stride(from: 0, to: hours, by: 1000) {
                stored += try await store.storeObservations(
                    hourlyObservations(stations: station..<(station + 1), hours: chunk..<min(chunk + 1000, hours), start: start))
            }
            remaining -= hours
        }
    }
    print("stored \(stored) observations over \(stationCount) stations in \(String(format: "%.1f", seconds(ingest))) s: \(Int(Double(stored) / seconds(ingest))) rows/s")
    // The site page's own queries: the last seven days of values of one station.
    var timings: [Double] = []
    for _ in 0..<20 {
        let elapsed = try await clock.measure {
            let end = start.addingTimeInterval(Double(hoursInYear) * 3600)
            _ = try await store.observations(mn: nil, siteCode: "B\(stationCount / 2)", from: end.addingTimeInterval(-7 * 86_400), to: end,
                                             limit: 100_000)
        }
        timings.append(seconds(elapsed) * 1000)
    }
    timings.sort()
    print("site page query (one station, seven days of hourly values, \(stored) rows stored): min \(String(format: "%.1f", timings[0])) ms, median \(String(format: "%.1f", timings[timings.count / 2])) ms")
}
try await store.close()
