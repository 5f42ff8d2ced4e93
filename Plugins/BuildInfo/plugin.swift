import Foundation
import PackagePlugin

/// Before every build, writes the node's build info (version, git commit, build date) as a Swift
/// file into the build folder (never the source tree): `scripts/build-info.sh` does the work, so
/// that the same facts come out of a git clone, a `git archive` tarball, or a tree without git.
@main
struct BuildInfoPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let output = context.pluginWorkDirectoryURL.appending(path: "generated")
        let script = context.package.directoryURL.appending(path: "scripts/build-info.sh")
        return [.prebuildCommand(displayName: "Build info of \(target.name)",
                                 executable: URL(filePath: "/bin/sh"),
                                 arguments: [script.path(percentEncoded: false),
                                             output.appending(path: "BuildInfo+Generated.swift").path(percentEncoded: false)],
                                 outputFilesDirectory: output)]
    }
}
