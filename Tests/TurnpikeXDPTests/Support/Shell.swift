import Foundation

struct ShellError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

enum Shell {
    /// Runs a command (found on PATH), feeding `input` on stdin; throws on a non-zero exit.
    @discardableResult
    static func run(_ arguments: [String], input: String? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        let stdin = Pipe()
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ShellError(message: "\(arguments.joined(separator: " ")) exited \(process.terminationStatus): \(errorText)")
        }
        return text
    }
}

extension Array where Element == UInt8 {
    var macText: String { map { String($0, radix: 16).leftPadded(2) }.joined(separator: ":") }
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
