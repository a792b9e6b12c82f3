/// A lexical token of the filter language, with its character offset.
struct FilterToken: Equatable, Sendable {
    enum Kind: Equatable, Sendable {
        case identifier(String)
        case keyword(String)  // lowercased: and, or, not, in, is, null, like, true, false
        case number(FilterValue)
        case string(String)
        case symbol(String)  // ( ) , = == != <> < <= > >=
        case end
    }

    var kind: Kind
    var position: Int

    /// How the token reads in an error message.
    var display: String {
        switch kind {
        case .identifier(let name): return "'\(name)'"
        case .keyword(let word): return "'\(word)'"
        case .number(let value): return "'\(value)'"
        case .string(let text): return FilterValue.text(text).description
        case .symbol(let symbol): return "'\(symbol)'"
        case .end: return "the end of the filter"
        }
    }
}

/// Splits filter text into tokens.
enum FilterTokenizer {
    static let keywords: Set<String> = ["and", "or", "not", "in", "is", "null", "like", "true", "false"]

    static func tokenize(_ text: String) throws -> [FilterToken] {
        let characters = Array(text)
        var tokens: [FilterToken] = []
        var index = 0
        while index < characters.count {
            let character = characters[index]
            let start = index
            if character.isWhitespace {
                index += 1
            } else if character == "'" || character == "\"" {
                tokens.append(FilterToken(kind: .string(try readString(characters, &index)), position: start))
            } else if startsNumber(characters, at: index) {
                tokens.append(FilterToken(kind: .number(try readNumber(characters, &index)), position: start))
            } else if character.isASCII && (character.isLetter || character == "_") {
                while index < characters.count,
                    characters[index].isASCII && (characters[index].isLetter || characters[index].isNumber)
                        || characters[index] == "_"
                {
                    index += 1
                }
                let word = String(characters[start..<index])
                let lowered = word.lowercased()
                tokens.append(
                    FilterToken(kind: keywords.contains(lowered) ? .keyword(lowered) : .identifier(word), position: start))
            } else {
                tokens.append(FilterToken(kind: .symbol(try readSymbol(characters, &index)), position: start))
            }
        }
        tokens.append(FilterToken(kind: .end, position: characters.count))
        return tokens
    }

    /// A digit, `.digit`, or a sign followed by either.
    private static func startsNumber(_ characters: [Character], at index: Int) -> Bool {
        func isDigit(_ i: Int) -> Bool { i < characters.count && characters[i].isASCII && characters[i].isNumber }
        var index = index
        if characters[index] == "-" || characters[index] == "+" { index += 1 }
        if index < characters.count && characters[index] == "." { index += 1 }
        return isDigit(index)
    }

    private static func readString(_ characters: [Character], _ index: inout Int) throws -> String {
        let quote = characters[index]
        let start = index
        index += 1
        var value = ""
        while index < characters.count {
            if characters[index] == quote {
                if index + 1 < characters.count && characters[index + 1] == quote {
                    value.append(quote)
                    index += 2
                    continue
                }
                index += 1
                return value
            }
            value.append(characters[index])
            index += 1
        }
        throw FilterError("unterminated string starting with \(quote)\(value)", position: start)
    }

    private static func readNumber(_ characters: [Character], _ index: inout Int) throws -> FilterValue {
        let start = index
        func isDigit(_ i: Int) -> Bool { i < characters.count && characters[i].isASCII && characters[i].isNumber }
        if characters[index] == "-" || characters[index] == "+" { index += 1 }
        var isInteger = true
        while isDigit(index) { index += 1 }
        if index < characters.count && characters[index] == "." {
            isInteger = false
            index += 1
            while isDigit(index) { index += 1 }
        }
        if index < characters.count && (characters[index] == "e" || characters[index] == "E") {
            isInteger = false
            index += 1
            if index < characters.count && (characters[index] == "-" || characters[index] == "+") { index += 1 }
            guard isDigit(index) else {
                throw FilterError("malformed number '\(String(characters[start..<index]))'", position: start)
            }
            while isDigit(index) { index += 1 }
        }
        // A number glued to letters (`64abc`) is a typo, not two tokens.
        if index < characters.count && (characters[index].isLetter || characters[index] == "_") {
            var end = index
            while end < characters.count && (characters[end].isLetter || characters[end].isNumber || characters[end] == "_") {
                end += 1
            }
            throw FilterError("malformed number '\(String(characters[start..<end]))'", position: start)
        }
        let text = String(characters[start..<index])
        if isInteger, let value = Int64(text) { return .integer(value) }
        if let value = Double(text), value.isFinite { return .real(value) }
        throw FilterError("malformed number '\(text)'", position: start)
    }

    private static func readSymbol(_ characters: [Character], _ index: inout Int) throws -> String {
        let character = characters[index]
        let next: Character? = index + 1 < characters.count ? characters[index + 1] : nil
        let pairs: Set<String> = ["==", "!=", "<>", "<=", ">="]
        if let next, pairs.contains(String([character, next])) {
            index += 2
            return String([character, next])
        }
        if "(),=<>".contains(character) {
            index += 1
            return String(character)
        }
        throw FilterError("unexpected character '\(character)'", position: index)
    }
}
