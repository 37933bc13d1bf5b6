import Testing
import TurnpikeXDP
#if canImport(Glibc)
import Glibc
#endif

/// Loading the embedded object, as root: when this fails, every other root test skips, so the
/// reason (the verifier's log) is reported here.
@Suite(.enabled(if: geteuid() == 0, "loading XDP programs needs root"))
struct XDPLoadTests {
    @Test func embeddedProgramLoads() throws {
        do {
            let program = try XDPProgram(configuration: Topology.configuration)
            #expect(program.installedChannelCount == 0)
        } catch {
            Issue.record("load failed: \(error)")
        }
    }
}
