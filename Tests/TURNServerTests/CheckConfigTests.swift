import Foundation
import Testing
@testable import TURNServer

@Suite struct CheckConfigTests {
    @Test func validFileGivesStatusZeroAndOneLine() throws {
        let path = try writeYAML(minimalYAML)
        let report = ConfigurationCheck.run(file: path)
        #expect(report.exitStatus == 0)
        #expect(report.lines.count == 1)
        #expect(report.lines[0].hasPrefix("\(path): valid; "))
        #expect(!report.lines[0].contains("0123456789abcdef0123"))
    }

    @Test func invalidFileGivesStatusOneAndEveryError() throws {
        let path = try writeYAML(minimalYAML + "log:\n  level: loud\n  format: xml\n")
        let report = ConfigurationCheck.run(file: path)
        #expect(report.exitStatus == 1)
        #expect(report.lines.count == 2)
    }

    @Test func environmentIsAppliedOnlyWhenGiven() throws {
        let path = try writeYAML(minimalYAML)
        #expect(ConfigurationCheck.run(file: path, environment: ["TURNPIKE_LOG_LEVEL": "loud"]).exitStatus == 1)
        #expect(ConfigurationCheck.run(file: path).exitStatus == 0)
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
        return repositoryRoot.appendingPathComponent(".build/debug/turnpike")
    }

    static func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.environment = ["PATH": "/usr/bin:/bin"]
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }

    @Test func binaryExitStatus() throws {
        let good = try writeYAML(minimalYAML)
        let valid = try Self.run(["check-config", good])
        #expect(valid.status == 0)
        #expect(valid.stdout.split(separator: "\n").count == 1)

        let bad = try writeYAML(minimalYAML + "peers:\n  allow: [\"300.0.0.0/8\"]\nxdp:\n  mode: turbo\n")
        let invalid = try Self.run(["check-config", bad])
        #expect(invalid.status == 1)
        let lines = invalid.stderr.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.contains { $0.hasPrefix("peers.allow[0]") })
        #expect(lines.contains { $0.hasPrefix("xdp.mode") })
    }

    @Test func binaryChecksTheExampleFile() throws {
        let example = repositoryRoot.appendingPathComponent("deploy/turnpike.example.yaml").path
        let offHost = try Self.run(["check-config", "--skip-file-checks", example])
        #expect(offHost.status == 0, "\(offHost.stderr)")
        #expect(offHost.stdout.contains("valid; listening UDP 2, TCP 2, TLS 2"))
        // On this machine the example's certificate paths do not exist.
        let onHost = try Self.run(["check-config", example])
        #expect(onHost.status == 1)
        #expect(onHost.stderr.contains("tls.certificate"))
    }
}
