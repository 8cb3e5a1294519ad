/* briefmap's imported-incidents layer. Served locally next to briefmap.js.
 *
 * A payload is drawn as ONE canvas layer (a subclass of Leaflet's canvas renderer) that finds
 * the hovered or clicked cell, point or centre itself: no Leaflet shape per hexagon or point.
 * Data arrives as numbers (integer coordinates, class and type numbers) plus interface words;
 * every text is set with textContent, never as HTML. The only HTML shown is a popup built and
 * escaped on the server for the clicked place (briefmapEvents.popup).
 *
 * The layer waits for the basemap's first tiles (at most BASEMAP_WAIT_MS) before drawing, and
 * tells the page's map report (briefmapEvents.hold) when a pan or zoom stays inside what the
 * payload covers, so such a move does not rerun the page.
 */
(function () {
  "use strict";
  var E = (window.briefmapEvents = window.briefmapEvents || {});
  var PANES = { "bm-events-hex": 390, "bm-events-points": 440 };
  var BASEMAP_WAIT_MS = 2500;
  var CLUSTER_MIN = 6; // points sharing one screen cell become one circle with a count

  function pane(map, name) {
    if (!map.getPane(name)) { map.createPane(name).style.zIndex = PANES[name]; }
    return name;
  }

  function pointRadius(zoom) { return zoom <= 6 ? 2.5 : zoom <= 8 ? 3 : zoom <= 10 ? 4 : 5; }
  function countRadius(n) { return Math.min(18, 8 + 2 * Math.log(n) / Math.LN10 * 2); }
  function shortCount(n) {
    return n >= 10000 ? Math.round(n / 1000) + "k" : n >= 1000 ? (n / 1000).toFixed(1) + "k" : String(n);
  }

  /* Decode the compact payload once: hexagon rings and point positions in degrees. */
  function decode(data) {
    var out = { cells: [], points: [], areas: [] };
    if (data.mode === "hex") {
      var b = data.shapes, k = 0;
      for (var i = 0; i < data.classes.length; k += 2 + 2 * data.corners[i], i++) {
        var clat = b[k], clon = b[k + 1], ring = [];
        for (var v = 0; v < data.corners[i]; v++) {
          ring.push(L.latLng((clat + b[k + 2 + 2 * v]) / 1000, (clon + b[k + 3 + 2 * v]) / 1000));
        }
        out.cells.push({ ring: ring, colour: data.colours[data.classes[i]], count: data.counts[i] });
      }
    } else {
      var lat = 0, lon = 0;
      for (var j = 0; j < data.dlat.length; j++) {
        lat += data.dlat[j]; lon += data.dlon[j];
        out.points.push({ at: L.latLng(lat / 1e5, lon / 1e5),
          colour: data.colours[String(data.type[j])] || "#666666" });
      }
      data.areas.forEach(function (a) {
        out.areas.push({ at: L.latLng(a[0] / 1e5, a[1] / 1e5), metres: a[2], n: a[3], tip: a[4] });
      });
    }
    return out;
  }

  function inside(p, ring) {
    var hit = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var a = ring[i], b = ring[j];
      if ((a.y > p.y) !== (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x) { hit = !hit; }
    }
    return hit;
  }

  var EventsCanvas = L.Canvas.extend({
    initialize: function (data, options) {
      L.Canvas.prototype.initialize.call(this, options);
      this._data = data; this._shapes = decode(data); this._drawn = []; this._ready = false;
    },
    onAdd: function () {
      L.Canvas.prototype.onAdd.call(this);
      this._container.style.pointerEvents = "none"; // shapes below stay clickable
      this._container.classList.add("bm-events-canvas");
      /* Listened for on the map's box before any shape gets the event: points lie above the
       * report shapes, and a shape's handler may stop the map's own click. */
      var box = this._map.getContainer();
      this._dom = { click: this._click.bind(this), mousemove: this._hover.bind(this),
        mouseleave: this._hideTip.bind(this) };
      for (var type in this._dom) { box.addEventListener(type, this._dom[type], true); }
      this._waitForBasemap();
    },
    onRemove: function () {
      this._hideTip();
      var box = this._map.getContainer();
      for (var type in this._dom) { box.removeEventListener(type, this._dom[type], true); }
      L.Canvas.prototype.onRemove.call(this);
    },
    /* No path layers of its own: the payload is painted directly. */
    _initContainer: function () {
      L.Canvas.prototype._initContainer.call(this);
      L.DomEvent.off(this._container); // hit-testing is done on the map's events instead
    },
    _update: function () {
      if (this._map._animatingZoom && this._bounds) { return; }
      L.Canvas.prototype._update.call(this);
      this._paint();
    },
    _updatePaths: function () {},
    _waitForBasemap: function () {
      var self = this, map = this._map, base = null;
      map.eachLayer(function (layer) {
        if (!base && layer instanceof L.GridLayer && layer._loading) { base = layer; }
      });
      function go() {
        if (!self._map || self._ready) { return; }
        self._ready = true; self._paint(); self.fire("ready");
      }
      if (!base) { go(); return; }
      base.once("load", function () { window.requestAnimationFrame(go); });
      window.setTimeout(go, BASEMAP_WAIT_MS);
    },
    _paint: function () {
      var ctx = this._ctx, b = this._bounds;
      if (!ctx || !b) { return; }
      ctx.clearRect(b.min.x, b.min.y, b.getSize().x, b.getSize().y);
      this._drawn = [];
      if (!this._ready) { return; }
      if (this._data.mode === "hex") { this._paintHex(ctx, b); } else { this._paintPoints(ctx, b); }
      if (this._lit) { this._paintLit(ctx); }
      this._map.getContainer().setAttribute("data-events-drawn", String(this._drawn.length));
    },
    _paintHex: function (ctx, b) {
      var map = this._map, s = this._data.style, cells = this._shapes.cells;
      ctx.lineWidth = s.weight; ctx.strokeStyle = s.color; ctx.globalAlpha = 1;
      for (var i = 0; i < cells.length; i++) {
        var ring = cells[i].ring, pts = [], minx = 1e9, maxx = -1e9, miny = 1e9, maxy = -1e9;
        for (var v = 0; v < ring.length; v++) {
          var p = map.latLngToLayerPoint(ring[v]);
          pts.push(p);
          minx = Math.min(minx, p.x); maxx = Math.max(maxx, p.x);
          miny = Math.min(miny, p.y); maxy = Math.max(maxy, p.y);
        }
        if (maxx < b.min.x || minx > b.max.x || maxy < b.min.y || miny > b.max.y) { continue; }
        ctx.beginPath();
        ctx.moveTo(pts[0].x, pts[0].y);
        for (var w = 1; w < pts.length; w++) { ctx.lineTo(pts[w].x, pts[w].y); }
        ctx.closePath();
        ctx.globalAlpha = s.fillOpacity; ctx.fillStyle = cells[i].colour; ctx.fill();
        ctx.globalAlpha = 1; ctx.stroke();
        this._drawn.push({ kind: "cell", item: cells[i], pts: pts });
      }
    },
    _paintPoints: function (ctx, b) {
      var map = this._map, s = this._data.style, zoom = map.getZoom(), r = pointRadius(zoom);
      var cellPx = zoom >= 13 ? 0 : Math.max(16, r * 6), bins = {};
      this._shapes.points.forEach(function (pt) {
        var p = map.latLngToLayerPoint(pt.at);
        if (p.x < b.min.x - 20 || p.x > b.max.x + 20 || p.y < b.min.y - 20 || p.y > b.max.y + 20) { return; }
        var key = cellPx ? Math.floor(p.x / cellPx) + ":" + Math.floor(p.y / cellPx) : p.x + ":" + p.y;
        (bins[key] = bins[key] || []).push({ pt: pt, p: p });
      });
      ctx.lineWidth = s.weight; ctx.strokeStyle = s.color;
      for (var key in bins) {
        var bin = bins[key];
        if (cellPx && bin.length >= CLUSTER_MIN) { this._cluster(ctx, bin); continue; }
        for (var i = 0; i < bin.length; i++) {
          var p = bin[i].p;
          ctx.beginPath(); ctx.arc(p.x, p.y, r, 0, 2 * Math.PI);
          ctx.globalAlpha = s.fillOpacity; ctx.fillStyle = bin[i].pt.colour; ctx.fill();
          ctx.globalAlpha = 1; ctx.stroke();
          this._drawn.push({ kind: "point", item: bin[i].pt, p: p, r: r + 2 });
        }
      }
      this._paintAreas(ctx, b);
    },
    _cluster: function (ctx, bin) {
      var x = 0, y = 0;
      bin.forEach(function (e) { x += e.p.x; y += e.p.y; });
      var p = L.point(x / bin.length, y / bin.length), r = countRadius(bin.length);
      this._counted(ctx, p, r, bin.length, "#555555", "#ffffff");
      this._drawn.push({ kind: "cluster", n: bin.length, p: p, r: r,
        at: this._map.layerPointToLatLng(p) });
    },
    _paintAreas: function (ctx, b) {
      var map = this._map, self = this;
      this._shapes.areas.forEach(function (area) {
        var p = map.latLngToLayerPoint(area.at), r = countRadius(area.n);
        if (p.x < b.min.x - r || p.x > b.max.x + r || p.y < b.min.y - r || p.y > b.max.y + r) { return; }
        self._counted(ctx, p, r, area.n, "#ffffff", "#222222");
        self._drawn.push({ kind: "area", item: area, p: p, r: r });
      });
    },
    _counted: function (ctx, p, r, n, fill, ink) {
      ctx.beginPath(); ctx.arc(p.x, p.y, r, 0, 2 * Math.PI);
      ctx.globalAlpha = 0.92; ctx.fillStyle = fill; ctx.fill();
      ctx.globalAlpha = 1; ctx.lineWidth = 1.5; ctx.strokeStyle = "#444444"; ctx.stroke();
      ctx.fillStyle = ink; ctx.font = "bold 11px sans-serif";
      ctx.textAlign = "center"; ctx.textBaseline = "middle";
      ctx.fillText(shortCount(n), p.x, p.y + 0.5); // digits only: no shaping concerns
      ctx.lineWidth = this._data.style.weight;
    },
    /* The spread of a hovered centre's events, drawn dashed only while it is hovered. */
    _paintLit: function (ctx) {
      var lit = this._lit, a = this._data.area_style, map = this._map;
      if (lit.kind !== "area") { return; }
      var edge = map.latLngToLayerPoint(L.latLng(lit.item.at.lat, lit.item.at.lng + lit.item.metres / 111320 /
        Math.cos(lit.item.at.lat * Math.PI / 180)));
      var r = Math.abs(edge.x - lit.p.x);
      ctx.beginPath(); ctx.arc(lit.p.x, lit.p.y, r, 0, 2 * Math.PI);
      ctx.setLineDash(a.dashArray.split(" ").map(Number));
      ctx.globalAlpha = 1; ctx.lineWidth = a.weight; ctx.strokeStyle = a.color; ctx.stroke();
      ctx.setLineDash([]);
    },
    /* What is under a container point: the topmost drawn item (centres, then clusters, then
     * points or cells). */
    hit: function (containerPoint) {
      var p = this._map.containerPointToLayerPoint(containerPoint);
      for (var i = this._drawn.length - 1; i >= 0; i--) {
        var d = this._drawn[i];
        if (d.kind === "cell" ? inside(p, d.pts) : p.distanceTo(d.p) <= d.r) { return d; }
      }
      return null;
    },
    tipText: function (d) {
      var words = this._data.words || {};
      if (d.kind === "cell") {
        var c = d.item.count;
        return words.about.replace("{n}", c >= 10 ? Math.round(c) : c);
      }
      if (d.kind === "area") { return d.item.tip; }
      if (d.kind === "cluster") { return words.cluster.replace("{n}", d.n); }
      return "";
    },
    _hover: function (ev) {
      var map = this._map;
      if (!map || (map.dragging && map.dragging.moved())) { return; }
      var cp = map.mouseEventToContainerPoint(ev), d = this._ready ? this.hit(cp) : null;
      var text = d ? this.tipText(d) : "";
      map.getContainer().style.cursor = d && d.kind !== "cell" ? "pointer" : "";
      var lit = d && d.kind === "area" ? d : null, relit = lit !== (this._lit || null);
      this._lit = lit; if (relit) { this._paint(); }
      if (!text) { this._hideTip(); return; }
      this._tip = this._tip || L.tooltip({ className: "bm-tooltip bm-events-tip", offset: [0, -10] });
      var span = document.createElement("span"); span.textContent = text; // as text, never HTML
      this._tip.setLatLng(map.containerPointToLatLng(cp)).setContent(span);
      if (!this._tip._map) { this._tip.addTo(map); }
    },
    _hideTip: function () {
      if (this._tip && this._tip._map) { this._tip.remove(); }
      if (this._map) { this._map.getContainer().style.cursor = ""; }
    },
    /* A click on a point or centre reports that place (not the mouse's) so the server finds
     * the events there; a cluster zooms in; a cell shows its count. */
    _click: function (ev) {
      var map = this._map;
      if (!map || !this._ready || (map.dragging && map.dragging.moved())) { return; }
      var d = this.hit(map.mouseEventToContainerPoint(ev)); if (!d) { return; }
      if (d.kind === "cell") { this._hover(ev); return; } // below the shapes: theirs too
      ev.stopPropagation(); // an incident drawn above a shape is what was clicked
      if (d.kind === "cluster") { map.setView(d.at, Math.min(map.getZoom() + 2, 18)); return; }
      this.fire("click", { latlng: d.item.at, originalEvent: ev });
    }
  });

  function legend(map, data) {
    var control = L.control({ position: data.corner || "bottomright" });
    control.onAdd = function () {
      var box = L.DomUtil.create("div", "bm-events-legend");
      box.setAttribute("dir", data.dir === "rtl" ? "rtl" : "ltr");
      var title = L.DomUtil.create("button", "bm-events-legend-title", box);
      title.type = "button"; title.textContent = data.legend.title;
      var body = L.DomUtil.create("div", "bm-events-legend-body", box);
      var rows = data.mode === "hex"
        ? data.legend.labels.map(function (label, i) { return [label, data.colours[i], "hex"]; })
        : data.legend.items.map(function (item) { return [item[0], item[1], "dot"]; });
      rows.forEach(function (row) {
        var line = L.DomUtil.create("div", "bm-events-legend-row", body);
        var sw = L.DomUtil.create("span", "bm-events-swatch bm-events-" + row[2], line);
        sw.style.background = row[1];
        L.DomUtil.create("span", "", line).textContent = row[0];
      });
      var words = data.legend.web_note || data.legend.note;
      if (words) { L.DomUtil.create("div", "bm-events-legend-note", body).textContent = words; }
      function show(open) {
        box.classList.toggle("bm-collapsed", !open);
        title.setAttribute("aria-expanded", String(open));
      }
      show(E.legendOpen !== false); // as the analyst left it
      L.DomEvent.on(title, "click", function () {
        E.legendOpen = box.classList.contains("bm-collapsed"); show(E.legendOpen);
      });
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    return control;
  }

  /* The corner whose legend-sized box holds the fewest drawn shapes. */
  function freeCorner(map, layer) {
    var size = map.getSize(), w = 200, h = 150, best = "bottomright", fewest = Infinity;
    var corners = { topright: [size.x - w, 0], bottomright: [size.x - w, size.y - h],
      bottomleft: [0, size.y - h], topleft: [0, 0] };
    var order = ["bottomright", "bottomleft", "topright", "topleft"];
    order.forEach(function (name) {
      var x0 = corners[name][0], y0 = corners[name][1], n = 0;
      layer._drawn.forEach(function (d) {
        var c = map.layerPointToContainerPoint(d.p || d.pts[0]);
        if (c.x >= x0 && c.x <= x0 + w && c.y >= y0 && c.y <= y0 + h) { n++; }
      });
      if (n < fewest) { fewest = n; best = name; }
    });
    return best;
  }

  /* Drop groups the component removed (it keeps every group it ever added in
   * window.feature_group, so replaced layers were never released). */
  function release() {
    var groups = window.feature_group;
    if (Array.isArray(groups)) { window.feature_group = groups.filter(function (g) { return g && g._map; }); }
  }

  /* Draw the layer into `group` once the group is on the map; remove the legend with it. */
  E.layer = function (group, data) {
    var control = null, layer = null;
    group.on("add", function () {
      var map = group._map;
      if (!map) { return; }
      release();
      group.clearLayers();
      var name = pane(map, data.mode === "hex" ? "bm-events-hex" : "bm-events-points");
      layer = new EventsCanvas(data, { pane: name, padding: 0.2 });
      group.addLayer(layer);
      E.current = { data: data, layer: layer, group: group };
      var box = map.getContainer();
      box.setAttribute("data-events-mode", data.mode);
      box.setAttribute("data-events-shapes", String(data.mode === "hex"
        ? layer._shapes.cells.length : layer._shapes.points.length + layer._shapes.areas.length));
      box.setAttribute("data-events-in-view", String(data.in_view));
      box.setAttribute("data-events-layers", String(Object.keys(map._layers).length));
      function place() {
        if (!layer || !layer._map) { return; }
        if (control) { control.remove(); }
        data.corner = freeCorner(map, layer);
        control = legend(map, data).addTo(map);
        box.setAttribute("data-events-legend", data.corner);
      }
      place();
      layer.once("ready", place); // again once the shapes are drawn: their free corner
    });
    group.on("remove", function () {
      if (control) { control.remove(); control = null; }
      if (layer) { group.removeLayer(layer); layer._shapes = null; layer._drawn = []; layer = null; }
      if (E.current && E.current.group === group) { E.current = null; }
    });
  };

  /* Whether the view still lies inside what the payload covers at a zoom of the same
   * resolution: then a pan or zoom need not be reported (nor the page rerun). */
  E.covers = function (bounds, zoom) {
    var cur = E.current, d = cur && cur.data, box = d && d.box;
    if (!cur || !cur.layer || !cur.layer._map) { return false; }
    if (!box || zoom < d.zooms[0] || zoom > d.zooms[1]) { return false; }
    return bounds.getWest() >= box[0] && bounds.getSouth() >= box[1] &&
      bounds.getEast() <= box[2] && bounds.getNorth() <= box[3];
  };

  /* Hold back the map's reports that change only its extent while the payload covers the
   * view. What was held is sent when the pointer leaves the map, so the page's link and
   * exports catch up once, after the gestures, instead of rerunning the page on each. */
  E.hold = function () {
    var S = window.Streamlit;
    if (!S || S.__bmHeld) { return; }
    var send = S.setComponentValue.bind(S), last = null, pending = null;
    var EXTENT = ["center", "zoom", "bounds"];
    function others(v) { // the report without the map's extent
      var o = {};
      Object.keys(v || {}).forEach(function (k) { if (EXTENT.indexOf(k) < 0) { o[k] = v[k]; } });
      return JSON.stringify(o);
    }
    S.setComponentValue = function (value) {
      var map = window.map;
      if (last && map && others(value) === others(last) && E.covers(map.getBounds(), map.getZoom())) {
        pending = value; E.held = (E.held || 0) + 1; return;
      }
      pending = null; last = value; E.sent = (E.sent || 0) + 1;
      send(value);
    };
    function flush() { if (pending) { var v = pending; pending = null; last = v; send(v); } }
    document.addEventListener("mouseleave", flush);
    window.addEventListener("blur", flush);
    E.flush = flush;
    S.__bmHeld = true;
  };
  E.hold(); // at load: the component's script is loaded before the map's scripts

  /* The popup of a clicked place, opened once per click (the nonce), not on every redraw. */
  E.popup = function (group, spec) {
    group.on("add", function () {
      var map = group._map;
      if (!map || window.__bmEventPopupNonce === spec.nonce) { return; }
      window.__bmEventPopupNonce = spec.nonce;
      L.popup({ maxWidth: 420, maxHeight: 380, className: "bm-popup-wrap bm-event-popup-wrap",
        autoPanPadding: [20, 20] })
        .setLatLng([spec.lat, spec.lon]).setContent(spec.html).openOn(map);
    });
  };
})();
