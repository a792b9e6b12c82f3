import XCTest

/// `Logbook.eventStream` and `Logbook.runsTable` in the browser.
final class DashboardPageScriptTests: XCTestCase {
    /// The stream is fed by a stand-in EventSource that the test drives: events, a connection the server closed.
    func testEventStreamDeliversPointsReconnectsAndClosesWhenTheRunFinishes() throws {
        let page = try DashboardPage(script: #"""
            const sources = [];
            class FakeEventSource extends EventTarget {
              constructor(url) { super(); this.url = url; this.readyState = 1; sources.push(this); }
              close() { this.readyState = FakeEventSource.CLOSED; }
              send(data) { this.dispatchEvent(new MessageEvent('points', { data: JSON.stringify(data) })); }
              fail() { this.readyState = FakeEventSource.CLOSED; this.dispatchEvent(new Event('error')); }
            }
            FakeEventSource.CLOSED = 2;
            window.EventSource = FakeEventSource;
            const received = [];
            const stream = Logbook.eventStream('/api/runs/7/events', (points, status) => received.push([points.length, status]),
              { retryMilliseconds: 10 });
            sources[0].send({ points: [{ x: 1, mean: 2, min: 2, max: 2 }, { x: 2, mean: 1, min: 1, max: 1 }], status: 'running' });
            sources[0].dispatchEvent(new MessageEvent('points', { data: 'not json' }));
            sources[0].fail();
            setTimeout(() => {
              const reopened = sources.length;
              sources[1].send({ points: [{ x: 3, mean: 0.5, min: 0.5, max: 0.5 }], status: 'completed' });
              logbookReport({
                received, reopened, url: sources[1].url, closed: stream.closed, lastState: sources[1].readyState,
              });
            }, 200);
            """#)
        XCTAssertEqual((page.value["received"] as? [[Any]])?.map { "\($0[0]) \($0[1])" }, ["2 running", "1 completed"])
        XCTAssertEqual(page.number("reopened"), 2)  // the closed source was replaced once
        XCTAssertEqual(page.value["url"] as? String, "/api/runs/7/events")
        XCTAssertEqual(page.value["closed"] as? Bool, true)  // "completed": no more points will come
        XCTAssertEqual(page.number("lastState"), 2)
    }

    static let runsPage = #"""
        <form class="runs" method="get" action="/runs">
          <input type="search" name="where" value="">
          <a class="compare" href="/compare">Compare</a>
          <table>
            <thead><tr><th></th><th data-column="run_id">run</th><th data-column="name">name</th>
              <th data-column="test_accuracy"><a href="?sort=-test_accuracy">test_accuracy</a></th></tr></thead>
            <tbody>
              <tr data-id="2"><td><input type="checkbox" class="select" data-id="2"></td><td>2</td>
                <td>&lt;script&gt;alert(1)&lt;/script&gt;</td><td>0.97</td></tr>
              <tr data-id="5"><td><input type="checkbox" class="select" data-id="5"></td><td>5</td><td>b</td>
                <td>0.99</td></tr>
              <tr data-id="9"><td><input type="checkbox" class="select" data-id="9"></td><td>9</td><td>c</td>
                <td>0.98</td></tr>
            </tbody>
          </table>
        </form>
        """#

    func testRunsTableAddsSortLinksAColumnChooserAndACompareLink() throws {
        let page = try DashboardPage(body: Self.runsPage, script: #"""
            history.replaceState(null, '', '?where=epochs%3E1&sort=run_id&offset=100');
            const table = Logbook.runsTable(document.querySelector('form.runs'));
            const compare = document.querySelector('a.compare');
            const initial = [compare.getAttribute('href'), compare.getAttribute('aria-disabled')];
            for (const id of ['9', '2']) {
              const box = document.querySelector(`input.select[data-id="${id}"]`);
              box.checked = true;
              box.dispatchEvent(new Event('change'));
            }
            table.setColumnHidden('name', true);
            const chooser = document.querySelector('details.column-chooser');
            logbookReport({
              initial,
              href: compare.getAttribute('href'),
              selected: table.selectedIds(),
              sortLinks: [...document.querySelectorAll('th[data-column] a')].map((a) => a.getAttribute('href')),
              sortedBy: document.querySelector('th[data-column="run_id"]').getAttribute('aria-sort'),
              hiddenCells: [...document.querySelectorAll('tr')].map((row) => row.cells[2].hidden),
              stored: localStorage.getItem('logbook.runs.hiddenColumns'),
              chooser: [...chooser.querySelectorAll('input')].map((box) => `${box.getAttribute('data-column')} ${box.checked}`),
              nameText: document.querySelector('tr[data-id="2"]').cells[2].textContent,
              scripts: document.querySelectorAll('script').length,
            });
            """#)
        XCTAssertEqual(page.strings("initial"), ["/compare", "true"])
        XCTAssertEqual(page.value["href"] as? String, "/compare?runs=2,9")
        XCTAssertEqual(page.strings("selected"), ["2", "9"])
        // Sorted by run_id already: its link reverses the order; offset is reset; the server's own link is kept.
        XCTAssertEqual(page.strings("sortLinks"), [
            "?where=epochs%3E1&sort=-run_id", "?where=epochs%3E1&sort=name", "?sort=-test_accuracy",
        ])
        XCTAssertEqual(page.value["sortedBy"] as? String, "ascending")
        XCTAssertEqual(page.value["hiddenCells"] as? [Bool], [true, true, true, true])
        XCTAssertEqual(page.value["stored"] as? String, #"["name"]"#)
        XCTAssertEqual(page.strings("chooser"), ["run_id true", "name false", "test_accuracy true"])
        XCTAssertEqual(page.value["nameText"] as? String, "<script>alert(1)</script>")
        XCTAssertEqual(page.number("scripts"), 3)
    }
}
