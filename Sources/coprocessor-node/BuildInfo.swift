/// What this executable was built from: `GeneratedBuildInfo`, written before the build by
/// `scripts/build-info.sh` (the BuildInfo plugin). Shown by `--version`, logged at start and
/// exported as the metric `coprocessor_build_info{version,commit,built} 1`.
struct BuildInfo: Sendable, CustomStringConvertible {
    let version: String
    let commit: String
    let built: String

    static let current = BuildInfo(version: GeneratedBuildInfo.version, commit: GeneratedBuildInfo.commit,
                                   built: GeneratedBuildInfo.built)

    /// `0.1.0 (commit 5794d7e1a2b3, built 2026-12-06)`.
    var description: String { "\(version) (commit \(commit), built \(built))" }

    /// As label pairs (the metric's, the start-up log line's).
    var fields: [(String, String)] { [("version", version), ("commit", commit), ("built", built)] }
}
