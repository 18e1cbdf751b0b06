import ArgumentParser
import Domain
import Foundation
import Logging
import Standards
import Store

/// `qingshan demo`: the Wuxi demo registry and its seeded year of observations.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Load the Wuxi demo sites, their demo data loggers and seeded observations.",
        subcommands: [Load.self]
    )

    /// `qingshan demo load [--seed N] [--from DAY --to DAY]`.
    struct Load: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Store the demo sites, devices and observations (what `serve --demo` does on start), then exit.",
            discussion: """
            By default the observations run from 1 January of last year through yesterday (China time). Days already \
            stored for a site are not generated again, and storing is idempotent, so running this twice adds nothing. \
            The same seed always gives the same values.
            """
        )

        @OptionGroup var database: DatabaseOptions
        @Option(name: .long, help: "The generator's seed.") var seed: UInt64 = DemoObservations.defaultSeed
        @Option(name: .long, help: "The first day, YYYY-MM-DD (China time).") var from: String?
        @Option(name: .long, help: "The last day, YYYY-MM-DD, inclusive.") var to: String?

        func run() async throws {
            let logger = makeLogger("qingshan")
            let today = LocalTime.components(Date())
            var range = DemoObservations.defaultRange(today: CivilDate(year: today.year, month: today.month, day: today.day)!)
            for (text, name) in [(from, "--from"), (to, "--to")] {
                guard let text else { continue }
                guard let day = CivilDate.parse(Substring(text)) else {
                    printError("qingshan demo load: \(name) \(text) is not a date like 2025-01-01")
                    throw ExitCode(2)
                }
                if name == "--from" { range.from = day } else { range.through = day }
            }
            guard range.from <= range.through else {
                printError("qingshan demo load: --from \(range.from) is after --to \(range.through)")
                throw ExitCode(2)
            }
            let store = try await database.openStore(logger: logger)
            do {
                try await DemoLoader(store: store, logger: logger).load(seed: seed, from: range.from, through: range.through)
            } catch {
                try? await store.close()
                printError("qingshan demo load: \(error)")
                throw ExitCode.failure
            }
            try await store.close()
        }
    }
}

/// Stores the demo registry, one demo data logger per site and the seeded observations, skipping what is stored.
struct DemoLoader {
    let store: Store
    let logger: Logger

    /// Saves the demo sites that are missing or differ, registers the missing demo devices, and stores the
    /// observations of the days not yet stored for each site.
    /// - Parameters:
    ///   - seed: the generator's seed.
    ///   - from: the first day.
    ///   - through: the last day, inclusive.
    func load(seed: UInt64, from: CivilDate, through: CivilDate) async throws {
        let sites = try DemoRegistry.wuxiSites()
        let stored = Dictionary(try await store.sites().map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        let changed = sites.filter { stored[$0.code] != $0 }
        if !changed.isEmpty {
            try await store.saveSites(changed, actor: "system")
        }
        logger.info("demo registry: \(sites.count) Wuxi sites (\(changed.count) saved)")

        let generator = DemoObservations(sites: sites, seed: seed)
        var newDevices: [Device] = []
        for var device in generator.devices(password: DemoLoader.password()) where try await store.device(device.mn) == nil {
            // The demo loggers stand for history, not for live connections: registered disabled, so the offline
            // watchdog does not raise an alarm for each of them an hour after the demo starts.
            device.enabled = false
            newDevices.append(device)
        }
        if !newDevices.isEmpty {
            try await store.saveDevices(newDevices, actor: "system")
        }
        logger.info("demo devices: \(sites.count) data loggers DEMO-<site>, disabled (\(newDevices.count) registered)")

        let clock = ContinuousClock()
        let started = clock.now
        var generated = 0, inserted = 0
        var generating = Duration.zero, storing = Duration.zero
        var sitesLoaded = 0
        for site in sites {
            let missing = try await missingRanges(site: site, from: from, through: through)
            if !missing.isEmpty { sitesLoaded += 1 }
            for range in missing {
                // A month at a time: one transaction of some thousands of rows.
                var first = range.lowerBound
                while first <= range.upperBound {
                    let last = min(first + 30, range.upperBound)
                    let t0 = clock.now
                    let values = generator.observations(for: site, from: CivilDate(dayNumber: first), through: CivilDate(dayNumber: last))
                    let t1 = clock.now
                    inserted += try await store.storeObservations(values)
                    storing += clock.now - t1
                    generating += t1 - t0
                    generated += values.count
                    first = last + 1
                }
            }
        }
        let elapsed = clock.now - started
        if generated == 0 {
            logger.info("demo observations: already stored for every site from \(from) through \(through); nothing to do")
        } else {
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let storeSeconds = Double(storing.components.seconds) + Double(storing.components.attoseconds) / 1e18
            logger.info("""
                demo observations: \(inserted) new of \(generated) generated for \(sitesLoaded) sites, \(from) through \(through), \
                seed \(seed), in \(String(format: "%.1f", seconds)) s (generating \(generating), storing \(storing): \
                \(Int(Double(generated) / max(storeSeconds, 0.001))) rows/s)
                """)
        }
    }

    /// The days of `[from, through]` to generate for a site: those before its first stored demo value's day and after
    /// its last (each month is stored in one transaction, so the stored days are whole).
    func missingRanges(site: Site, from: CivilDate, through: CivilDate) async throws -> [ClosedRange<Int>] {
        guard let stored = try await store.observationTimeRange(mn: DemoObservations.mn(for: site)) else {
            return [from.dayNumber...through.dayNumber]
        }
        let first = DemoLoader.dayNumber(stored.first), last = DemoLoader.dayNumber(stored.last)
        var ranges: [ClosedRange<Int>] = []
        if from.dayNumber < first { ranges.append(from.dayNumber...min(first - 1, through.dayNumber)) }
        if through.dayNumber > last { ranges.append(max(last + 1, from.dayNumber)...through.dayNumber) }
        return ranges
    }

    static func dayNumber(_ date: Date) -> Int {
        let seconds = Int(date.timeIntervalSince1970) + LocalTime.offset
        return seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    }

    /// A random access password for the demo data loggers (they are registered like real ones).
    static func password() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in String(Int.random(in: 0..<16, using: &generator), radix: 16) }.joined()
    }
}
