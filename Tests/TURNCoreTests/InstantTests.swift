import Testing
@testable import TURNCore

@Suite struct InstantTests {
    @Test func addsAndMeasures() {
        let start = Instant.seconds(10)
        let later = start + .milliseconds(1500)
        #expect(later.nanoseconds == 11_500_000_000)
        #expect(later.since(start) == .milliseconds(1500))
        #expect(start.since(later) == .zero)
        #expect(start < later)
    }

    @Test func negativeDurationsClampToZero() {
        #expect(Duration.seconds(-3).nanosecondsClamped == 0)
        #expect((Instant.seconds(1) + .seconds(-3)) == Instant.seconds(1))
    }
}
