import XCTest

final class SweepTestsPlaceholder: XCTestCase {}
