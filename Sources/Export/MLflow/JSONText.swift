import Report

/// JSON text of plain values — strings, integers, doubles, booleans, arrays, string-keyed dictionaries — with
/// doubles in Swift's shortest round-trip form (`0.1`, `1e-05`), so that every value reaches MLflow bit-exact
/// (Foundation's `JSONSerialization` on Linux rounds some doubles to fewer digits). Dictionary keys are sorted.
/// Non-finite doubles have no JSON form; callers leave them out first (this writes `null`).
enum JSONText {
    static func encode(_ value: Any) -> String {
        var text = ""
        append(value, to: &text)
        return text
    }

    static func append(_ value: Any, to text: inout String) {
        switch value {
        case let string as String: quote(string, to: &text)
        case let flag as Bool: text += flag ? "true" : "false"
        case let number as Int: text += String(number)
        case let number as Int64: text += String(number)
        case let number as Double: text += number.isFinite ? "\(number)" : "null"
        case let array as [Any]:
            text += "["
            for (index, element) in array.enumerated() {
                if index > 0 { text += "," }
                append(element, to: &text)
            }
            text += "]"
        case let dictionary as [String: Any]:
            text += "{"
            for (index, key) in dictionary.keys.sorted().enumerated() {
                if index > 0 { text += "," }
                quote(key, to: &text)
                text += ":"
                append(dictionary[key]!, to: &text)
            }
            text += "}"
        default: text += "null"
        }
    }

    /// A JSON string, as every JSON writer here spells it (`JSONWriter.quote`).
    static func quote(_ string: String, to text: inout String) {
        text += JSONWriter.quote(string)
    }
}
