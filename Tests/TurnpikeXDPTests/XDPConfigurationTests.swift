import Testing
import TurnpikeXDP

/// Configuration errors surface before anything is loaded, so no privilege is needed.
@Suite struct XDPConfigurationTests {
    @Test func tooManyListeningPortsIsRejectedBeforeLoading() {
        let ports = (1...UInt16(XDPConfiguration.maximumListeningPorts + 1)).map { 3478 + $0 }
        #expect(throws: XDPError(.invalidConfiguration)) {
            try XDPProgram(configuration: XDPConfiguration(listeningPorts: ports, relayPorts: nil))
        }
    }
}
