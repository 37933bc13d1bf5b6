extension Duration {
    /// Seconds with millisecond precision, for JSON.
    var seconds: Double {
        let (whole, attoseconds) = components
        return ((Double(whole) + Double(attoseconds) / 1e18) * 1000).rounded() / 1000
    }
}
