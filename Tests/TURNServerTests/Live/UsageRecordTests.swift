import Foundation
import NIOCore
import STUNWire
import Testing
import TURNClient
@testable import TURNServer

/// When an allocation ends, one log line carries its usage record: user, 5-tuple, relayed
/// address, transport, start and end, duration, packets and bytes each way per datapath, and
/// the end reason; the numbers are what the test relayed.
@Suite struct UsageRecordTests {
    @Test func theDeletionLineIsAUsageRecordOfWhatWasRelayed() async throws {
        let live = try await LiveServer.start(LiveServer.configuration())
        let client = try await live.client(.udp)
        let peer = try await live.peer()
        do {
            let relayed = try await client.allocate()
            #expect(try await client.channelBind(0x4000, to: peer.address).type.messageClass == .successResponse)
            for _ in 0..<3 {
                try await client.sendChannelData(0x4000, "hello")
                _ = try await peer.received.next()
            }
            for _ in 0..<2 {
                try await peer.send("back!!!", to: relayed)
                _ = try await client.receiveData()
            }
            #expect(try await client.refresh(lifetime: 0).lifetime == 0)
            try await live.logs.waitFor("refreshed_to_zero", on: live.clients.next())
            let line = try #require(live.logs.all.first { $0.contains("allocation deleted") })
            let record = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(record["user"] as? String == LiveServer.username)
            #expect(record["relayed"] as? String == relayed.description)
            #expect(record["transport"] as? String == "udp")
            #expect(record["reason"] as? String == "refreshed_to_zero")
            #expect(record["userspace_packets_to_peer"] as? String == "3")
            #expect(record["userspace_bytes_to_peer"] as? String == "15")
            #expect(record["userspace_packets_to_client"] as? String == "2")
            #expect(record["userspace_bytes_to_client"] as? String == "14")
            #expect(record["xdp_packets_to_peer"] as? String == "0")
            #expect(record["xdp_bytes_to_client"] as? String == "0")
            for key in ["started", "ended"] {
                let text = try #require(record[key] as? String)
                #expect(text.hasSuffix("Z") && text.count == 20)
            }
            #expect(Double(record["duration_s"] as? String ?? "") != nil)
        } catch {
            Issue.record(error)
        }
        await client.close()
        await peer.close()
        await live.stop()
    }
}
