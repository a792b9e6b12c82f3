import Store

extension SQLValue {
    /// The value as text for grouping and labels (`CellText.human`).
    public var label: String { CellText.human(self) }
}
