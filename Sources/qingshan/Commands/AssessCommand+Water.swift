import ArgumentParser
import Standards

extension AssessCommand {
    /// `qingshan assess water --csv FILE`.
    struct Water: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "water",
            abstract: "Surface water: the GB 3838-2002 class of each sample, its main pollutants and compliance.",
            discussion: """
            The CSV file has the columns site, optionally time and target_class (I to V), and one column per item, named \
            ph, do, codmn, cod, bod5, nh3n, tp, tn, cu, zn, f, se, as, hg, cd, cr6, pb, cn, phenol, petroleum, las, \
            sulfide, fecal_coliform, temperature (and for drinking-water sources sulfate, chloride, nitrate, fe, mn), or \
            by their HJ 212-2017 codes (w01001 for pH, w01009 for DO, ...). Values in the units of GB 3838 (mg/L; \
            faecal coliforms per litre), whichever name the column has. An empty cell is an item not measured.

            The class is the worst class of the 21 evaluated items (all of table 1 except water temperature, total \
            nitrogen and faecal coliforms), as the 2011 evaluation method says.
            """
        )

        @Option(name: .long, help: "The CSV file of samples.")
        var csv: String

        @Option(name: .long, help: "river, or lake (lakes and reservoirs have their own total phosphorus limits).")
        var waterType: String = "river"

        @Flag(name: .long, help: "Also judge each sample as a drinking-water source (class III plus the supplementary items of table 2).")
        var drinkingSource = false

        func run() throws {
            guard let type = WaterType(rawValue: waterType) else {
                AssessCommand.fail("qingshan assess water: \(AssessInputError.badOption("--water-type", waterType, allowed: "river, lake").message)")
                throw ExitCode(2)
            }
            let text = try AssessCommand.read(csv, command: "water")
            let report: WaterReport
            do {
                report = try WaterAssessment.run(csv: text, waterType: type, drinkingSource: drinkingSource)
            } catch {
                throw AssessCommand.reject(error, file: csv, command: "water")
            }
            try AssessCommand.write(report)
        }
    }
}
