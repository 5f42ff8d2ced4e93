import Foundation

/// A static flame graph of a profile, drawn from its calling-context tree.
public struct FlameGraph: Sendable {
    /// One drawn frame: a function along one path of calls and its inclusive cycles.
    public struct Box: Sendable, Equatable {
        public let name: String
        /// 0 for the outermost frame.
        public let depth: Int
        /// Cycles of the frames to its left on the same row under the same parent path, from the
        /// left edge (in cycles).
        public let start: UInt64
        /// Its inclusive cycles (its own and those of everything it called).
        public let cycles: UInt64
    }

    /// Every frame with cycles, parents before children; siblings are ordered by name, as in
    /// folded-stack flame graphs (the x axis is not time).
    public let boxes: [Box]
    public let totalCycles: UInt64

    public init(_ profile: Profile) {
        let frames = profile.frames
        var children = [[Int]](repeating: [], count: frames.count)
        var roots: [Int] = []
        for (index, frame) in frames.enumerated() {
            if let parent = frame.parent { children[parent].append(index) } else { roots.append(index) }
        }
        // Inclusive cycles, children before parents (an explicit post-order: deep stacks do not recurse).
        var inclusive = frames.map(\.selfCycles)
        var order: [Int] = []
        var stack = roots
        while let i = stack.popLast() {
            order.append(i)
            stack.append(contentsOf: children[i])
        }
        for i in order.reversed() { if let parent = frames[i].parent { inclusive[parent] += inclusive[i] } }

        func name(_ i: Int) -> String { profile.functions[frames[i].function].name }
        func sorted(_ list: [Int]) -> [Int] { list.filter { inclusive[$0] > 0 }.sorted { name($0) < name($1) } }
        var boxes: [Box] = []
        var pending: [(frame: Int, depth: Int, start: UInt64)] = []
        var x: UInt64 = 0
        for root in sorted(roots) {
            pending.append((root, 0, x))
            x += inclusive[root]
        }
        pending.reverse()
        while let (i, depth, start) = pending.popLast() {
            boxes.append(Box(name: name(i), depth: depth, start: start, cycles: inclusive[i]))
            var childStart = start
            var next: [(Int, Int, UInt64)] = []
            for child in sorted(children[i]) {
                next.append((child, depth + 1, childStart))
                childStart += inclusive[child]
            }
            pending.append(contentsOf: next.reversed())
        }
        self.boxes = boxes
        self.totalCycles = x
    }

    /// The graph as a self-contained SVG (no scripts): the outermost frame at the bottom, each
    /// box as wide as its inclusive cycles, a tooltip with the function, its cycles and share.
    /// Boxes narrower than `minWidth` pixels are left out.
    public func svg(title: String, width: Double = 1200, rowHeight: Double = 17, minWidth: Double = 0.3) -> String {
        let total = Double(max(totalCycles, 1))
        let scale = (width - 20) / total
        let shown = boxes.filter { Double($0.cycles) * scale >= minWidth }
        let rows = (shown.map(\.depth).max() ?? 0) + 1
        let top = 40.0
        let height = top + Double(rows) * rowHeight + 20
        var out = """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" \
            viewBox="0 0 \(Int(width)) \(Int(height))" font-family="Verdana, sans-serif" font-size="12">
            <rect x="0" y="0" width="100%" height="100%" fill="#f8f8f0"/>
            <text x="\(width / 2)" y="24" text-anchor="middle" font-size="16">\(Self.escape(title))</text>

            """
        for box in shown {
            let x = 10 + Double(box.start) * scale
            let w = Double(box.cycles) * scale
            let y = top + Double(rows - 1 - box.depth) * rowHeight
            let share = String(format: "%.2f", Double(box.cycles) * 100 / total)
            out += "<g><title>\(Self.escape(box.name)) (\(box.cycles) cycles, \(share)%)</title>"
            out += "<rect x=\(Self.attr(x)) y=\(Self.attr(y)) width=\(Self.attr(w)) height=\(Self.attr(rowHeight - 1)) "
                + "fill=\"\(Self.color(box.name))\" rx=\"2\"/>"
            let fits = Int((w - 6) / 7)  // about 7 px per character at 12 px
            if fits >= 3 {
                let label = box.name.count <= fits ? box.name : String(box.name.prefix(fits - 2)) + ".."
                out += "<text x=\(Self.attr(x + 3)) y=\(Self.attr(y + rowHeight - 5))>\(Self.escape(label))</text>"
            }
            out += "</g>\n"
        }
        out += "</svg>\n"
        return out
    }

    private static func attr(_ v: Double) -> String { "\"" + String(format: "%.2f", v) + "\"" }

    private static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }

    /// A warm colour that depends only on the name (the same function has the same colour in every graph).
    private static func color(_ name: String) -> String {
        var hash: UInt32 = 2_166_136_261  // FNV-1a
        for byte in name.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        let r = 205 + Int(hash % 50), g = 80 + Int((hash >> 8) % 130), b = 40 + Int((hash >> 16) % 50)
        return "rgb(\(r),\(g),\(b))"
    }
}

extension Profile {
    /// The profile as a flame graph (`FlameGraph.svg` draws it).
    public var flameGraph: FlameGraph { FlameGraph(self) }
}
