import Canon
import Dispatch
import Foundation

/// A one-line progress display on standard error for scans that take more than a second: files loaded of
/// the total and the rate, then that the rules are running. It is drawn only on a terminal, redrawn at most
/// ten times a second from a timer, and erased when the scan ends, so output that is piped or captured never
/// holds it.
final class ProgressDisplay: Sendable {
    private struct State {
        var done = 0
        var total = 0
        var drawn = false
        var finished = false
    }

    private let console: Console
    private let started = DispatchTime.now()
    private let state = Locked(State())

    /// Starts a display on `console`, first drawn after `delay` seconds.
    init(console: Console, delay: Double = 1) {
        self.console = console
        DispatchQueue.global(qos: .utility).asyncAfter(deadline: .now() + delay) { [weak self] in self?.tick() }
    }

    /// Records that `done` files of `total` are loaded; called from the scan's worker threads.
    func update(done: Int, total: Int) {
        state.withLock {
            $0.done = max($0.done, done)
            $0.total = total
        }
    }

    /// Stops drawing and erases the line if it was drawn.
    func finish() {
        state.withLock { state in
            state.finished = true
            if state.drawn { console.status("\r\u{1B}[K") }
        }
    }

    private func tick() {
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        // Drawn under the lock, so that `finish` never erases before a line that is still being written.
        let going = state.withLock { state -> Bool in
            guard !state.finished else { return false }
            state.drawn = true
            console.status("\r\u{1B}[K" + Self.line(done: state.done, total: state.total, seconds: seconds))
            return true
        }
        if going {
            DispatchQueue.global(qos: .utility).asyncAfter(deadline: .now() + 0.1) { [weak self] in self?.tick() }
        }
    }

    /// The text of the line after `seconds`.
    static func line(done: Int, total: Int, seconds: Double) -> String {
        if total > 0 && done >= total { return "canon: \(total) files loaded; running the rules…" }
        let rate = seconds > 0 ? Int(Double(done) / seconds) : 0
        return "canon: \(done)/\(total) files (\(rate) files/s)"
    }
}
