/// Recursive-descent parser over `FilterToken`s; see `FilterLanguage` for the grammar.
struct FilterParser {
    private let tokens: [FilterToken]
    private var index = 0
    /// Open parentheses and `not`s around the current position; bounded so that no input can exhaust the stack.
    private var depth = 0
    static let maximumDepth = 100
    static let maximumTokens = 10_000

    init(tokens: [FilterToken]) {
        self.tokens = tokens
    }

    mutating func parseAll() throws -> FilterExpression {
        if case .end = current.kind { throw FilterError("the filter is empty", position: 0) }
        if tokens.count > FilterParser.maximumTokens {
            throw FilterError("the filter is too long (more than \(FilterParser.maximumTokens) tokens)", position: 0)
        }
        let expression = try parseDisjunction()
        guard case .end = current.kind else {
            throw FilterError("unexpected \(current.display); expected 'and', 'or' or the end", position: current.position)
        }
        return expression
    }

    private var current: FilterToken { tokens[index] }

    private mutating func advance() { if index < tokens.count - 1 { index += 1 } }

    private func isKeyword(_ word: String) -> Bool {
        if case .keyword(let found) = current.kind { return found == word }
        return false
    }

    private func isSymbol(_ symbol: String) -> Bool {
        if case .symbol(let found) = current.kind { return found == symbol }
        return false
    }

    private mutating func expectSymbol(_ symbol: String, after context: String) throws {
        guard isSymbol(symbol) else {
            throw FilterError("expected '\(symbol)' \(context), found \(current.display)", position: current.position)
        }
        advance()
    }

    private mutating func parseDisjunction() throws -> FilterExpression {
        var left = try parseConjunction()
        while isKeyword("or") {
            advance()
            left = .or(left, try parseConjunction())
        }
        return left
    }

    private mutating func parseConjunction() throws -> FilterExpression {
        var left = try parseNegation()
        while isKeyword("and") {
            advance()
            left = .and(left, try parseNegation())
        }
        return left
    }

    private mutating func parseNegation() throws -> FilterExpression {
        if isKeyword("not") {
            try enterNesting()
            defer { depth -= 1 }
            advance()
            return .not(try parseNegation())
        }
        return try parsePrimary()
    }

    private mutating func enterNesting() throws {
        depth += 1
        if depth > FilterParser.maximumDepth {
            throw FilterError(
                "the filter nests more than \(FilterParser.maximumDepth) levels of parentheses or 'not'",
                position: current.position)
        }
    }

    private mutating func parsePrimary() throws -> FilterExpression {
        if isSymbol("(") {
            try enterNesting()
            defer { depth -= 1 }
            let open = current.position
            advance()
            let inner = try parseDisjunction()
            guard isSymbol(")") else {
                throw FilterError(
                    "missing ')' to close the '(' at character \(open + 1); found \(current.display)",
                    position: current.position)
            }
            advance()
            return inner
        }
        return try parsePredicate()
    }

    private mutating func parsePredicate() throws -> FilterExpression {
        guard case .identifier(let field) = current.kind else {
            throw FilterError("expected a field name, found \(current.display)", position: current.position)
        }
        advance()
        if isKeyword("is") {
            advance()
            var negated = false
            if isKeyword("not") {
                negated = true
                advance()
            }
            guard isKeyword("null") else {
                throw FilterError("expected 'null' after 'is', found \(current.display)", position: current.position)
            }
            advance()
            return .isNull(field: field, negated: negated)
        }
        var negated = false
        if isKeyword("not") {
            negated = true
            advance()
            guard isKeyword("in") || isKeyword("like") else {
                throw FilterError(
                    "expected 'in' or 'like' after '\(field) not', found \(current.display)", position: current.position)
            }
        }
        if isKeyword("in") {
            advance()
            try expectSymbol("(", after: "after 'in'")
            var values = [try parseLiteral()]
            while isSymbol(",") {
                advance()
                values.append(try parseLiteral())
            }
            try expectSymbol(")", after: "to close the 'in' list")
            return .membership(field: field, values: values, negated: negated)
        }
        if isKeyword("like") {
            advance()
            guard case .string(let pattern) = current.kind else {
                throw FilterError("expected a quoted pattern after 'like', found \(current.display)", position: current.position)
            }
            advance()
            return .like(field: field, pattern: pattern, negated: negated)
        }
        let comparison = try parseComparison(field: field)
        let value = try parseLiteral()
        if value == .null {
            switch comparison {
            case .equal: return .isNull(field: field, negated: false)
            case .notEqual: return .isNull(field: field, negated: true)
            default:
                throw FilterError("'\(comparison.sql) null' is never true; use 'is null' or 'is not null'")
            }
        }
        return .comparison(field: field, comparison, value)
    }

    private mutating func parseComparison(field: String) throws -> FilterComparison {
        guard case .symbol(let symbol) = current.kind else {
            throw FilterError(
                "expected an operator (= != < <= > >= in like is) after '\(field)', found \(current.display)",
                position: current.position)
        }
        let comparison: FilterComparison
        switch symbol {
        case "=", "==": comparison = .equal
        case "!=", "<>": comparison = .notEqual
        case "<": comparison = .less
        case "<=": comparison = .lessOrEqual
        case ">": comparison = .greater
        case ">=": comparison = .greaterOrEqual
        default:
            throw FilterError(
                "expected an operator (= != < <= > >= in like is) after '\(field)', found \(current.display)",
                position: current.position)
        }
        advance()
        return comparison
    }

    private mutating func parseLiteral() throws -> FilterValue {
        let token = current
        switch token.kind {
        case .number(let value):
            advance()
            return value
        case .string(let text):
            advance()
            return .text(text)
        case .keyword("null"):
            advance()
            return .null
        case .keyword("true"):
            advance()
            return .integer(1)
        case .keyword("false"):
            advance()
            return .integer(0)
        case .identifier(let name):
            throw FilterError(
                "expected a value, found the bare word '\(name)'; quote text values: '\(name)'", position: token.position)
        default:
            throw FilterError("expected a value (number, 'text', null, true, false), found \(token.display)", position: token.position)
        }
    }
}
