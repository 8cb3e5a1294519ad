(() => {
  if (window.__bmDrawn) { return; }
  const P = CanvasRenderingContext2D.prototype;
  const drawn = new Map();
  const split = [];
  window.__bmDrawn = drawn;
  window.__bmSplit = split;
  const RTL_LETTER = /^[\u0590-\u05FF\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]$/;
  const clear = P.clearRect;
  P.clearRect = function (x, y, w, h) {
    if (x <= 0 && y <= 0) { drawn.delete(this.canvas); }
    return clear.apply(this, arguments);
  };
  for (const name of ["fillText", "strokeText"]) {
    const orig = P[name];
    P[name] = function (text) {
      const s = String(text);
      if (RTL_LETTER.test(s.trim())) { split.push(s); }
      if (name === "fillText") {
        const m = this.measureText(s), t = this.getTransform();
        const x = arguments[1], y = arguments[2];
        const pts = [[x - m.actualBoundingBoxLeft, y - m.actualBoundingBoxAscent],
          [x + m.actualBoundingBoxRight, y - m.actualBoundingBoxAscent],
          [x - m.actualBoundingBoxLeft, y + m.actualBoundingBoxDescent],
          [x + m.actualBoundingBoxRight, y + m.actualBoundingBoxDescent]]
          .map(p => [t.a * p[0] + t.c * p[1] + t.e, t.b * p[0] + t.d * p[1] + t.f]);
        const xs = pts.map(p => p[0]), ys = pts.map(p => p[1]);
        let list = drawn.get(this.canvas);
        if (!list) { list = []; drawn.set(this.canvas, list); }
        list.push({ text: s, font: this.font, dir: this.direction,
          box: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)] });
      }
      return orig.apply(this, arguments);
    };
  }
  /* Text drawn on the map's canvases now, in the container's CSS pixels. */
  window.__bmDrawnText = function (container, paneClass) {
    const c = container.getBoundingClientRect(), out = [];
    drawn.forEach((list, canvas) => {
      if (!canvas.isConnected || !canvas.width || (paneClass && !canvas.closest(paneClass))) { return; }
      const r = canvas.getBoundingClientRect();
      const kx = r.width / canvas.width, ky = r.height / canvas.height;
      list.forEach(d => {
        const b = [r.left - c.left + d.box[0] * kx, r.top - c.top + d.box[1] * ky,
          r.left - c.left + d.box[2] * kx, r.top - c.top + d.box[3] * ky];
        const clip = [Math.max(b[0], r.left - c.left), Math.max(b[1], r.top - c.top),
          Math.min(b[2], r.right - c.left), Math.min(b[3], r.bottom - c.top)];
        if (clip[2] <= clip[0] || clip[3] <= clip[1]) { return; }
        if (b[2] < 0 || b[3] < 0 || b[0] > c.width || b[1] > c.height) { return; }
        out.push({ text: d.text, font: d.font, dir: d.dir, box: b });
      });
    });
    return out;
  };
})();
