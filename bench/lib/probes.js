// Injected before any page script (Playwright `addInitScript`), the same in both pages.
// It notes when the DOM last changed and when the frame after that change was painted
// (a requestAnimationFrame callback, then a task after that frame), the timestamp of the
// last input or click, long animation frames, and the app's wasm memory if it has one.
(() => {
  const b = (window.__bench = { loaf: [], lastMutation: 0, lastPaint: 0, lastInput: 0, pending: false });
  addEventListener('TrunkApplicationStarted', (e) => { b.wasmMemory = e.detail.wasm.memory; });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        const end = e.startTime + e.duration;
        b.loaf.push({
          start: e.startTime,
          duration: e.duration,
          // Time in scripts the frame ran (tasks, callbacks, promise jobs), and from the
          // start of style and layout to the frame's end.
          script: e.scripts.reduce((n, s) => n + s.duration, 0),
          layout: e.styleAndLayoutStart > 0 ? end - e.styleAndLayoutStart : 0,
        });
      }
    }).observe({ type: 'long-animation-frame', buffered: true });
  } catch { b.loafUnsupported = true; }
  // The app's own User Timing measures (e.g. sync-logs:refine), kept as they come.
  b.measures = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) b.measures.push({ name: e.name, duration: e.duration });
  }).observe({ type: 'measure' });
  const schedule = () => {
    b.pending = true;
    requestAnimationFrame(() => {
      const frameAt = performance.now();
      setTimeout(() => {
        b.lastPaint = performance.now();
        // A change after that frame started needs the next one.
        if (b.lastMutation > frameAt) schedule(); else b.pending = false;
      }, 0);
    });
  };
  // The first rows of either page: the paint after the first one is in the DOM.
  const ROWS = 'tbody tr[data-id], .ag-row';
  const observer = new MutationObserver(() => {
    b.lastMutation = performance.now();
    if (!b.pending) schedule();
    if (!b.rowsSeen && document.querySelector(ROWS)) {
      b.rowsSeen = performance.now();
      requestAnimationFrame(() => setTimeout(() => { b.firstRowsPaint = performance.now(); }, 0));
    }
  });
  const options = { subtree: true, childList: true, characterData: true, attributes: true };
  observer.observe(document, options);
  // From now on only changes inside `selector` count (the table, not e.g. a chip that
  // follows the URL).
  b.watch = (selector) => {
    observer.disconnect();
    observer.observe(document.querySelector(selector), options);
  };
  // Every input or click also notes when the frame after it was painted, so an input
  // that changes nothing still counts the time it held the page.
  for (const type of ['input', 'click']) {
    addEventListener(type, (e) => {
      const at = e.timeStamp;
      b.lastInput = at;
      b.inputFrame = 0;
      requestAnimationFrame(() => setTimeout(() => { if (b.lastInput === at) b.inputFrame = performance.now(); }, 0));
    }, true);
  }
  // Resolves once nothing changed for `quietMs`, to the time from the last input to the
  // paint of its last change, or to the frame after it when it changed nothing.
  b.settled = (quietMs) => new Promise((ok) => {
    const poll = () => {
      const now = performance.now();
      if (!b.pending && b.inputFrame && now - b.lastMutation >= quietMs && now - b.lastInput >= quietMs) {
        ok(Math.max(b.inputFrame, b.lastPaint > b.lastInput ? b.lastPaint : 0) - b.lastInput);
      } else setTimeout(poll, 10);
    };
    poll();
  });
  // Scrolls `selector` for `frames` frames: first steadily down `step` px a frame, then
  // jumps to random places (as a dragged scrollbar does); returns frame intervals.
  b.scroll = (selector, frames, step) => new Promise((ok) => {
    const el = document.querySelector(selector);
    const times = [];
    let seed = 7;
    const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    const started = performance.now();
    const tick = (t) => {
      times.push(t);
      if (times.length > frames) {
        const gaps = times.slice(1).map((x, i) => x - times[i]).sort((x, y) => x - y);
        setTimeout(() => ok({
          frames: gaps.length,
          worst: gaps[gaps.length - 1],
          p95: gaps[Math.ceil(gaps.length * 0.95) - 1],
          loaf: b.loaf.filter((l) => l.start >= started).map((l) => l.duration),
          reached: el.scrollTop,
        }), 200);
        return;
      }
      const max = el.scrollHeight - el.clientHeight;
      el.scrollTop = times.length <= frames / 2 ? el.scrollTop + step : random() * max;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
})();
