import Glibc
import NIOCore
import STUNWire
import Testing
@testable import TURNServer

/// The workers' UDP send path: every error class the kernel can return for one datagram is
/// counted and dropped, and the socket keeps sending (NIO's own write path closes the socket
/// on all but EMSGSIZE and EHOSTUNREACH; two datagrams to port 0 used to end UDP service).
@Suite struct DatagramSendQueueTests {
    /// A bound, non-blocking loopback socket that receives what the queue sends.
    struct Receiver {
        let descriptor: CInt
        let address: TransportAddress

        init(ipv6: Bool = false) throws {
            let local = TransportAddress(ip: ipv6 ? .v6(IPv6Address(rawValue: 1)) : .v4(IPv4Address(127, 0, 0, 1)), port: 0)
            let bound = try DatagramSocket.bind(local, options: .init())
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            _ = withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(bound, $0, &length) }
            }
            descriptor = bound
            // sin_port and sin6_port both sit at offset 2.
            let port = withUnsafeBytes(of: storage) { UInt16(bigEndian: $0.load(fromByteOffset: 2, as: UInt16.self)) }
            address = TransportAddress(ip: local.ip, port: port)
        }

        /// Every datagram waiting, as byte arrays (non-blocking; waits up to `attempts` ms).
        func drain(expecting count: Int, attempts: Int = 500) -> [[UInt8]] {
            var received: [[UInt8]] = []
            var buffer = [UInt8](repeating: 0, count: 70_000)
            var tries = 0
            while received.count < count, tries < attempts {
                let length = recv(descriptor, &buffer, buffer.count, Int32(MSG_DONTWAIT))
                if length >= 0 {
                    received.append(Array(buffer[0..<length]))
                } else {
                    tries += 1
                    usleep(1000)
                }
            }
            return received
        }

        func close() { Glibc.close(descriptor) }
    }

    static func payload(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

    @Test func everyRefusedDatagramIsCountedAndTheSocketKeepsSending() throws {
        let receiver = try Receiver()
        defer { receiver.close() }
        let sender = try DatagramSocket.bind(TransportAddress(ip: .v4(IPv4Address(127, 0, 0, 1)), port: 0), options: .init())
        defer { close(sender) }
        let queue = DatagramSendQueue()

        // Port 0 (refused without a system call), a family the socket does not speak, a datagram
        // larger than UDP allows: each between two good datagrams, in one batch.
        queue.enqueue(Self.payload("first"), to: receiver.address, on: sender, role: .listener)
        queue.enqueue(Self.payload("port 0"), to: TransportAddress(ip: receiver.address.ip, port: 0), on: sender, role: .listener)
        queue.enqueue(Self.payload("ipv6"), to: TransportAddress(ip: .v6(IPv6Address(rawValue: 1)), port: 9), on: sender, role: .relay)
        queue.enqueue(ByteBuffer(repeating: 0, count: DatagramSendQueue.largestDatagram + 1), to: receiver.address, on: sender, role: .relay)
        queue.enqueue(Self.payload("last"), to: receiver.address, on: sender, role: .listener)
        queue.flush()

        let received = receiver.drain(expecting: 2)
        #expect(received.map { String(decoding: $0, as: UTF8.self) } == ["first", "last"])
        #expect(queue.failures == [
            SendFailureKey(role: .listener, reason: .invalidDestination): 1,
            SendFailureKey(role: .relay, reason: .invalidDestination): 1,
            SendFailureKey(role: .relay, reason: .messageTooLarge): 1,
        ])
        #expect(queue.sent == 2)

        // The socket is still open and usable after the refusals.
        queue.enqueue(Self.payload("again"), to: receiver.address, on: sender, role: .listener)
        queue.flush()
        #expect(receiver.drain(expecting: 1).map { String(decoding: $0, as: UTF8.self) } == ["again"])
    }

    /// ChannelData towards a UDP client: header written in front of the payload, unpadded
    /// (RFC 8656 §12.4, §12.5).
    @Test func channelDataHeaderIsWrittenInFrontOfThePayload() throws {
        let receiver = try Receiver()
        defer { receiver.close() }
        let sender = try DatagramSocket.bind(TransportAddress(ip: .v4(IPv4Address(127, 0, 0, 1)), port: 0), options: .init())
        defer { close(sender) }
        let queue = DatagramSendQueue()
        queue.enqueue(Self.payload("hello"), channel: ChannelNumber(rawValue: 0x4001), to: receiver.address, on: sender, role: .listener)
        queue.flush()
        #expect(receiver.drain(expecting: 1) == [[0x40, 0x01, 0x00, 0x05] + Array("hello".utf8)])
    }

    /// Consecutive datagrams for one socket share sendmmsg calls (64 per call); a run for another
    /// socket starts a new call.
    @Test func runsForOneSocketAreBatched() throws {
        let receiver = try Receiver()
        defer { receiver.close() }
        let first = try DatagramSocket.bind(TransportAddress(ip: .v4(IPv4Address(127, 0, 0, 1)), port: 0), options: .init())
        let second = try DatagramSocket.bind(TransportAddress(ip: .v4(IPv4Address(127, 0, 0, 1)), port: 0), options: .init())
        defer {
            close(first)
            close(second)
        }
        let queue = DatagramSendQueue()
        for index in 0..<100 { queue.enqueue(Self.payload("\(index)"), to: receiver.address, on: first, role: .relay) }
        for index in 0..<10 { queue.enqueue(Self.payload("\(index)"), to: receiver.address, on: second, role: .relay) }
        queue.flush()
        #expect(queue.systemCalls == 3)
        #expect(queue.sent == 110)
        #expect(receiver.drain(expecting: 110).count == 110)
    }

    /// A socket that closes drops what is still queued for it, so nothing is ever sent through a
    /// descriptor number the kernel may have handed to another socket.
    @Test func discardDropsOnlyTheClosedSocketsDatagrams() throws {
        let receiver = try Receiver()
        defer { receiver.close() }
        let kept = try DatagramSocket.bind(TransportAddress(ip: .v4(IPv4Address(127, 0, 0, 1)), port: 0), options: .init())
        let closed = try DatagramSocket.bind(TransportAddress(ip: .v4(IPv4Address(127, 0, 0, 1)), port: 0), options: .init())
        defer { close(kept) }
        let queue = DatagramSendQueue()
        queue.enqueue(Self.payload("a"), to: receiver.address, on: closed, role: .relay)
        queue.enqueue(Self.payload("b"), to: receiver.address, on: kept, role: .relay)
        queue.enqueue(Self.payload("c"), to: receiver.address, on: closed, role: .relay)
        close(closed)
        queue.discard(descriptor: closed)
        queue.flush()
        #expect(receiver.drain(expecting: 1).map { String(decoding: $0, as: UTF8.self) } == ["b"])
        #expect(queue.failures == [SendFailureKey(role: .relay, reason: .other): 2])
    }

    /// More than the arena holds in one batch: the queue flushes early and loses nothing.
    @Test func aFullArenaFlushesEarly() throws {
        let receiver = try Receiver()
        defer { receiver.close() }
        var size = 8 * 1024 * 1024
        setsockopt(receiver.descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        let sender = try DatagramSocket.bind(TransportAddress(ip: .v4(IPv4Address(127, 0, 0, 1)), port: 0), options: .init())
        defer { close(sender) }
        let queue = DatagramSendQueue()
        let big = ByteBuffer(repeating: 7, count: 60_000)
        for _ in 0..<20 { queue.enqueue(big, to: receiver.address, on: sender, role: .relay) }
        queue.flush()
        #expect(queue.sent == 20)
        #expect(receiver.drain(expecting: 20).allSatisfy { $0.count == 60_000 })
    }

    @Test(arguments: [
        (EINVAL, SendFailure.invalidDestination), (EAFNOSUPPORT, .invalidDestination), (EPERM, .notPermitted),
        (EACCES, .notPermitted), (ENETUNREACH, .unreachable), (EHOSTUNREACH, .unreachable),
        (EADDRNOTAVAIL, .addressNotAvailable), (EMSGSIZE, .messageTooLarge), (EAGAIN, .bufferFull), (ENOBUFS, .bufferFull),
        (EIO, .other),
    ])
    func errnoClassification(_ code: Int32, _ reason: SendFailure) {
        #expect(SendFailure(errno: code) == reason)
    }
}
