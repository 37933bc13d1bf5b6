#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import STUNWire

/// The host's interface addresses (getifaddrs(3)) in the calling thread's network namespace:
/// which interface owns an address, for `xdp.mode: auto` with no interfaces configured.
enum InterfaceAddresses {
    /// The names of the interfaces that own any of `addresses`, in the order of first mention.
    /// Unspecified addresses (a wildcard listener) own no interface and are skipped.
    static func interfaces(owning addresses: [IPAddress]) -> [String] {
        let table = all()
        var names: [String] = []
        for address in addresses {
            for (name, owned) in table where owned == address && !names.contains(name) {
                names.append(name)
            }
        }
        return names
    }

    /// Every (interface, address) pair of the IPv4 and IPv6 families.
    static func all() -> [(String, IPAddress)] {
        var head: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&head) == 0 else { return [] }
        defer { freeifaddrs(head) }
        var result: [(String, IPAddress)] = []
        var cursor = head
        while let entry = cursor {
            defer { cursor = entry.pointee.ifa_next }
            guard let socketAddress = entry.pointee.ifa_addr, let name = entry.pointee.ifa_name else { continue }
            switch Int32(socketAddress.pointee.sa_family) {
            case AF_INET:
                let raw = socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr.s_addr }
                result.append((String(cString: name), .v4(IPv4Address(rawValue: UInt32(bigEndian: raw)))))
            case AF_INET6:
                var raw = socketAddress.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_addr }
                let bytes = withUnsafeBytes(of: &raw) { Array($0) }
                if let address = IPv6Address(bytes: bytes[...]) { result.append((String(cString: name), .v6(address))) }
            default:
                continue
            }
        }
        return result
    }

    /// Whether `name` is a loopback interface (IFF_LOOPBACK).
    static func isLoopback(_ name: String) -> Bool {
        var head: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&head) == 0 else { return false }
        defer { freeifaddrs(head) }
        var cursor = head
        while let entry = cursor {
            defer { cursor = entry.pointee.ifa_next }
            guard let entryName = entry.pointee.ifa_name, String(cString: entryName) == name else { continue }
            return entry.pointee.ifa_flags & UInt32(IFF_LOOPBACK) != 0
        }
        return false
    }
}
