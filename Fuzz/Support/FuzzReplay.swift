import Foundation

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
