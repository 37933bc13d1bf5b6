import Foundation

/// Build tool for the TurnpikeBPFPlugin: compiles a BPF C source with clang (`-O2 -g -target bpf`)
/// and writes a Swift file holding the object as a hex `StaticString` (a string literal compiles
/// in no time; an array literal of tens of thousands of integers does not).
///
///     TurnpikeBPFEmbed SOURCE.bpf.c ABI_INCLUDE_DIR OBJECT.o OUTPUT.swift
///
/// clang is `$TURNPIKE_BPF_CLANG`, else the first `clang` on `PATH` (the Swift toolchain's works).

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("TurnpikeBPFEmbed: \(message)\n".utf8))
    exit(1)
}

let arguments = CommandLine.arguments
guard arguments.count == 5 else {
    fail("usage: TurnpikeBPFEmbed SOURCE ABI_INCLUDE_DIR OBJECT OUTPUT")
}
let source = URL(fileURLWithPath: arguments[1])
let abiInclude = arguments[2]
let object = URL(fileURLWithPath: arguments[3])
let output = URL(fileURLWithPath: arguments[4])
let environment = ProcessInfo.processInfo.environment

func findClang() -> String {
    if let configured = environment["TURNPIKE_BPF_CLANG"], !configured.isEmpty { return configured }
    for directory in (environment["PATH"] ?? "/usr/bin").split(separator: ":") {
        let candidate = "\(directory)/clang"
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    fail("no clang found: put one on PATH or set TURNPIKE_BPF_CLANG")
}

/// Debian's multiarch include directory (`/usr/include/x86_64-linux-gnu`), where `asm/types.h`
/// lives; `-target bpf` does not look there on its own.
func multiarchInclude() -> String? {
    var name = utsname()
    uname(&name)
    let machine = withUnsafeBytes(of: &name.machine) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
    }
    let directory = "/usr/include/\(machine)-linux-gnu"
    return FileManager.default.fileExists(atPath: directory) ? directory : nil
}

var clangArguments = [
    "-O2", "-g", "-target", "bpf", "-Wall", "-Wextra", "-Werror",
    "-I", abiInclude, "-I", source.deletingLastPathComponent().path,
]
if let multiarch = multiarchInclude() { clangArguments += ["-I", multiarch] }
clangArguments += ["-c", source.path, "-o", object.path]

let clang = Process()
clang.executableURL = URL(fileURLWithPath: findClang())
clang.arguments = clangArguments
do {
    try clang.run()
} catch {
    fail("cannot run \(clang.executableURL!.path): \(error)")
}
clang.waitUntilExit()
guard clang.terminationStatus == 0 else {
    fail("clang \(clangArguments.joined(separator: " ")) exited with \(clang.terminationStatus)")
}

guard let bytes = FileManager.default.contents(atPath: object.path), !bytes.isEmpty else {
    fail("clang wrote no object at \(object.path)")
}
let digits = Array("0123456789abcdef".utf8)
var hex = [UInt8]()
hex.reserveCapacity(bytes.count * 2)
for byte in bytes {
    hex.append(digits[Int(byte >> 4)])
    hex.append(digits[Int(byte & 0x0f)])
}
let swift = """
    // Generated at build time by TurnpikeBPFEmbed from ebpf/\(source.lastPathComponent); not committed.

    extension EmbeddedBPFObject {
        /// The ELF object (\(bytes.count) bytes) in lowercase hex.
        static let hex: StaticString = "\(String(decoding: hex, as: UTF8.self))"
    }

    """
do {
    try Data(swift.utf8).write(to: output, options: .atomic)
} catch {
    fail("cannot write \(output.path): \(error)")
}
