import NIOCore
import STUNWire

/// Splits a TCP/TLS connection's bytes into STUN messages and ChannelData (RFC 8656 §3.1,
/// §12.5) with `StreamDeframer`. Complete frames are slices of the bytes read (no copy); the
/// bytes of an incomplete frame are kept in a buffer of their own, sized to them (never the
/// whole read buffer), and charged to the server-wide `PartialFrameBudget`. A connection whose
/// incomplete frame the budget refuses is closed, and so is one whose bytes cannot be framed
/// (§3.1 gives no way to resynchronise a stream); both are counted.
final class StreamFramingHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = StreamFrame

    private let deframer: StreamDeframer
    private let budget: PartialFrameBudget
    private let statistics: StreamStatistics
    /// The incomplete frame's bytes, in storage no delivered frame shares.
    private var pending: ByteBuffer?
    /// What `pending` is charged at: its capacity, the memory it pins.
    private var charged = 0
    /// Closed, or being closed: nothing more is read or charged.
    private var done = false

    init(budget: PartialFrameBudget, statistics: StreamStatistics, deframer: StreamDeframer = StreamDeframer()) {
        self.budget = budget
        self.statistics = statistics
        self.deframer = deframer
    }

    /// Bytes this connection holds towards the budget.
    var heldBytes: Int { charged }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !done else { return }
        var incoming = unwrapInboundIn(data)
        var buffer: ByteBuffer
        // The held bytes are ours alone (nothing was sliced from them), so appending to them
        // grows one buffer instead of copying it for every read.
        var appended = false
        if var held = pending {
            pending = nil
            held.writeBuffer(&incoming)
            buffer = held
            appended = true
        } else {
            buffer = incoming
        }
        var delivered = false
        do {
            while !done, let frame = try deframer.nextFrame(&buffer) {
                delivered = true
                context.fireChannelRead(wrapInboundOut(frame))
            }
        } catch {
            end(context, .unframeable)
            return
        }
        guard !done else { return }
        keep(remainderOf: buffer, reusable: appended && !delivered, context: context)
    }

    /// Holds what is left of `buffer` (the start of the next frame), or nothing.
    private func keep(remainderOf buffer: ByteBuffer, reusable: Bool, context: ChannelHandlerContext) {
        var remainder = buffer
        guard remainder.readableBytes > 0 else {
            release()
            return
        }
        if !reusable {
            // A slice of a read buffer (or of frames just delivered) would pin all of it.
            var compact = context.channel.allocator.buffer(capacity: remainder.readableBytes)
            compact.writeBuffer(&remainder)
            remainder = compact
        }
        guard budget.resize(from: charged, to: remainder.capacity) else {
            end(context, .partialFrameBudget)
            return
        }
        charged = remainder.capacity
        pending = remainder
    }

    private func release() {
        _ = budget.resize(from: charged, to: 0)
        charged = 0
        pending = nil
    }

    private func end(_ context: ChannelHandlerContext, _ reason: StreamCloseReason) {
        guard !done else { return }
        done = true
        release()
        statistics.count(reason)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        done = true
        release()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        done = true
        release()
    }
}
