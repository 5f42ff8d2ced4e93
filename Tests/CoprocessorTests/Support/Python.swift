import Foundation

/// Finds a Python interpreter that can import the given modules: `$COPROCESSOR_TEST_PYTHON`, then
/// the repository's .venv (where `make test` installs the test peers), then the system's.
enum Python {
    static func find(importing modules: String) -> String? {
        let candidates: [String?] = [
            ProcessInfo.processInfo.environment["COPROCESSOR_TEST_PYTHON"],
            Repo.root.appendingPathComponent(".venv/bin/python3").path,
            "/usr/bin/python3", "/usr/local/bin/python3",
        ]
        for candidate in candidates.compactMap({ $0 }) where FileManager.default.isExecutableFile(atPath: candidate) {
            let probe = Process()
            probe.executableURL = URL(fileURLWithPath: candidate)
            probe.arguments = ["-c", "import \(modules)"]
            probe.standardOutput = FileHandle.nullDevice
            probe.standardError = FileHandle.nullDevice
            guard (try? probe.run()) != nil else { continue }
            probe.waitUntilExit()
            if probe.terminationStatus == 0 { return candidate }
        }
        return nil
    }
}
