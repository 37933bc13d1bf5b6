/// Something that counts relayed packets: asked for its cumulative totals at each scrape.
public protocol DatapathCounterSource: Sendable {
    func sample() async -> DatapathSample
}
