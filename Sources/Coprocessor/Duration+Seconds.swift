extension Duration {
    /// The duration in seconds, as a Double (for the node's clock arithmetic on
    /// seconds-since-1970 timestamps).
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
