#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What is at the admin socket's path now, compared with the socket the service bound.
enum AdminSocketFile {
    /// A file's identity: device and inode.
    struct Identity: Hashable, Sendable {
        var device: UInt64
        var inode: UInt64
    }

    enum State: Equatable {
        /// The socket this service bound.
        case ours
        /// Nothing at the path (deleted).
        case missing
        /// Another socket file that nothing listens on.
        case stale
        /// A file that is not a socket, or a socket another process listens on.
        case foreign
    }

    static func identity(_ path: String) -> Identity? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return Identity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }

    static func check(_ path: String, ours: Identity) -> State {
        var info = stat()
        guard lstat(path, &info) == 0 else { return .missing }
        if Identity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino)) == ours { return .ours }
        guard info.st_mode & S_IFMT == S_IFSOCK, !AdminSocketProbe.isListening(path) else { return .foreign }
        return .stale
    }
}
