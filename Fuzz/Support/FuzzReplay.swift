import CFuzzEntry
import Foundation

/// How a fuzz target starts. SwiftPM links every executable with its entry point renamed to
/// `<Module>_main`; a fuzz target defines that symbol (with `@_cdecl`) and calls `run`, which
/// hands over to libFuzzer in a `-sanitize=fuzzer` build and replays files otherwise.
public enum FuzzMain {
    public static func run(
        argc: CInt, argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>,
        entry: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
    ) -> CInt {
        let status = turnpike_fuzz_run(argc, argv, entry)
        guard status == -1 else { return status }
        FuzzReplay.run { entry($0, $1) }
        return 0
    }
}

/// Runs a libFuzzer entry point over files, so corpora and crash inputs can be replayed by a
/// normal build (no `-sanitize=fuzzer`), e.g. in CI.
public enum FuzzReplay {
    public static func run(_ entry: (UnsafePointer<UInt8>, Int) -> CInt) {
        let paths = CommandLine.arguments.dropFirst().flatMap(expand)
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path) else {
                FileHandle.standardError.write(Data("cannot read \(path)\n".utf8))
                exit(2)
            }
            var bytes = [UInt8](data)
            bytes.append(0)  // a valid pointer even for an empty input
            _ = bytes.withUnsafeBufferPointer { entry($0.baseAddress!, data.count) }
        }
        print("replayed \(paths.count) inputs")
    }

    /// A directory stands for the files in it.
    private static func expand(_ path: String) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue,
              let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return [path] }
        return names.sorted().map { "\(path)/\($0)" }
    }
}
