extension DashboardScript {
    /// `Logbook.eventStream`: the run page's live feed of new points.
    static let live = #"""
/** Logbook.eventStream(url, onPoints, {retryMilliseconds}) opens an EventSource on `url` and calls
 *  onPoints(points, status, message) for each event named "points", whose data is
 *  {"points": [{"x", "mean", "min", "max"}], "status": "running"|…}.
 *  The browser reconnects by itself after a dropped connection; when the source gives up (readyState CLOSED: the
 *  server answered an error or restarted), it is reopened after a delay that doubles from retryMilliseconds
 *  (default 1 s) up to 30 s, and resets once an event arrives. Once a status is finished (anything but "pending"
 *  and "running") the stream is closed: no more points will come. Returns {close(), get closed}. */
function eventStream(url, onPoints, options = {}) {
  const firstDelay = options.retryMilliseconds ?? 1000;
  let delay = firstDelay;
  let source = null;
  let closed = false;
  let timer = null;

  function connect() {
    timer = null;
    if (closed) return;
    source = new EventSource(url);
    source.addEventListener('points', (event) => {
      delay = firstDelay;
      let message;
      try { message = JSON.parse(event.data); } catch (error) { return; }
      onPoints(Array.isArray(message.points) ? message.points : [], message.status, message);
      if (message.status && !['pending', 'running'].includes(message.status)) close();
    });
    source.addEventListener('error', () => {
      if (closed || source.readyState !== EventSource.CLOSED || timer !== null) return;
      timer = setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    });
  }

  function close() {
    closed = true;
    if (timer !== null) clearTimeout(timer);
    if (source) source.close();
  }

  connect();
  return { close, get closed() { return closed; } };
}
Logbook.eventStream = eventStream;
"""#
}
