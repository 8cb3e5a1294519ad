/* briefmap's labels on the vector basemap, part 1 of 3 (briefmap-labels.js,
 * briefmap-symbols.js, briefmap-basemap.js; served as one bundle in that order).
 *
 * Report labels and marker footprints arrive from Python (briefmap.featureLabels, one set per
 * feature group) and are served to protomaps-leaflet's labeller through an in-memory tile
 * source, so they take part in the same collision index as the basemap's names. Here: that
 * source, the relayout when a group comes or goes, the guard that finishes every tile render,
 * and briefmap.placedLabels (what the labeller placed, for tests). Shared internals for the
 * next two files are in briefmap._lab.
 */
(function () {
  "use strict";
  var B = (window.briefmap = window.briefmap || {});
  var P = window.protomapsL;
  var FEATURES = "features";
  var TILE = 512;

  /* A point as protomaps-leaflet's geometry code uses it (clone, mult, add, dist). */
  function Pt(x, y) { this.x = x; this.y = y; }
  Pt.prototype.clone = function () { return new Pt(this.x, this.y); };
  Pt.prototype.mult = function (k) { this.x *= k; this.y *= k; return this; };
  Pt.prototype.add = function (p) { this.x += p.x; this.y += p.y; return this; };
  Pt.prototype.dist = function (p) { return Math.hypot(this.x - p.x, this.y - p.y); };

  function worldPx(lon, lat, z) {
    var n = Math.pow(2, z), s = Math.sin(lat * Math.PI / 180);
    var y = 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
    return [(lon + 180) / 360 * n, Math.min(Math.max(y, 0), 1) * n];
  }

  var meta = new WeakMap();  /* draw function -> {text, priority, size}, for placedLabels */

  /* ---- report labels and marker footprints, by feature group ---- */
  B._labelSets = {};
  B._labelLayers = [];

  B.featureLabels = function (group, data) {
    var id = L.stamp(group);
    var on = function () { B._labelSets[id] = data; B._relabel(); };
    var off = function () { delete B._labelSets[id]; B._relabel(); };
    group.on("add", on);
    group.on("remove", off);
    if (group._map) { on(); }
    return group;
  };

  /* Every registered label, one per text and place (the better priority kept), and every
   * marker footprint; plus the alias keys the features name (the basemap leaves those). */
  B._collect = function () {
    var best = {}, obstacles = [], keys = {};
    Object.keys(B._labelSets).forEach(function (id) {
      var set = B._labelSets[id];
      (set.items || []).forEach(function (it) {
        var k = it.text + "|" + it.lon.toFixed(3) + "|" + it.lat.toFixed(3);
        if (!best[k] || best[k].priority > it.priority) { best[k] = it; }
        if (it.key) { keys[it.key] = true; }
      });
      (set.obstacles || []).forEach(function (o) { obstacles.push(o); });
    });
    /* a point's label keeps clear of the largest footprint drawn at that point */
    var radius = {};
    obstacles.forEach(function (o) {
      var k = o.lon.toFixed(4) + "|" + o.lat.toFixed(4);
      radius[k] = Math.max(radius[k] || 0, o.r);
    });
    var items = Object.keys(best).map(function (k) {
      var it = best[k];
      it.r = radius[it.lon.toFixed(4) + "|" + it.lat.toFixed(4)] || 0;
      return it;
    });
    var grid = {};
    keepOutAreas().forEach(function (o) { obstacles.push(o); });
    obstacles.forEach(function (o) {
      if (o.box) { return; }
      var k = Math.floor(o.lon * 10) + "|" + Math.floor(o.lat * 10);
      (grid[k] = grid[k] || []).push(o);
    });
    return { items: items, obstacles: obstacles, keys: keys, grid: grid };
  };

  /* Parts of the map an overlay covers (the projector's legend): no label is placed under
   * them. Kept as the geographic box the overlay covers at the map's view, refreshed when
   * the map has moved (the labels are laid out again only if that box changed). */
  B._keepOuts = [];
  B.keepOut = function (map, element) {
    B._keepOuts = B._keepOuts.filter(function (k) { return k.element !== element; });
    var changed = function () {
      var seen = B._keepOutSeen;
      if (JSON.stringify(keepOutAreas()) !== seen) { B._relabel(); }
    };
    if (!map._bmKeepOutWatch) {
      map._bmKeepOutWatch = true;
      map.on("moveend", changed);
      /* an overlay that grows after it is added (its font arrives) */
      map._bmKeepOutSize = window.ResizeObserver ? new ResizeObserver(changed) : null;
    }
    if (map._bmKeepOutSize) { map._bmKeepOutSize.observe(element); }
    B._keepOuts.push({ map: map, element: element });
    B._relabel();
  };
  B.releaseKeepOut = function (element) {
    B._keepOuts.forEach(function (k) {
      if (k.element === element && k.map._bmKeepOutSize) { k.map._bmKeepOutSize.unobserve(element); }
    });
    B._keepOuts = B._keepOuts.filter(function (k) { return k.element !== element; });
    B._relabel();
  };
  function keepOutAreas() {
    var out = [];
    B._keepOuts.forEach(function (k) {
      if (!k.element.isConnected || !k.map._loaded) { return; }
      var r = k.element.getBoundingClientRect(), c = k.map.getContainer().getBoundingClientRect();
      if (!r.width || !r.height) { return; }
      var nw = k.map.containerPointToLatLng([r.left - c.left, r.top - c.top]);
      var se = k.map.containerPointToLatLng([r.right - c.left, r.bottom - c.top]);
      out.push({ lon: nw.lng, lat: nw.lat, box: [nw.lng, nw.lat, se.lng, se.lat] });
    });
    B._keepOutSeen = JSON.stringify(out);
    return out;
  }

  /* What happened when, for the benches (bench/briefing.py): the last few steps of a
   * scene change, [name, ms since the epoch]. */
  B._marks = [];
  B.mark = function (name) {
    B._marks.push([name, Date.now()]);
    if (B._marks.length > 64) { B._marks.shift(); }
  };

  /* Labels changed (a group came or went): lay every label out again. A tile render that
   * started earlier would put stale report labels into the new layout, so the relayout
   * waits until no render is in flight; and names tiles asked for meanwhile are not drawn
   * at all (guardRenders), since the relayout draws every tile again. */
  B._relabel = function () {
    if (B._relabelPending) { return; }
    B._relabelPending = true;
    B._labelLayers.forEach(function (layer) { layer._bmDirty = true; });
    setTimeout(function () {
      B._relabelPending = false;
      B.mark("relabel");
      B._current = B._collect();
      B._markReady();
      B._labelLayers.forEach(function (layer) {
        layer._bmDirty = true;
        relayoutWhenIdle(layer);
      });
    }, B._hold ? 0 : RELABEL_DELAY);
  };
  /* A scene's new labels usually come with a flight to its frame (briefmap.focus starts it
   * 80 ms after the groups arrive): wait for it to start, and lay out once it has landed,
   * not once at the old view and again at the new one. Behind the projector's held picture
   * the map jumps to its frame as the groups arrive: no wait. */
  var RELABEL_DELAY = 150;
  B._current = { items: [], obstacles: [], keys: {}, grid: {} };

  /* The largest marker footprint whose disc holds the point at global pixel (x, y), zoom z:
   * a name beside that point starts outside it. */
  function footprintAt(x, y, z) {
    var size = 256 * Math.pow(2, z), lon = x / size * 360 - 180;
    var lat = Math.atan(Math.sinh(Math.PI * (1 - 2 * y / size))) * 180 / Math.PI;
    var best = 0, cx = Math.floor(lon * 10), cy = Math.floor(lat * 10);
    for (var dx = -1; dx <= 1; dx++) {
      for (var dy = -1; dy <= 1; dy++) {
        (B._current.grid[(cx + dx) + "|" + (cy + dy)] || []).forEach(function (o) {
          var p = worldPx(o.lon, o.lat, z);
          if (Math.hypot(p[0] * 256 - x, p[1] * 256 - y) <= o.r) { best = Math.max(best, o.r); }
        });
      }
    }
    return best;
  }

  function relayoutWhenIdle(layer) {
    if (!layer._map || !layer._bmDirty || layer._bmBusy > 0 || layer._bmMoving ||
        B._relabelPending) { return; }
    layer._bmDirty = false;
    B.mark("relayout");
    layer.views.get(FEATURES).tileCache.cache.clear();
    layer.clearLayout();
    layer.rerenderTiles();
  }

  /* Count the renders in flight (a relayout waits for them), and finish every tile:
   * protomaps-leaflet drops a tile's render without telling Leaflet when the zoom moved on
   * meanwhile, and Leaflet then waits for that tile forever (no "load", no pruning, a blank
   * square). A dropped tile is drawn again if it is still wanted, else released. */
  function guardRenders(layer) {
    var render = layer.renderTile.bind(layer);
    layer._bmBusy = 0;
    layer.renderTile = function (coords, element, key, done, tries) {
      if (layer._bmDirty && B._labelLayers.indexOf(layer) >= 0) {
        /* names about to be laid out again: the relayout draws this tile. Leaflet must
         * hear `done` after createTile has returned (it registers the tile then). */
        return Promise.resolve().then(function () { if (done) { done(); } });
      }
      var finished = false;
      layer._bmBusy += 1;
      return render(coords, element, key, function () { finished = true; if (done) { done(); } })
        .finally(function () {
          layer._bmBusy -= 1;
          if (!finished && done && element.key === key) {
            var map = layer._map, wanted = map && coords.z === Math.round(map.getZoom());
            if (wanted && (tries || 0) < 3) {
              setTimeout(function () {
                layer.renderTile(coords, element, key, done, (tries || 0) + 1);
              }, 0);
            } else {
              done();
            }
          }
          relayoutWhenIdle(layer);
        });
    };
  }

  /* The first tiles wait (briefly) for the report labels, so they are laid out once. */
  var readyResolve;
  B._labelsReady = new Promise(function (resolve) { readyResolve = resolve; });
  B._markReady = function () { if (readyResolve) { readyResolve(); readyResolve = null; } };
  setTimeout(function () { B._markReady(); }, 800);

  /* How far past its tile's edge a label may reach (px): a long name beside a point. */
  var OBSTACLE_REACH = 512;

  /* The in-memory tile source of report labels and marker footprints. */
  function FeatureSource() {}
  FeatureSource.prototype.get = function (c, size) {
    var self = this;
    return B._labelsReady.then(function () { return self.tiles(c, size); });
  };
  FeatureSource.prototype.tiles = function (c, size) {
    var labels = [], markers = [], keepouts = [];
    var local = function (lon, lat) {
      var p = worldPx(lon, lat, c.z);
      return new Pt((p[0] - c.x) * size, (p[1] - c.y) * size);
    };
    /* a label's anchor, then its other anchors (briefmap._sym.Anchors tries them), which
     * may lie in other tiles: the tile of the first anchor lays the label out */
    var add = function (list, props, lon, lat) {
      var a = local(lon, lat), x = a.x, y = a.y;
      if (x < 0 || y < 0 || x >= size || y >= size) { return; }
      var geom = [[a]].concat((props.alt || []).map(function (q) {
        return [local(q[0], q[1])];
      }));
      list.push({ props: props, geomType: 1, geom: geom, numVertices: geom.length,
        bbox: { minX: x, minY: y, maxX: x, maxY: y } });
    };
    /* a marker's footprint in every tile it is near, not only its own: a label laid out
     * from one tile may reach into the next, and a footprint indexed only when that tile
     * arrives later would push the label out again (the labeller lays tiles out as they
     * come, so whether a name showed depended on the order tiles loaded in) */
    var near = function (o) {
      var a = local(o.lon, o.lat), m = OBSTACLE_REACH + (o.r || 0), b = a;
      if (o.box) { b = local(o.box[2], o.box[3]); }  /* an overlay's box: two corners */
      if (b.x < -m || b.y < -m || a.x >= size + m || a.y >= size + m) { return; }
      (o.box ? keepouts : markers).push({ props: o, geomType: 1, geom: o.box ? [[a], [b]] : [[a]],
        numVertices: o.box ? 2 : 1, bbox: { minX: a.x, minY: a.y, maxX: b.x, maxY: b.y } });
    };
    B._current.items.forEach(function (it) { add(labels, it, it.lon, it.lat); });
    B._current.obstacles.forEach(near);
    return new Map([["labels", labels], ["markers", markers], ["keepouts", keepouts]]);
  };

  /* Tiles held in the page (offline exports): {"z/x/y": base64 MVT}. */
  B.memoryTiles = function (tiles) {
    return {
      getZxy: function (z, x, y) {
        var b64 = tiles[z + "/" + x + "/" + y];
        if (!b64) { return Promise.resolve(undefined); }
        var bin = atob(b64), bytes = new Uint8Array(bin.length);
        for (var i = 0; i < bin.length; i++) { bytes[i] = bin.charCodeAt(i); }
        return Promise.resolve({ data: bytes.buffer });
      }
    };
  };

  /* Every label the labeller has placed and that shows in the map now, in container pixels:
   * [{text, priority, size, kind, box: [x0, y0, x1, y1]}]. Used by the tests; handy in a
   * console. Marker footprints (no text) are left out. */
  B.placedLabels = function (map) {
    /* labels are placed per whole zoom (the tiles'); the map may sit between two */
    var layer = map._bmBasemap, z = Math.round(map.getZoom()), out = [];
    var index = layer && layer.labelers.getIndex(z);
    if (!index) { return out; }
    var size = map.getSize(), seen = new Set();
    var toContainer = function (x, y) {
      return map.latLngToContainerPoint(map.unproject(L.point(x, y), z));
    };
    index.current.forEach(function (labels) {
      labels.forEach(function (label) {
        var info = meta.get(label.draw);
        if (!info || seen.has(label)) { return; }
        seen.add(label);
        label.bboxes.forEach(function (b) {
          var a = toContainer(b.minX, b.minY), c = toContainer(b.maxX, b.maxY);
          if (c.x < 0 || c.y < 0 || a.x > size.x || a.y > size.y) { return; }
          out.push({ text: info.text, priority: info.priority, size: info.size,
            kind: info.kind, box: [a.x, a.y, c.x, c.y] });
        });
      });
    });
    return out;
  };

  B._lab = { Pt: Pt, worldPx: worldPx, footprintAt: footprintAt, meta: meta,
    relayoutWhenIdle: relayoutWhenIdle, guardRenders: guardRenders,
    FeatureSource: FeatureSource, FEATURES: FEATURES, TILE: TILE };
})();
