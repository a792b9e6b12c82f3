/// The rows of a CSV file as read by `CSVLoader`: features already numeric, the label column kept both as numbers
/// and (once a non-numeric label appears) as texts, so that the task can be decided after the whole file is read.
struct CSVTable {
    var columnCount = 0
    /// Header names, when the file has a generic header row.
    var columnNames: [String]?
    /// Class names from a scikit-learn style header.
    var classNames: [String] = []
    var declaredSampleCount: Int?
    var hasHeader = false
    var labelIndex = 0

    private(set) var rowCount = 0
    private(set) var features: [Float] = []
    /// The label cell as a number, NaN when it is not one.
    private(set) var labelValues: [Double] = []
    /// The label cells as texts; nil while every label so far is a number.
    private(set) var labelTexts: [String]?
    private var labelStarts: [Int] = []
    private var labelEnds: [Int] = []
    private var labelQuoted: [Bool] = []
    /// The first label that is a number but not an integer (for the error of an explicit classification).
    private(set) var firstNonIntegerLabel: (line: Int, column: Int, text: String)?

    /// Reads every remaining row of `scanner`.
    /// - Parameter labelsMustBeNumbers: true for regression: a non-numeric label is an error at once.
    mutating func readRows(_ scanner: inout CSVScanner, fileName: String, labelsMustBeNumbers: Bool) throws {
        let columnCount = self.columnCount
        let labelIndex = self.labelIndex
        while let line = try scanner.nextRow() {
            guard scanner.cellCount == columnCount else {
                throw EngineError("\(fileName): line \(line) has \(scanner.cellCount) columns, expected \(columnCount)")
            }
            for column in 0 ..< columnCount where column != labelIndex {
                guard let value = scanner.number(column) else {
                    throw Self.cellError(fileName, line, column, scanner.text(column), "not a number")
                }
                let single = Float(value)
                guard single.isFinite else {
                    throw Self.cellError(fileName, line, column, scanner.text(column), "not a finite number")
                }
                features.append(single)
            }
            try readLabel(&scanner, line: line, fileName: fileName, mustBeNumber: labelsMustBeNumbers)
            rowCount += 1
        }
    }

    private mutating func readLabel(_ scanner: inout CSVScanner, line: Int, fileName: String, mustBeNumber: Bool) throws {
        let column = labelIndex
        if let value = scanner.number(column) {
            guard Float(value).isFinite else {
                throw Self.cellError(fileName, line, column, scanner.text(column), "not a finite number")
            }
            if firstNonIntegerLabel == nil && !Self.isInteger(value) {
                firstNonIntegerLabel = (line, column, scanner.text(column))
            }
            labelValues.append(value)
        } else {
            if mustBeNumber {
                throw Self.cellError(fileName, line, column, scanner.text(column), "not a number")
            }
            if labelTexts == nil {
                // First non-numeric label: recover the texts of the rows before it.
                labelTexts = labelStarts.indices.map { row in
                    let text = String(
                        decoding: UnsafeBufferPointer(rebasing: scanner.bytes[labelStarts[row] ..< labelEnds[row]]),
                        as: UTF8.self)
                    return labelQuoted[row] ? text.replacing("\"\"", with: "\"") : text
                }
            }
            labelValues.append(.nan)
        }
        if labelTexts != nil {
            labelTexts!.append(scanner.text(column))
        } else {
            labelStarts.append(scanner.starts[column])
            labelEnds.append(scanner.ends[column])
            labelQuoted.append(scanner.quoted[column])
        }
    }

    static func isInteger(_ value: Double) -> Bool {
        value.rounded() == value && abs(value) < 2_147_483_647
    }

    static func cellError(_ fileName: String, _ line: Int, _ column: Int, _ text: String, _ problem: String)
        -> EngineError
    {
        EngineError("\(fileName): line \(line), column \(column + 1) ('\(text)'): \(problem)")
    }
}

extension CSVTable {
    /// The dataset, with the task decided as documented on `CSVLoader`.
    func dataset(name: String, fileName: String, task: LabelTask?) throws -> Dataset {
        let featureMatrix = Matrix(rows: rowCount, columns: columnCount - 1, values: features)
        var featureNames: [String] = []
        if var names = columnNames {
            names.remove(at: labelIndex)
            featureNames = names
        }
        let labelName = columnNames.map { "label column '\($0[labelIndex])'" } ?? "label column \(labelIndex)"

        if let texts = labelTexts {
            // Strings: classification by sorted class name.
            let names = Array(Set(texts)).sorted()
            guard names.count <= CSVLoader.maximumClassCount else {
                throw EngineError("\(fileName): \(labelName) has \(names.count) distinct values: too many classes")
            }
            let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, Int32($0)) })
            return Dataset(
                name: name, features: featureMatrix, labels: texts.map { index[$0]! }, classCount: names.count,
                featureNames: featureNames, classNames: names)
        }

        let integerLabels = firstNonIntegerLabel == nil
        if task == .classification, let bad = firstNonIntegerLabel {
            throw CSVTable.cellError(
                fileName, bad.line, bad.column, bad.text, "not an integer class label (use task regression for real targets)")
        }
        if task == .regression || !integerLabels {
            return regression(name: name, features: featureMatrix, featureNames: featureNames)
        }
        let minimum = labelValues.min()!
        let maximum = labelValues.max()!
        let directClassCount = Int(maximum) + 1
        if minimum >= 0 {
            if task == nil && directClassCount > CSVLoader.maximumInferredClassCount {
                return regression(name: name, features: featureMatrix, featureNames: featureNames)
            }
            guard directClassCount <= CSVLoader.maximumClassCount else {
                throw EngineError("\(fileName): \(labelName) has labels up to \(Int(maximum)): too many classes")
            }
            if !classNames.isEmpty && classNames.count < directClassCount {
                throw EngineError(
                    "\(fileName): header names \(classNames.count) classes but labels go up to \(Int(maximum))")
            }
            return Dataset(
                name: name, features: featureMatrix, labels: labelValues.map { Int32($0) },
                classCount: max(directClassCount, classNames.count), featureNames: featureNames, classNames: classNames)
        }
        // Negative integers: map the sorted distinct values to 0 ..< k.
        let distinct = Array(Set(labelValues)).sorted()
        if task == nil && distinct.count > CSVLoader.maximumInferredClassCount {
            return regression(name: name, features: featureMatrix, featureNames: featureNames)
        }
        let index = Dictionary(uniqueKeysWithValues: distinct.enumerated().map { ($1, Int32($0)) })
        return Dataset(
            name: name, features: featureMatrix, labels: labelValues.map { index[$0]! }, classCount: distinct.count,
            featureNames: featureNames, classNames: distinct.map { String(Int($0)) })
    }

    private func regression(name: String, features: Matrix, featureNames: [String]) -> Dataset {
        Dataset(
            name: name, features: features, targets: Matrix(rows: rowCount, columns: 1, values: labelValues.map { Float($0) }),
            classCount: 0, featureNames: featureNames)
    }
}
