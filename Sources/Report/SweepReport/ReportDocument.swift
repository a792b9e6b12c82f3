import Foundation
import Store

/// A chart of a report: its SVG and the file name it gets in the Markdown form.
public struct ReportChart: Sendable {
    public var fileName: String
    public var caption: String
    public var svg: String

    public init(fileName: String, caption: String, svg: String) {
        self.fileName = fileName
        self.caption = caption
        self.svg = svg
    }
}

/// One block of a section, in order.
public enum ReportBlock: Sendable {
    case paragraph(String)
    case table(ResultTable)
    case code(String)
    case chart(ReportChart)
}

public struct ReportSection: Sendable {
    public var id: String
    public var title: String
    public var blocks: [ReportBlock]

    public init(id: String, title: String, blocks: [ReportBlock] = []) {
        self.id = id
        self.title = title
        self.blocks = blocks
    }

    public var charts: [ReportChart] {
        blocks.compactMap { if case .chart(let chart) = $0 { return chart } else { return nil } }
    }
}

/// A report, renderable as one self-contained XHTML file or as Markdown with its charts as SVG files.
public struct ReportDocument: Sendable {
    public var title: String
    public var subtitle: String
    public var sections: [ReportSection]

    public init(title: String, subtitle: String, sections: [ReportSection]) {
        self.title = title
        self.subtitle = subtitle
        self.sections = sections
    }

    static let style = """
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2em auto;max-width:1100px;padding:0 1em;color:#222;line-height:1.45}
        h1{margin-bottom:.2em}h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:2em}
        .meta{color:#666}nav a{margin-right:1em}
        table{border-collapse:collapse;margin:1em 0;font-size:.9em}th,td{border:1px solid #ddd;padding:.25em .6em}
        th{background:#f4f6f8;text-align:left}td.num{text-align:right;font-variant-numeric:tabular-nums}
        tr.highlight td{font-weight:bold}pre{background:#f6f8fa;padding:.8em;overflow-x:auto;font-size:.85em}
        figure{margin:1em 0}figcaption{color:#555;font-size:.9em}svg{max-width:100%;height:auto}
        """

    /// XHTML (parses as XML): inline CSS and SVG, no scripts, no external resources.
    public func html() -> String {
        let output = """
            <!DOCTYPE html>
            <html xmlns="http://www.w3.org/1999/xhtml" lang="en">
            <head><meta charset="utf-8"/><title>\(SVG.escape(title))</title><style>\(ReportDocument.style)</style></head>
            <body>
            <h1>\(SVG.escape(title))</h1>
            <p class="meta">\(SVG.escape(subtitle))</p>
            <nav>\(sections.map { "<a href=\"#\($0.id)\">\(SVG.escape($0.title))</a>" }.joined())</nav>

            """
        return output + sectionsHTML() + "</body>\n</html>\n"
    }

    /// The sections as HTML `<section>` elements (the report's body; the dashboard's sweep page shows them too).
    public func sectionsHTML() -> String {
        var output = ""
        for section in sections {
            output += "<section id=\"\(section.id)\">\n<h2>\(SVG.escape(section.title))</h2>\n"
            for block in section.blocks {
                switch block {
                case .paragraph(let text): output += "<p>\(SVG.escape(text))</p>\n"
                case .code(let text): output += "<pre>\(SVG.escape(text))</pre>\n"
                case .table(let table): output += ReportDocument.htmlTable(table)
                case .chart(let chart):
                    output += "<figure>\(chart.svg)<figcaption>\(SVG.escape(chart.caption))</figcaption></figure>\n"
                }
            }
            output += "</section>\n"
        }
        return output
    }

    static func htmlTable(_ table: ResultTable) -> String {
        var output = "<table><thead><tr>" + table.columns.map { "<th>\(SVG.escape($0))</th>" }.joined() + "</tr></thead><tbody>"
        for (index, row) in table.rows.enumerated() {
            output += table.highlightedRows.contains(index) ? "<tr class=\"highlight\">" : "<tr>"
            for value in row {
                output += CellText.isNumeric(value) ? "<td class=\"num\">" : "<td>"
                output += SVG.escape(CellText.human(value)) + "</td>"
            }
            output += "</tr>"
        }
        return output + "</tbody></table>\n"
    }

    /// Markdown that links each chart as `chartDirectory/fileName`; returns the text and the charts to write.
    public func markdown(chartDirectory: String) -> (text: String, charts: [ReportChart]) {
        var output = "# \(title)\n\n\(subtitle)\n\n"
        var charts: [ReportChart] = []
        for section in sections {
            output += "## \(section.title)\n\n"
            for block in section.blocks {
                switch block {
                case .paragraph(let text): output += text + "\n\n"
                case .code(let text): output += "```\n\(text)\n```\n\n"
                case .table(let table): output += MarkdownTableWriter.render(table) + "\n"
                case .chart(let chart):
                    charts.append(chart)
                    output += "![\(chart.caption.replacingOccurrences(of: "]", with: ")"))](\(chartDirectory)/\(chart.fileName))\n\n"
                }
            }
        }
        return (output, charts)
    }

    /// Writes the HTML file, or the Markdown file plus a `<name>-charts/` directory of SVG files beside it.
    public func write(to path: String, markdown: Bool) throws {
        let url = URL(fileURLWithPath: path)
        if !markdown {
            try Data(html().utf8).write(to: url)
            return
        }
        let directoryName = url.deletingPathExtension().lastPathComponent + "-charts"
        let directory = url.deletingLastPathComponent().appendingPathComponent(directoryName)
        let (text, charts) = self.markdown(chartDirectory: directoryName)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for chart in charts {
            try Data(("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + chart.svg + "\n").utf8)
                .write(to: directory.appendingPathComponent(chart.fileName))
        }
        try Data(text.utf8).write(to: url)
    }
}
