/// Options of a CSV load. Field names match `TrainingConfiguration`.
public struct CSVOptions: Sendable, Equatable {
    /// The label column, by header name or zero-based index (negative counts from the end); nil = the last column.
    public var labelColumn: String?
    /// `classification`, `regression`, or nil to infer it: integer labels ⇒ classification (see `CSVLoader`).
    public var task: LabelTask?

    public init(labelColumn: String? = nil, task: LabelTask? = nil) {
        self.labelColumn = labelColumn
        self.task = task
    }
}

/// Loads numeric CSV files (plain or gzip) as datasets.
///
/// - **Header**: the first row is a header when one of its cells is not a number while the cell below it is (or when
///   it holds the `labelColumn` name). A scikit-learn style first row `150,4,setosa,versicolor,virginica`
///   (sample count, feature count, class names) is recognised too: its class names are kept and the count checked.
/// - **Label**: one column (default the last). Every other column is a feature and must be a finite number.
/// - **Classes**: integer labels ≥ 0 are used as class indices (`classCount = max + 1`); integer labels with negative
///   values, and string labels, are mapped to `0 ..< k` in sorted order and their texts kept in `classNames`.
///   With `task` nil, integer labels give classification when that makes at most 1000 classes, else regression;
///   other numbers give regression; strings give classification.
/// - **Regression**: the label column becomes a `sampleCount × 1` target matrix.
/// - **Errors** name the file, line (1-based, physical) and column (1-based):
///   `data.csv: line 3, column 2 ('abc'): not a number`, `data.csv: line 7 has 4 columns, expected 5`.
public enum CSVLoader {
    /// Inferred classification allows at most this many classes.
    public static let maximumInferredClassCount = 1000
    /// Explicit classification allows at most this many classes.
    public static let maximumClassCount = 1_000_000

    /// Loads the CSV file at `path` (gzip detected by content). The dataset is named `name`, default `csv:PATH`.
    public static func load(path: String, options: CSVOptions = CSVOptions(), name: String? = nil) throws -> Dataset {
        try parse(DataFile.read(path), fileName: path, options: options, name: name ?? "csv:\(path)")
    }

    /// Parses CSV text already in memory; `fileName` is used in error messages.
    public static func parse(_ bytes: [UInt8], fileName: String, options: CSVOptions = CSVOptions(), name: String)
        throws -> Dataset
    {
        let task = options.task
        let table = try bytes.withUnsafeBufferPointer { buffer in
            do {
                return try readTable(buffer, fileName: fileName, labelColumn: options.labelColumn, task: task)
            } catch CSVScanError.unterminatedQuote(let line) {
                throw EngineError("\(fileName): line \(line): unterminated quoted cell")
            }
        }
        return try table.dataset(name: name, fileName: fileName, task: task)
    }

    private static func readTable(
        _ buffer: UnsafeBufferPointer<UInt8>, fileName: String, labelColumn: String?, task: LabelTask?
    ) throws -> CSVTable {
        var scanner = CSVScanner(bytes: buffer, delimiter: CSVScanner.detectDelimiter(buffer))
        guard let firstLine = try scanner.nextRow() else { throw EngineError("\(fileName): empty file (no rows)") }
        let firstCells = (0 ..< scanner.cellCount).map { scanner.text($0) }
        let firstNumeric = (0 ..< scanner.cellCount).map { scanner.number($0) != nil }

        var scannerAfterFirst = scanner
        let secondLine = try scannerAfterFirst.nextRow()
        let secondNumeric = secondLine == nil ? [] : (0 ..< scannerAfterFirst.cellCount).map { scannerAfterFirst.number($0) != nil }

        var table = CSVTable()
        table.columnCount = firstCells.count
        if let header = sklearnHeader(firstCells, firstNumeric: firstNumeric, secondCount: secondNumeric.count) {
            table.columnCount = header.featureCount + 1
            table.classNames = header.classNames
            table.declaredSampleCount = header.sampleCount
            table.hasHeader = true
        } else if isHeader(firstCells, firstNumeric: firstNumeric, secondNumeric: secondNumeric, labelColumn: labelColumn) {
            table.columnNames = firstCells
            table.hasHeader = true
        }
        guard table.columnCount >= 2 else {
            throw EngineError("\(fileName): line \(firstLine) has \(table.columnCount) column; need at least 2 (features and a label)")
        }
        table.labelIndex = try labelIndex(labelColumn, table: table, fileName: fileName)

        if !table.hasHeader {
            scanner = CSVScanner(bytes: buffer, delimiter: scanner.delimiter)
        }
        try table.readRows(&scanner, fileName: fileName, labelsMustBeNumbers: task == .regression)
        guard table.rowCount > 0 else { throw EngineError("\(fileName): no data rows (only a header)") }
        if let declared = table.declaredSampleCount, declared != table.rowCount {
            throw EngineError("\(fileName): header declares \(declared) samples, found \(table.rowCount)")
        }
        return table
    }

    /// `150,4,setosa,versicolor,virginica`: sample count, feature count, then class names; the next row must have
    /// `featureCount + 1` cells.
    private static func sklearnHeader(_ cells: [String], firstNumeric: [Bool], secondCount: Int)
        -> (sampleCount: Int, featureCount: Int, classNames: [String])?
    {
        guard cells.count >= 3, let samples = Int(cells[0]), let features = Int(cells[1]), samples >= 0, features >= 1,
            secondCount == features + 1, !firstNumeric[2...].contains(true)
        else { return nil }
        return (samples, features, Array(cells[2...]))
    }

    private static func isHeader(_ cells: [String], firstNumeric: [Bool], secondNumeric: [Bool], labelColumn: String?)
        -> Bool
    {
        if let labelColumn, Int(labelColumn) == nil, cells.contains(labelColumn) { return true }
        for column in cells.indices where !firstNumeric[column] {
            if secondNumeric.isEmpty || (column < secondNumeric.count && secondNumeric[column]) { return true }
        }
        return false
    }

    private static func labelIndex(_ labelColumn: String?, table: CSVTable, fileName: String) throws -> Int {
        let count = table.columnCount
        guard let labelColumn else { return count - 1 }
        if let names = table.columnNames, let index = names.firstIndex(of: labelColumn) { return index }
        if let index = Int(labelColumn) {
            let resolved = index < 0 ? count + index : index
            guard resolved >= 0 && resolved < count else {
                throw EngineError(
                    "\(fileName): label column \(index) is out of range (\(count) columns, numbered from 0)")
            }
            return resolved
        }
        if let names = table.columnNames {
            throw EngineError(
                "\(fileName): unknown label column '\(labelColumn)' (columns: \(names.joined(separator: ", ")))")
        }
        throw EngineError(
            "\(fileName): unknown label column '\(labelColumn)' (the file has no header row; give a zero-based index)")
    }
}

/// What the label column holds: class indices or real targets.
public enum LabelTask: String, Sendable, CaseIterable, Codable {
    case classification, regression
}
