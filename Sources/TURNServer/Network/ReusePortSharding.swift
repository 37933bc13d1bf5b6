import NIOCore
import STUNWire

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Which of the N SO_REUSEPORT sockets on one address gets a packet: by the client's IP address
/// alone, not the kernel's default hash of address and port. Every transport address of one
/// client host therefore reaches the same event loop and so the same core, which RFC 8656 needs
/// for state a client shares between its 5-tuples: a RESERVATION-TOKEN issued to one
/// allocation is redeemed by an Allocate from another port (§7.2, EVEN-PORT with R), and
/// coturn's test client does exactly that.
///
/// A classic BPF program (SO_ATTACH_REUSEPORT_CBPF, Linux 4.5+) returns the socket index:
/// XOR-fold the source address to 32 then 16 bits, modulo N. Sockets are indexed in the order
/// they joined the group, which is the workers' order.
enum ReusePortSharding {
    /// `<asm-generic/socket.h>`.
    static let attachReusePortCBPF: Int32 = 51
    /// `<linux/filter.h>`: SKF_NET_OFF, loads relative to the network header.
    static let networkOffset: UInt32 = 0xFFF0_0000
    static let ipv4SourceOffset: UInt32 = 12
    static let ipv6SourceOffset: UInt32 = 8
    static let ipv6AddressWords: UInt32 = 4

    /// `struct sock_filter`.
    struct Instruction {
        var code: UInt16
        var jumpTrue: UInt8 = 0
        var jumpFalse: UInt8 = 0
        var k: UInt32

        static let loadWordAbsolute: UInt16 = 0x20  // BPF_LD | BPF_W | BPF_ABS
        static let copyAToX: UInt16 = 0x07  // BPF_MISC | BPF_TAX
        static let shiftRightK: UInt16 = 0x74  // BPF_ALU | BPF_RSH | BPF_K
        static let xorX: UInt16 = 0xAC  // BPF_ALU | BPF_XOR | BPF_X
        static let moduloK: UInt16 = 0x94  // BPF_ALU | BPF_MOD | BPF_K
        static let returnA: UInt16 = 0x16  // BPF_RET | BPF_A
    }

    /// `struct sock_fprog`; the pointer stays valid until the option is set.
    struct Program: @unchecked Sendable {
        var length: UInt16
        var filter: UnsafeMutablePointer<Instruction>
    }

    static func instructions(family: AddressFamily, sockets: Int) -> [Instruction] {
        var program: [Instruction] = []
        switch family {
        case .ipv4:
            program.append(Instruction(code: Instruction.loadWordAbsolute, k: networkOffset + ipv4SourceOffset))
        case .ipv6:
            for word in 0..<ipv6AddressWords {
                program.append(Instruction(code: Instruction.loadWordAbsolute, k: networkOffset + ipv6SourceOffset + 4 * word))
                if word > 0 { program.append(Instruction(code: Instruction.xorX, k: 0)) }
                program.append(Instruction(code: Instruction.copyAToX, k: 0))
            }
        }
        if family == .ipv4 { program.append(Instruction(code: Instruction.copyAToX, k: 0)) }
        program.append(Instruction(code: Instruction.shiftRightK, k: 16))
        program.append(Instruction(code: Instruction.xorX, k: 0))
        program.append(Instruction(code: Instruction.moduloK, k: UInt32(max(1, sockets))))
        program.append(Instruction(code: Instruction.returnA, k: 0))
        return program
    }

    /// The index `instructions` computes for a client address, for tests and logs.
    static func socketIndex(for address: IPAddress, sockets: Int) -> Int {
        let folded: UInt32 = switch address {
        case .v4(let v4): v4.rawValue
        case .v6(let v6): UInt32(truncatingIfNeeded: v6.rawValue >> 96) ^ UInt32(truncatingIfNeeded: v6.rawValue >> 64)
            ^ UInt32(truncatingIfNeeded: v6.rawValue >> 32) ^ UInt32(truncatingIfNeeded: v6.rawValue)
        }
        return Int(((folded >> 16) ^ folded) % UInt32(max(1, sockets)))
    }

    /// Attaches the program to the group `channel` belongs to. Fails (and the kernel's default
    /// hash stays) where the kernel refuses it.
    static func attach(to channel: any Channel, family: AddressFamily, sockets: Int) -> EventLoopFuture<Void> {
        guard let provider = channel as? any SocketOptionProvider else {
            return channel.eventLoop.makeFailedFuture(ChannelError.operationUnsupported)
        }
        let code = instructions(family: family, sockets: sockets)
        let filter = UnsafeMutablePointer<Instruction>.allocate(capacity: code.count)
        filter.initialize(from: code, count: code.count)
        let program = Program(length: UInt16(code.count), filter: filter)
        return provider.unsafeSetSocketOption(
            level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(attachReusePortCBPF), value: program
        ).always { _ in
            program.filter.deinitialize(count: Int(program.length))
            program.filter.deallocate()
        }
    }
}
