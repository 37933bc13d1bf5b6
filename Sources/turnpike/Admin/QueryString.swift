import Foundation

/// Percent-encoding for the admin API's query strings and path segments.
enum QueryString {
    static func escape(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    static func encode(_ pairs: [(String, String)]) -> String {
        pairs.isEmpty ? "" : "?" + pairs.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&")
    }
}
