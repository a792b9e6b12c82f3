import XCTest

@testable import Store

final class FilterLanguageTests: XCTestCase {
    let fields = FilterFields.runSummary(parameterKeys: ["dropout", "batch_size", "warmup_steps"])

    func compile(_ text: String) throws -> CompiledFilter { try FilterLanguage.compile(text, fields: fields) }

    func assertError(_ text: String, contains fragment: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try compile(text), file: file, line: line) { error in
            let description = String(describing: error)
            XCTAssertTrue(description.contains(fragment), "'\(description)' lacks '\(fragment)'", file: file, line: line)
            XCTAssertFalse(description.contains("\n"), file: file, line: line)
        }
    }

    func testExampleFromTheIssue() throws {
        let compiled = try compile("batch_size >= 64 and initializer = 'he-uniform' and test_accuracy > 0.9")
        XCTAssertEqual(compiled.sql, "batch_size >= ? AND initializer = ? AND test_accuracy > ?")
        XCTAssertEqual(compiled.bindings, [.integer(64), .text("he-uniform"), .real(0.9)])
    }

    /// No input can exhaust the parser's stack: nesting and length are bounded, with a one-line error.
    func testDeepNestingAndHugeFiltersAreErrorsNotCrashes() throws {
        let deep = String(repeating: "(", count: 150) + "batch_size > 1" + String(repeating: ")", count: 150)
        XCTAssertThrowsError(try FilterLanguage.parse(deep)) { error in
            XCTAssertTrue("\(error)".contains("nests more than 100 levels"), "\(error)")
        }
        let huge = String(repeating: "(", count: 50_000) + "batch_size > 1" + String(repeating: ")", count: 50_000)
        XCTAssertThrowsError(try FilterLanguage.parse(huge)) { error in
            XCTAssertTrue("\(error)".contains("too long"), "\(error)")
        }
        let negations = String(repeating: "not ", count: 500) + "batch_size > 1"
        XCTAssertThrowsError(try FilterLanguage.parse(negations))
        let fine = String(repeating: "(", count: 50) + "batch_size > 1" + String(repeating: ")", count: 50)
        XCTAssertEqual(try FilterLanguage.parse(fine), try FilterLanguage.parse("batch_size > 1"))
        let long = Array(repeating: "batch_size > 1", count: 3000).joined(separator: " and ")
        XCTAssertThrowsError(try FilterLanguage.parse(long)) { error in
            XCTAssertTrue("\(error)".contains("too long"), "\(error)")
        }
    }

    func testAndBindsTighterThanOr() throws {
        XCTAssertEqual(
            try FilterLanguage.parse("a = 1 or b = 2 and c = 3"),
            .or(.comparison(field: "a", .equal, .integer(1)),
                .and(.comparison(field: "b", .equal, .integer(2)), .comparison(field: "c", .equal, .integer(3)))))
        XCTAssertEqual(
            try FilterLanguage.parse("a = 1 and b = 2 or c = 3"),
            .or(.and(.comparison(field: "a", .equal, .integer(1)), .comparison(field: "b", .equal, .integer(2))),
                .comparison(field: "c", .equal, .integer(3))))
    }

    func testNotBindsTighterThanAnd() throws {
        XCTAssertEqual(
            try FilterLanguage.parse("not a = 1 and b = 2"),
            .and(.not(.comparison(field: "a", .equal, .integer(1))), .comparison(field: "b", .equal, .integer(2))))
        XCTAssertEqual(
            try FilterLanguage.parse("NOT NOT a = 1"), .not(.not(.comparison(field: "a", .equal, .integer(1)))))
    }

    func testParenthesesOverridePrecedenceAndSurviveCompilation() throws {
        let compiled = try compile("(seed = 1 or seed = 2) and not (status = 'failed' or epochs < 3)")
        XCTAssertEqual(compiled.sql, "(seed = ? OR seed = ?) AND NOT (status = ? OR epochs < ?)")
        XCTAssertEqual(compiled.bindings, [.integer(1), .integer(2), .text("failed"), .integer(3)])
        let ungrouped = try compile("seed = 1 or seed = 2 and status = 'failed'")
        XCTAssertEqual(ungrouped.sql, "seed = ? OR seed = ? AND status = ?")
    }

    func testEveryComparisonOperator() throws {
        let compiled = try compile("seed = 1 and seed == 2 and seed != 3 and seed <> 4 and seed < 5 and seed <= 6 and seed > 7 and seed >= 8")
        XCTAssertEqual(
            compiled.sql, "seed = ? AND seed = ? AND seed != ? AND seed != ? AND seed < ? AND seed <= ? AND seed > ? AND seed >= ?")
        XCTAssertEqual(compiled.bindings, (1...8).map { .integer(Int64($0)) })
    }

    func testNumbers() throws {
        let compiled = try compile("learning_rate >= 1e-3 and momentum > -0.5 and seed = -7 and weight_decay < .25 and epochs = +3")
        XCTAssertEqual(compiled.bindings, [.real(0.001), .real(-0.5), .integer(-7), .real(0.25), .integer(3)])
        assertError("seed = 12abc", contains: "malformed number '12abc'")
        assertError("learning_rate = 1e", contains: "malformed number '1e'")
    }

    func testStringQuotingAndEscapes() throws {
        XCTAssertEqual(try compile("name = 'it''s'").bindings, [.text("it's")])
        XCTAssertEqual(try compile("name = \"say \"\"hi\"\"\"").bindings, [.text("say \"hi\"")])
        XCTAssertEqual(try compile("name = ''").bindings, [.text("")])
        XCTAssertEqual(try compile("name = 'and or not ( )'").bindings, [.text("and or not ( )")])
        assertError("name = 'open", contains: "unterminated string")
    }

    func testInAndNotIn() throws {
        let compiled = try compile("batch_size in (16, 32, 64) and initializer not in ('zeros', 'ones')")
        XCTAssertEqual(compiled.sql, "batch_size IN (?, ?, ?) AND initializer NOT IN (?, ?)")
        XCTAssertEqual(compiled.bindings, [.integer(16), .integer(32), .integer(64), .text("zeros"), .text("ones")])
        XCTAssertEqual(try compile("stop_reason in ('diverged', null)").sql, "(stop_reason IN (?) OR stop_reason IS NULL)")
        XCTAssertEqual(try compile("stop_reason not in (null)").sql, "stop_reason IS NOT NULL")
        assertError("seed in ()", contains: "expected a value")
        assertError("seed in (1, 2", contains: "expected ')' to close the 'in' list")
    }

    func testNullsAndBooleans() throws {
        XCTAssertEqual(try compile("test_accuracy is null").sql, "test_accuracy IS NULL")
        XCTAssertEqual(try compile("test_accuracy IS NOT NULL").sql, "test_accuracy IS NOT NULL")
        XCTAssertEqual(try compile("stop_reason = null").sql, "stop_reason IS NULL")
        XCTAssertEqual(try compile("stop_reason != null").sql, "stop_reason IS NOT NULL")
        XCTAssertEqual(try compile("batch_norm = true or batch_norm = false").bindings, [.integer(1), .integer(0)])
        assertError("test_accuracy > null", contains: "use 'is null'")
        assertError("test_accuracy is 3", contains: "expected 'null' after 'is'")
    }

    func testLike() throws {
        let compiled = try compile("initializer like 'he-%' and model not like '%+bn'")
        XCTAssertEqual(compiled.sql, "initializer LIKE ? AND model NOT LIKE ?")
        XCTAssertEqual(compiled.bindings, [.text("he-%"), .text("%+bn")])
        assertError("initializer like 3", contains: "expected a quoted pattern")
    }

    func testKeywordsAreCaseInsensitive() throws {
        XCTAssertEqual(try compile("seed = 1 AND seed = 2 Or NOT seed IN (3)").sql, "seed = ? AND seed = ? OR NOT (seed IN (?))")
    }

    func testParameterKeysCompileToABoundSubquery() throws {
        let compiled = try compile("dropout > 0.1 and batch_size = 32")
        XCTAssertEqual(
            compiled.sql,
            "(SELECT p.value FROM params AS p WHERE p.run_id = run_summary.run_id AND p.key = ?) > ? AND batch_size = ?")
        XCTAssertEqual(compiled.bindings, [.text("dropout"), .real(0.1), .integer(32)])
        // A key that is also a column is read from the column.
        XCTAssertFalse(fields.parameterKeys.contains("batch_size"))
    }

    func testUnknownFieldNamesTheNearestValidOne() {
        assertError("batchsize >= 64", contains: "unknown field 'batchsize'; did you mean 'batch_size'?")
        assertError("test_acuracy > 0.9", contains: "did you mean 'test_accuracy'?")
        assertError("dropuot > 0", contains: "did you mean 'dropout'?")
        assertError("zzzzzzzzzzzzzzzzzz = 1", contains: "known fields: run_id, name")
    }

    func testSyntaxErrorsAreOneLineWithAPosition() {
        assertError("", contains: "the filter is empty")
        assertError("seed = 1 and", contains: "expected a field name, found the end of the filter")
        assertError("seed 1", contains: "expected an operator")
        assertError("(seed = 1", contains: "missing ')'")
        assertError("seed = 1)", contains: "unexpected ')'")
        assertError("seed = 1 seed = 2", contains: "unexpected 'seed'")
        assertError("initializer = zeros", contains: "quote text values: 'zeros'")
        assertError("seed = 1; DROP TABLE runs", contains: "unexpected character ';' (at character 9)")
        assertError("seed not = 1", contains: "expected 'in' or 'like'")
    }

    func testInjectionAttemptsStayLiterals() throws {
        let attack = "x'; DROP TABLE runs; --"
        let compiled = try compile("name = 'x''; DROP TABLE runs; --'")
        XCTAssertEqual(compiled.sql, "name = ?")
        XCTAssertEqual(compiled.bindings, [.text(attack)])
        let union = try compile("initializer = \"' OR 1=1 UNION SELECT sql FROM sqlite_master --\"")
        XCTAssertEqual(union.sql, "initializer = ?")
        XCTAssertFalse(union.sql.contains("sqlite_master"))
        // A field name cannot smuggle SQL either: it must be on the whitelist.
        assertError("runs.id = 1", contains: "unexpected character '.'")
        XCTAssertThrowsError(try FilterFields.runSummary().reference(to: "1=1 OR name"))
    }

    func testSortKeys() throws {
        let keys = try ["-test_accuracy", "batch_size", "+seed", "-dropout"].map(SortKey.init(parsing:))
        XCTAssertEqual(keys.map(\.descending), [true, false, false, true])
        let order = try SortKey.orderBy(keys, fields: fields)
        XCTAssertEqual(
            order.sql,
            "test_accuracy DESC NULLS LAST, batch_size ASC NULLS LAST, seed ASC NULLS LAST, "
                + "(SELECT p.value FROM params AS p WHERE p.run_id = run_summary.run_id AND p.key = ?) DESC NULLS LAST")
        XCTAssertEqual(order.bindings, [.text("dropout")])
        XCTAssertThrowsError(try SortKey.orderBy([SortKey(field: "acuracy", descending: true)], fields: fields)) { error in
            XCTAssertTrue(String(describing: error).contains("unknown field 'acuracy'"))
        }
        XCTAssertThrowsError(try SortKey(parsing: "-"))
    }
}
