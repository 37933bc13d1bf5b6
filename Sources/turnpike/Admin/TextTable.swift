/// Aligned columns for people: a header row, then rows, columns separated by two spaces;
/// numeric columns right-aligned.
struct TextTable {
    var headers: [String]
    var rows: [[String]] = []
    /// Indexes of right-aligned columns.
    var rightAligned: Set<Int> = []

    func render() -> String {
        var widths = headers.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                let padding = String(repeating: " ", count: max(0, widths[index] - cell.count))
                if rightAligned.contains(index) { return padding + cell }
                return index == cells.count - 1 ? cell : cell + padding
            }.joined(separator: "  ")
        }
        return ([line(headers)] + rows.map(line)).joined(separator: "\n")
    }
}
