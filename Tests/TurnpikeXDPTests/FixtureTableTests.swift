import Testing
import TurnpikeXDP

/// The table itself, without the kernel.
@Suite struct FixtureTableTests {
    /// The expected outputs themselves carry valid checksums: the comparison above is against
    /// packets built from scratch, not against the program's own arithmetic.
    @Test func expectedOutputsVerify() {
        for fixture in Fixtures.all {
            guard let expected = fixture.expected else { continue }
            #expect(InternetChecksum.verify(ipPacket: Array(expected.dropFirst(14))), "\(fixture.description)")
        }
    }

    @Test func everyReasonNameIsInTheRegistryAndDescriptionsAreUnique() {
        for fixture in Fixtures.all { #expect(XDPReason.named(fixture.reason) != nil, "\(fixture.description)") }
        #expect(Set(Fixtures.all.map(\.description)).count == Fixtures.all.count)
    }
}
