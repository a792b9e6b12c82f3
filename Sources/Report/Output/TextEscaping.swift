/// The one escaping loop of the text formats written here (JSON strings, XML in the SVG charts): each format
/// says how its special scalars are spelled, and everything else is copied unchanged.
public enum TextEscaping {
    /// `text` with every Unicode scalar for which `replacement` returns a spelling replaced by it.
    public static func escape(_ text: String, _ replacement: (Unicode.Scalar) -> String?) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if let replaced = replacement(scalar) { output += replaced } else { output.unicodeScalars.append(scalar) }
        }
        return output
    }
}
