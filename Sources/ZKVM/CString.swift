/// Reads a fixed-size C `char[N]` field (imported as a tuple) up to its NUL terminator.
func string<Tuple>(fromCharArray tuple: Tuple) -> String {
    withUnsafeBytes(of: tuple) { raw in String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self) }
}
