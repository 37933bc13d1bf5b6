import Foundation

/// Splits an HTTP/1.1 response read to the end into status and body (Content-Length or
/// chunked, as the server chose).
enum HTTPReplyParser {
    static func parse(_ data: Data) throws(AdminClientError) -> AdminClient.Reply {
        let bytes = [UInt8](data)
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let end = firstIndex(of: separator, in: bytes, from: 0) else {
            throw .failed("the admin socket closed without a complete HTTP answer")
        }
        let head = String(decoding: bytes[..<end], as: UTF8.self).split(separator: "\r\n")
        let statusParts = head.first?.split(separator: " ") ?? []
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw .failed("malformed HTTP status line from the admin socket") }
        var chunked = false
        for line in head.dropFirst() {
            let lower = line.lowercased()
            if lower.hasPrefix("transfer-encoding:") && lower.contains("chunked") { chunked = true }
        }
        let body = Array(bytes[(end + separator.count)...])
        return AdminClient.Reply(status: status, body: Data(chunked ? dechunk(body) : body))
    }

    private static func dechunk(_ body: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        var index = 0
        while let lineEnd = firstIndex(of: [13, 10], in: body, from: index) {
            let sizeText = String(decoding: body[index..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size > 0 else { break }
            let start = lineEnd + 2
            guard start + size <= body.count else { break }
            output += body[start..<(start + size)]
            index = start + size + 2
        }
        return output
    }

    private static func firstIndex(of pattern: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard bytes.count >= pattern.count, start <= bytes.count - pattern.count else { return nil }
        for index in start...(bytes.count - pattern.count) where bytes[index..<(index + pattern.count)].elementsEqual(pattern) {
            return index
        }
        return nil
    }
}
