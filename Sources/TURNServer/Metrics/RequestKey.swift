/// A request counter's labels.
struct RequestKey: Hashable, Sendable {
    var method: String
    var result: String
}
