import NIOCore

public struct MailboxTimeout: Error, CustomStringConvertible {
    public init() {}
    public var description: String { "nothing arrived within the timeout" }
}

/// What a socket received, in order, awaited with a bounded timeout (no sleeps: a caller
/// waits exactly until the item arrives). Confined to one event loop.
public final class Mailbox<Item: Sendable>: @unchecked Sendable {
    public let loop: any EventLoop
    private var items: [Item] = []
    private var waiter: EventLoopPromise<Item>?

    public init(loop: any EventLoop) {
        self.loop = loop
    }

    /// Called on `loop` by the socket's handler.
    public func put(_ item: Item) {
        loop.preconditionInEventLoop()
        if let waiter {
            self.waiter = nil
            waiter.succeed(item)
        } else {
            items.append(item)
        }
    }

    public func next(within timeout: TimeAmount = .seconds(5)) async throws -> Item {
        try await loop.flatSubmit { [self] () -> EventLoopFuture<Item> in
            if !items.isEmpty { return loop.makeSucceededFuture(items.removeFirst()) }
            let promise = loop.makePromise(of: Item.self)
            waiter = promise
            let deadline = loop.scheduleTask(in: timeout) { [self] in
                guard let current = waiter, current.futureResult === promise.futureResult else { return }
                waiter = nil
                promise.fail(MailboxTimeout())
            }
            promise.futureResult.whenComplete { _ in deadline.cancel() }
            return promise.futureResult
        }.get()
    }
}
