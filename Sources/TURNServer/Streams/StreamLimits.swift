import NIOCore

/// What a new TCP or TLS connection is accepted with (`streams.*`); the server keeps the
/// current value and replaces it on reload, so a change applies to connections accepted after
/// it.
struct StreamLimits: Hashable, Sendable {
    var idleTimeout: TimeAmount
    var handshakeTimeout: TimeAmount
    var outboundQueueBytes: Int
    /// Not a setting (`StreamOutboundQueue.stallTimeout`); tests shorten it.
    var stallTimeout: TimeAmount = StreamOutboundQueue.stallTimeout

    init(idleTimeout: TimeAmount, handshakeTimeout: TimeAmount, outboundQueueBytes: Int) {
        self.idleTimeout = idleTimeout
        self.handshakeTimeout = handshakeTimeout
        self.outboundQueueBytes = outboundQueueBytes
    }

    init(_ streams: ServerConfiguration.Streams) {
        self.init(
            idleTimeout: TimeAmount(streams.idleTimeout), handshakeTimeout: TimeAmount(streams.handshakeTimeout),
            outboundQueueBytes: Int(clamping: streams.outboundQueueBytes))
    }
}
