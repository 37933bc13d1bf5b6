import Foundation
import PackagePlugin

/// Compiles the XDP program (`ebpf/turnpike.bpf.c`) for every build of a target that uses this
/// plugin and embeds the object as Swift source, so the built binary carries its own program.
/// Nothing it generates lands in the source tree.
@main
struct TurnpikeBPFPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let root = context.package.directoryURL
        let ebpf = root.appending(path: "ebpf")
        let abiHeaders = root.appending(path: "Sources/CTurnpikeXDP/include")
        let sources = try FileManager.default.contentsOfDirectory(at: ebpf, includingPropertiesForKeys: nil)
            .filter { ["c", "h"].contains($0.pathExtension) }
        let headers = try FileManager.default.contentsOfDirectory(at: abiHeaders, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "h" }
        let object = context.pluginWorkDirectoryURL.appending(path: "turnpike.bpf.o")
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedBPFObject+Hex.swift")
        var environment: [String: String] = [:]
        for name in ["PATH", "TURNPIKE_BPF_CLANG"] {
            if let value = ProcessInfo.processInfo.environment[name] { environment[name] = value }
        }
        return [
            .buildCommand(
                displayName: "Compiling and embedding ebpf/turnpike.bpf.c",
                executable: try context.tool(named: "TurnpikeBPFEmbed").url,
                arguments: [
                    ebpf.appending(path: "turnpike.bpf.c").path,
                    abiHeaders.path,
                    object.path,
                    output.path,
                ],
                environment: environment,
                inputFiles: sources + headers,
                outputFiles: [output]
            ),
        ]
    }
}
