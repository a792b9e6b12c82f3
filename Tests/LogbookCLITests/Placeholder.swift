import XCTest

final class LogbookCLITestsPlaceholder: XCTestCase {}
