import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Why the admin API could not be reached; each has a one-line message for the operator.
enum AdminClientError: Error, CustomStringConvertible {
    case notRunning(String)
    case notPermitted(String)
    case failed(String)

    var description: String {
        switch self {
        case .notRunning(let path):
            "the server is not running (nothing listens on the admin socket \(path))"
        case .notPermitted(let path):
            "permission denied on the admin socket \(path) (run as the server's user, or give --socket)"
        case .failed(let reason):
            reason
        }
    }
}

/// A minimal HTTP/1.1 client over the admin API's Unix socket: one request per connection
/// (`Connection: close`), the response read to the end. Plain sockets, so that a missing or
/// refused socket is reported by its errno.
struct AdminClient {
    static let timeoutSeconds = 30

    let socketPath: String

    struct Reply {
        var status: Int
        var body: Data
    }

    func send(_ method: String, _ target: String) throws(AdminClientError) -> Reply {
        let descriptor = try connectSocket()
        defer { close(descriptor) }
        let request = "\(method) \(target) HTTP/1.1\r\nHost: turnpike\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
        let bytes = Array(request.utf8)
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { throw .failed("writing to the admin socket failed: \(String(cString: strerror(errno)))") }
            written += count
        }
        var response = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { break }
            guard count > 0 else { throw .failed("reading from the admin socket failed: \(String(cString: strerror(errno)))") }
            response.append(contentsOf: buffer[..<count])
        }
        return try HTTPReplyParser.parse(response)
    }

    /// Decodes a JSON reply, or turns an error reply into its one-line message.
    func json<Value: Decodable>(_ type: Value.Type, _ method: String, _ target: String) throws(AdminClientError) -> (Value, Data) {
        let reply = try send(method, target)
        let decoder = JSONDecoder()
        guard (200..<300).contains(reply.status) else {
            if let error = try? decoder.decode(ErrorBody.self, from: reply.body) { throw .failed(error.error) }
            if let value = try? decoder.decode(Value.self, from: reply.body) { return (value, reply.body) }
            throw .failed("the admin API answered HTTP \(reply.status)")
        }
        do {
            return (try decoder.decode(Value.self, from: reply.body), reply.body)
        } catch {
            throw .failed("unexpected answer from the admin API: \(error)")
        }
    }

    private struct ErrorBody: Decodable {
        var error: String
    }

    private func connectSocket() throws(AdminClientError) -> Int32 {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let path = Array(socketPath.utf8)
        guard path.count < MemoryLayout.size(ofValue: address.sun_path) else { throw .failed("socket path too long: \(socketPath)") }
        withUnsafeMutableBytes(of: &address.sun_path) { destination in
            for (index, byte) in path.enumerated() { destination[index] = byte }
        }
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw .failed("cannot create a socket: \(String(cString: strerror(errno)))") }
        var timeout = timeval(tv_sec: Self.timeoutSeconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let length = socklen_t(MemoryLayout<sockaddr_un>.size)
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, length) }
        }
        if result != 0 {
            let code = errno
            close(descriptor)
            switch code {
            case ENOENT, ECONNREFUSED, ENOTDIR: throw .notRunning(socketPath)
            case EACCES, EPERM: throw .notPermitted(socketPath)
            default: throw .failed("cannot connect to the admin socket \(socketPath): \(String(cString: strerror(code)))")
            }
        }
        return descriptor
    }
}
