import Foundation

/// Times in usage records: ISO 8601 in UTC, to the second (`2026-12-08T02:40:17Z`).
enum UTCTimestamp {
    static func format(unixSeconds: UInt64) -> String {
        Date(timeIntervalSince1970: TimeInterval(unixSeconds)).formatted(.iso8601)
    }
}
