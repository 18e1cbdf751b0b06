extension Array {
    /// Removes and returns the longest prefix whose sizes add up to at most `limit`, and that total; the first element
    /// is always taken, however large. How both ingest writers (SQLite's thread, PostgreSQL's loop) take queued
    /// submissions for one transaction, in order.
    public mutating func removeIngestBatch(limit: Int, size: (Element) -> Int) -> (batch: [Element], total: Int) {
        var end = 0
        var total = 0
        while end < count && (end == 0 || total + size(self[end]) <= limit) {
            total += size(self[end])
            end += 1
        }
        let batch = Array(self[..<end])
        removeFirst(end)
        return (batch, total)
    }
}
