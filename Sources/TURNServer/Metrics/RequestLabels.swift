import STUNWire

/// Bounded label values for requests: the methods a TURN server answers, anything else
/// "other"; the result is "success" or the error code the server chose (a fixed set).
enum RequestLabels {
    static func method(_ method: Method) -> String {
        switch method {
        case .binding: "binding"
        case .allocate: "allocate"
        case .refresh: "refresh"
        case .createPermission: "create_permission"
        case .channelBind: "channel_bind"
        default: "other"
        }
    }

    static func result(_ errorCode: UInt16?) -> String {
        guard let errorCode else { return "success" }
        return String(errorCode)
    }
}
