import CTurnpikeNet
import NIOCore
import STUNWire

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The UDP datagrams one worker writes during a read batch: copied into one arena, with their
/// destinations as sockaddrs, and sent at the batch's end with one sendmmsg(2) per run of
/// datagrams for the same socket (`turnpike_send_datagrams`). A datagram the kernel refuses is
/// counted by `SendFailure` and dropped; the socket is never closed for it.
///
/// Copying costs one memcpy a datagram and saves what NIO's write path allocates per datagram
/// (an `AddressedEnvelope`, a boxed `SocketAddress`, a retained `ByteBuffer` and a write
/// promise); a ChannelData header is written in front of its payload here, so relaying to a
/// client needs no buffer of its own. Touched only on the worker's event loop.
final class DatagramSendQueue {
    /// The arena: room for a full read batch's replies and relayed datagrams.
    static let arenaBytes = 512 * 1024
    /// Datagrams queued at most before a flush is forced.
    static let capacity = 512
    /// The largest UDP payload (IPv4: 65,535 - 20 - 8); longer ones are refused here as EMSGSIZE.
    static let largestDatagram = 65_507

    private let arena: UnsafeMutableRawPointer
    private let datagrams: UnsafeMutablePointer<turnpike_datagram>
    private let roles: UnsafeMutablePointer<DatagramSocketRole>
    private var count = 0
    private var used = 0

    /// Failures by role and reason, indexed `role * reasons + reason`.
    private var failureCounts = [UInt64](repeating: 0, count: DatagramSocketRole.allCases.count * SendFailure.allCases.count)
    /// Datagrams the kernel accepted, and the sendmmsg calls that carried them.
    private(set) var sent: UInt64 = 0
    private(set) var systemCalls: UInt64 = 0

    init() {
        arena = UnsafeMutableRawPointer.allocate(byteCount: Self.arenaBytes, alignment: 16)
        datagrams = UnsafeMutablePointer<turnpike_datagram>.allocate(capacity: Self.capacity)
        roles = UnsafeMutablePointer<DatagramSocketRole>.allocate(capacity: Self.capacity)
    }

    deinit {
        arena.deallocate()
        datagrams.deallocate()
        roles.deallocate()
    }

    var isEmpty: Bool { count == 0 }

    /// Queues `payload`, behind a ChannelData header when `channel` is given (RFC 8656 §12.4:
    /// number, length, payload; unpadded over UDP, §12.5), for `destination` on `descriptor`.
    func enqueue(
        _ payload: ByteBuffer, channel: ChannelNumber? = nil, to destination: TransportAddress, on descriptor: CInt,
        role: DatagramSocketRole
    ) {
        let header = channel == nil ? 0 : ChannelData.headerLength
        let length = header + payload.readableBytes
        // Port 0 is not a destination (EINVAL); say so without a system call.
        guard destination.port != 0 else { return countFailure(.invalidDestination, role) }
        guard length <= Self.largestDatagram else { return countFailure(.messageTooLarge, role) }
        if count == Self.capacity || used + length > Self.arenaBytes { flush() }

        let start = arena + used
        if let channel {
            start.storeBytes(of: channel.rawValue.bigEndian, as: UInt16.self)
            (start + 2).storeBytes(of: UInt16(payload.readableBytes).bigEndian, as: UInt16.self)
        }
        payload.withUnsafeReadableBytes { bytes in
            if let base = bytes.baseAddress { (start + header).copyMemory(from: base, byteCount: bytes.count) }
        }
        let slot = datagrams + count
        slot.pointee.data = UnsafeRawPointer(start)
        slot.pointee.length = UInt32(length)
        slot.pointee.fd = descriptor
        slot.pointee.error = 0
        switch destination.ip {
        case .v4(let ip):
            turnpike_datagram_set_ipv4(slot, ip.rawValue, destination.port)
        case .v6(let ip):
            withUnsafeBytes(of: ip.rawValue.bigEndian) { bytes in
                turnpike_datagram_set_ipv6(slot, bytes.baseAddress!.assumingMemoryBound(to: UInt8.self), destination.port)
            }
        }
        roles[count] = role
        count += 1
        // Keep every datagram's start 8-byte aligned for the header stores above.
        used += (length + 7) & ~7
    }

    /// Sends everything queued; counts what the kernel refused.
    func flush() {
        guard count > 0 else { return }
        systemCalls &+= UInt64(turnpike_send_datagrams(datagrams, UInt32(count)))
        for index in 0..<count {
            let error = datagrams[index].error
            if error == 0 {
                sent &+= 1
            } else {
                countFailure(SendFailure(errno: error), roles[index])
            }
        }
        count = 0
        used = 0
    }

    /// The socket `descriptor` was closed: its queued datagrams are dropped (counted as
    /// `.other`), never sent through a descriptor number the kernel may have reused.
    func discard(descriptor: CInt) {
        var kept = 0
        for index in 0..<count {
            if datagrams[index].fd == descriptor {
                countFailure(.other, roles[index])
            } else {
                if kept != index {
                    datagrams[kept] = datagrams[index]
                    roles[kept] = roles[index]
                }
                kept += 1
            }
        }
        count = kept
    }

    /// A datagram for a socket that is closed right now.
    func countClosed(_ role: DatagramSocketRole) {
        countFailure(.socketClosed, role)
    }

    private func countFailure(_ reason: SendFailure, _ role: DatagramSocketRole) {
        failureCounts[Self.index(role, reason)] &+= 1
    }

    /// Failures so far, non-zero entries only.
    var failures: [SendFailureKey: UInt64] {
        var result: [SendFailureKey: UInt64] = [:]
        for role in DatagramSocketRole.allCases {
            for reason in SendFailure.allCases where failureCounts[Self.index(role, reason)] > 0 {
                result[SendFailureKey(role: role, reason: reason)] = failureCounts[Self.index(role, reason)]
            }
        }
        return result
    }

    private static func index(_ role: DatagramSocketRole, _ reason: SendFailure) -> Int {
        let roleIndex = role == .listener ? 0 : 1
        return roleIndex * SendFailure.allCases.count + SendFailure.allCases.firstIndex(of: reason)!
    }
}
