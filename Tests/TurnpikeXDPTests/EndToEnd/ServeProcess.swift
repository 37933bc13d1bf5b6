import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `turnpike serve` run as a child process inside a network namespace (`ip netns exec` execs the
/// binary, so the child's pid is the server's), with JSON logs captured in a file. Stopped by
/// SIGTERM to that pid, and SIGKILL if it has not exited 10 s later.
final class ServeProcess {
    let process = Process()
    let logFile: URL
    let configFile: URL
    let adminSocket: String

    init(namespace: String, configuration yaml: String, adminSocket: String) throws {
        self.adminSocket = adminSocket
        let directory = FileManager.default.temporaryDirectory
        let tag = "turnpike-e2e-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        configFile = directory.appendingPathComponent(tag + ".yaml")
        logFile = directory.appendingPathComponent(tag + ".log")
        try yaml.write(to: configFile, atomically: true, encoding: .utf8)
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let log = try FileHandle(forWritingTo: logFile)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["ip", "netns", "exec", namespace, Self.binary.path, "serve", "--config", configFile.path]
        process.standardOutput = log
        process.standardError = log
        try process.run()
    }

    /// Waits up to `seconds` for a log line containing `text`; throws with the log otherwise.
    func waitForLog(_ text: String, seconds: Double = 20) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if log.contains(text) { return }
            guard process.isRunning else { break }
            usleep(50_000)
        }
        throw ShellError(message: "turnpike serve did not log \"\(text)\"; log:\n\(log)")
    }

    var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    /// The JSON log lines whose message is `message`, as string dictionaries.
    func logLines(_ message: String) -> [[String: String]] {
        log.split(separator: "\n").compactMap { line in
            guard let data = line.data(using: .utf8),
                  let object = try? JSONSerialization.jsonObject(with: data) as? [String: String],
                  object["message"] == message else { return nil }
            return object
        }
    }

    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            let deadline = Date().addingTimeInterval(10)
            while process.isRunning, Date() < deadline { usleep(50_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: configFile)
        try? FileManager.default.removeItem(at: logFile)
        try? FileManager.default.removeItem(atPath: adminSocket)
    }

    /// The built `turnpike` binary, next to the test bundle in the build directory.
    static var binary: URL {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("turnpike")
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                return candidate
            }
            directory.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../.build/debug/turnpike")
    }
}
