import Foundation
import NIOCore
import STUNWire
import Testing
import TURNClient
@testable import TURNServer

/// TCP and TLS clients that do not play along, against a real server on loopback: one that stops
/// reading while its peer floods, many connections from one source, silent and trickling
/// connections. The server's own counters (not its memory footprint) show what it held.
@Suite struct StreamHardeningTests {
    static func bindingRequest(_ id: UInt32) -> ByteBuffer {
        try! STUNMessage(type: MessageType(.binding, .request), transactionID: TransactionID(high: 9, low: id)).encode()
    }

    /// ChannelData announcing the largest payload (65,535 bytes), of which only the header and a
    /// few bytes are sent: a frame the server must hold until the rest arrives.
    static var largeFrameStart: ByteBuffer {
        ByteBuffer(bytes: [0x40, 0x00, 0xFF, 0xFF, 1, 2, 3, 4])
    }

    /// Polls `condition` until it holds or `timeout` passes (live tests only).
    func eventually(within timeout: Duration = .seconds(10), _ condition: () -> Bool) async -> Bool {
        let end = ContinuousClock.now + timeout
        while !condition() {
            guard ContinuousClock.now < end else { return false }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return true
    }

    @Test func aTCPClientThatStopsReadingWhileItsPeerFloodsCostsTheServerAtMostItsQueue() async throws {
        let queue = 64 << 10
        let live = try await LiveServer.start(LiveServer.configuration { $0.streams.outboundQueueBytes = UInt64(queue) })
        live.server.lock.withLock { live.server.streamLimits.stallTimeout = .seconds(3) }
        let client = try await live.client(.tcp)
        let peer = try await live.peer()
        do {
            let relayed = try await client.allocate()
            #expect(try await client.channelBind(0x4000, to: peer.address).type.messageClass == .successResponse)
            try await client.channel.setOption(ChannelOptions.autoRead, value: false).get()

            // The peer keeps sending. The kernel's socket buffers fill first (they grow to a few
            // MiB); then the server's queue fills and stays full, relayed data beyond it is
            // dropped, and once nothing has left the queue for the stall timeout, the server
            // closes the connection, ending the allocation with it (RFC 8656 §3.1). The client
            // never reads again, so it would not even see the close: the server's counters tell.
            let statistics = live.server.streamStatistics
            let payload = ByteBuffer(repeating: 0x66, count: 1000)
            let destination = relayed.socketAddress
            let started = ContinuousClock.now
            while statistics.closes(.outboundStalled) == 0, ContinuousClock.now - started < .seconds(30) {
                for _ in 0..<199 { peer.channel.write(AddressedEnvelope(remoteAddress: destination, data: payload), promise: nil) }
                try await peer.channel.writeAndFlush(AddressedEnvelope(remoteAddress: destination, data: payload)).get()
                try await Task.sleep(for: .milliseconds(5))
            }
            #expect(statistics.closes(.outboundStalled) == 1)
            #expect(statistics.packetsDropped >= 1000)
            // Every byte the server held for the client was within its queue, and the queue filled.
            #expect(statistics.peakQueuedBytes <= queue)
            #expect(statistics.peakQueuedBytes > queue - 2 * 1004)
            let stats = await live.server.stats()
            #expect(stats.streams.peakQueuedBytes <= queue && stats.streams.droppedPackets >= 1000)
            try await live.logs.waitFor("connection_closed", on: live.clients.next())
            #expect(statistics.queuedBytes == 0)
        } catch {
            Issue.record(error)
        }
        await client.close()
        await peer.close()
        await live.stop()
    }

    @Test func aSourceAtItsCapIsRefusedWhileOtherSourcesAllocate() async throws {
        let live = try await LiveServer.start(LiveServer.configuration { $0.streams.maxConnectionsPerSource = 3 })
        var held: [RawStreamClient] = []
        do {
            // Three connections from 127.0.0.2, each answered (so accepted and counted).
            for index in 0..<3 {
                let connection = try await RawStreamClient.connect(to: live.address(.tcp), from: "127.0.0.2", group: live.clients)
                try await connection.send(Self.bindingRequest(UInt32(index)))
                held.append(connection)
            }
            let fourth = try await RawStreamClient.connect(to: live.address(.tcp), from: "127.0.0.2", group: live.clients)
            #expect(await fourth.closedByServer(within: .seconds(10)))
            #expect(live.server.streamStatistics.closes(.sourceLimit) == 1)
            #expect(live.server.sourceConnections.count(for: ConnectionSource(IPAddress("127.0.0.2")!)) == 3)
            for connection in held { #expect(connection.channel.isActive) }

            // 127.0.0.1 is another source: it allocates over TCP.
            let client = try await live.client(.tcp)
            let relayed = try await client.allocate()
            #expect(relayed.ip == .v4(IPv4Address(127, 0, 0, 1)))
            await client.close()

            // The refusal is in /metrics, by its reason.
            let text = String(decoding: await live.server.metricsExposition(), as: UTF8.self)
            #expect(MetricsEndpointTests.value(text, #"turnpike_stream_connections_closed_total{reason="source_limit"}"#) == 1)
            #expect(MetricsEndpointTests.value(text, #"turnpike_stream_connections_closed_total{reason="connection_limit"}"#) == 0)

            // A reload that raises the cap admits the next connection from that source.
            var raised = live.server.configuration
            raised.streams.maxConnectionsPerSource = 4
            try await live.server.apply(raised)
            let admitted = try await RawStreamClient.connect(to: live.address(.tcp), from: "127.0.0.2", group: live.clients)
            held.append(admitted)
            let source = ConnectionSource(IPAddress("127.0.0.2")!)
            #expect(await eventually { live.server.sourceConnections.count(for: source) == 4 })
            #expect(live.server.streamStatistics.closes(.sourceLimit) == 1)
        } catch {
            Issue.record(error)
        }
        for connection in held { await connection.close() }
        await live.stop()
    }

    /// The idle timer counts complete frames, not bytes: a connection without an allocation that
    /// trickles a frame it never finishes is closed as idle.
    @Test func aTrickleOfBytesDoesNotKeepAConnectionAlive() async throws {
        let live = try await LiveServer.start(LiveServer.configuration { $0.streams.idleTimeout = .seconds(2) })
        do {
            let connection = try await RawStreamClient.connect(to: live.address(.tcp), from: "127.0.0.2", group: live.clients)
            try await connection.send(Self.bindingRequest(1))
            try await connection.send(Self.largeFrameStart)
            let trickle = live.clients.next().scheduleRepeatedTask(initialDelay: .zero, delay: .milliseconds(200)) { _ in
                connection.trickle(ByteBuffer(bytes: [0x55]))
            }
            #expect(await connection.closedByServer(within: .seconds(10)))
            trickle.cancel()
            #expect(live.server.streamStatistics.closes(.idle) == 1)
        } catch {
            Issue.record(error)
        }
        await live.stop()
    }

    @Test func connectionsThatDoNotGetStartedAreClosedAtTheHandshakeDeadline() async throws {
        let live = try await LiveServer.start(LiveServer.configuration(tls: try makeSelfSignedCertificate()) {
            $0.streams.handshakeTimeout = .seconds(1)
        })
        do {
            // A TLS connection that never says hello, and a TCP one that stops halfway through
            // its first request.
            let silent = try await RawStreamClient.connect(to: live.address(.tls), from: "127.0.0.2", group: live.clients)
            let halfway = try await RawStreamClient.connect(to: live.address(.tcp), from: "127.0.0.2", group: live.clients)
            var request = Self.bindingRequest(1)
            try await halfway.send(request.readSlice(length: 12)!)
            #expect(await silent.closedByServer(within: .seconds(10)))
            #expect(await halfway.closedByServer(within: .seconds(10)))
            let statistics = live.server.streamStatistics
            #expect(statistics.closes(.handshakeTimeout) == 1)
            #expect(statistics.closes(.firstMessageTimeout) == 1)

            // A real client is well within the deadline, and stays once it has started.
            let client = try await live.client(.tls)
            _ = try await client.allocate()
            #expect(client.channel.isActive)
            await client.close()
        } catch {
            Issue.record(error)
        }
        await live.stop()
    }

    /// A thousand connections from one address, each holding the start of a 64 KiB frame and
    /// trickling more of it: the per-source cap admits 64, their incomplete frames are held in
    /// the budget, and TCP and TLS clients from another address allocate as usual.
    @Test func aLegitimateClientAllocatesWhileAThousandTricklingConnectionsAreOpen() async throws {
        // The first-message deadline is not under test here: long enough not to close anyone.
        let live = try await LiveServer.start(LiveServer.configuration(tls: try makeSelfSignedCertificate()) {
            $0.streams.handshakeTimeout = .seconds(120)
        })
        var attackers: [RawStreamClient] = []
        do {
            for _ in 0..<1000 {
                let connection = try await RawStreamClient.connect(to: live.address(.tcp), from: "127.0.0.2", group: live.clients)
                connection.trickle(Self.largeFrameStart)
                attackers.append(connection)
            }
            let trickling = attackers
            let trickle = live.clients.next().scheduleRepeatedTask(initialDelay: .zero, delay: .milliseconds(100)) { _ in
                for connection in trickling where connection.channel.isActive { connection.trickle(ByteBuffer(bytes: [0x55])) }
            }
            let perSource = ServerConfiguration.Defaults.maxStreamConnectionsPerSource
            let statistics = live.server.streamStatistics
            for transport in [TURNClient.Transport.tcp, .tls] {
                let client = try await live.client(transport)
                _ = try await client.allocate()
                #expect(client.channel.isActive)
                await client.close()
            }
            trickle.cancel()
            // Accepts of the other loop may still be under way.
            #expect(await eventually { statistics.closes(.sourceLimit) == UInt64(1000 - perSource) })
            #expect(live.server.sourceConnections.count(for: ConnectionSource(IPAddress("127.0.0.2")!)) == perSource)
            // What the admitted ones hold is bounded by their allowance each.
            #expect(live.server.partialFrames.bytes <= perSource * PartialFrameBudget.allowance)
            #expect(live.server.partialFrames.bytes > 0)
        } catch {
            Issue.record(error)
        }
        for connection in attackers { await connection.close() }
        await live.stop()
    }
}
