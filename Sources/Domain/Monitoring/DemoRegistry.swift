import Foundation

/// The demo site registry for Wuxi County that ships with the demo data: the rivers the plan names with the target
/// classes it gives, and stations, sources, noise points and outlets clearly marked as demo where the plan is silent.
public enum DemoRegistry {
    private struct File: Decodable {
        var sites: [Site]
    }

    /// The demo sites.
    /// - Throws: when the bundled file is missing or malformed (a packaging fault).
    public static func wuxiSites() throws -> [Site] {
        let url = (Bundle.module.resourceURL ?? Bundle.module.bundleURL).appendingPathComponent("demo/wuxi-sites.json")
        return try JSONDecoder().decode(File.self, from: Data(contentsOf: url)).sites
    }
}
