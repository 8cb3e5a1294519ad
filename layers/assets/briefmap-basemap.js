/* briefmap's vector-tile basemap and its labels, drawn by protomaps-leaflet (vendored).
 *
 * One labeller places every label on the map: protomaps-leaflet's collision-aware one. Its
 * rules run in priority order (layers/render/labels.py): marker footprints (never covered),
 * what the scene highlights, report features, then the basemap's capitals, towns, water and
 * countries. Report labels come from Python (briefmap.featureLabels, one set per feature
 * group) through an in-memory tile source, so they take part in the same collision index.
 * Text is drawn on canvas (never parsed as HTML); the attribution arrives escaped.
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
    obstacles.forEach(function (o) {
      var k = Math.floor(o.lon * 10) + "|" + Math.floor(o.lat * 10);
      (grid[k] = grid[k] || []).push(o);
    });
    return { items: items, obstacles: obstacles, keys: keys, grid: grid };
  };

  /* Labels changed (a group came or went): lay every label out again. A tile render that
   * started earlier would put stale report labels into the new layout, so the relayout
   * waits until no render is in flight. */
  B._relabel = function () {
    if (B._relabelPending) { return; }
    B._relabelPending = true;
    setTimeout(function () {
      B._relabelPending = false;
      B._current = B._collect();
      B._markReady();
      B._labelLayers.forEach(function (layer) {
        layer._bmDirty = true;
        relayoutWhenIdle(layer);
      });
    }, RELABEL_DELAY);
  };
  /* A scene's new labels usually come with a flight to its frame (briefmap.focus starts it
   * 80 ms after the groups arrive): wait for it to start, and lay out once it has landed,
   * not once at the old view and again at the new one. */
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
    if (!layer._map || !layer._bmDirty || layer._bmBusy > 0 || layer._bmMoving) { return; }
    layer._bmDirty = false;
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

  /* The in-memory tile source of report labels and marker footprints. */
  function FeatureSource() {}
  FeatureSource.prototype.get = function (c, size) {
    var self = this;
    return B._labelsReady.then(function () { return self.tiles(c, size); });
  };
  FeatureSource.prototype.tiles = function (c, size) {
    var labels = [], markers = [];
    var add = function (list, props, lon, lat) {
      var p = worldPx(lon, lat, c.z), x = (p[0] - c.x) * size, y = (p[1] - c.y) * size;
      if (x < 0 || y < 0 || x >= size || y >= size) { return; }
      list.push({ props: props, geomType: 1, geom: [[new Pt(x, y)]], numVertices: 1,
        bbox: { minX: x, minY: y, maxX: x, maxY: y } });
    };
    B._current.items.forEach(function (it) { add(labels, it, it.lon, it.lat); });
    B._current.obstacles.forEach(function (o) { add(markers, o, o.lon, o.lat); });
    return new Map([["labels", labels], ["markers", markers]]);
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

  /* ---- symbolizers built from protomaps-leaflet's own ---- */
  var meta = new WeakMap();  /* draw function -> {text, priority, size}, for placedLabels */

  /* The first of several placements that fits (each an OffsetTextSymbolizer that refuses a
   * spot taken by a label of equal or better priority). */
  function FirstFit(list) { this.list = list; }
  FirstFit.prototype.place = function (layout, geom, f) {
    var a = geom[0][0];
    f.props._bm_clear = footprintAt(a.x, a.y, layout.zoom);
    for (var i = 0; i < this.list.length; i++) {
      var placed = this.list[i].place(layout, geom, f);
      if (placed) { return placed; }
    }
    return undefined;
  };

  /* A symbolizer whose spot is refused when a label of equal or better priority holds it
   * (so FirstFit can try the next). */
  function Checked(inner) { this.inner = inner; }
  Checked.prototype.place = function (layout, geom, f) {
    var placed = this.inner.place(layout, geom, f);
    if (!placed || layout.index.labelCollides(placed[0], layout.order)) { return undefined; }
    return placed;
  };

  /* Records what each placed label says, for tests and for briefmap.placedLabels. */
  function Tagged(inner, priority, size) { this.inner = inner; this.priority = priority; this.size = size; }
  Tagged.prototype.place = function (layout, geom, f) {
    var placed = this.inner.place(layout, geom, f);
    var self = this;
    (placed || []).forEach(function (label) {
      /* the same name from a neighbouring tile's buffer is one label, not two */
      if (!label.deduplicationKey) {
        label.deduplicationKey = f.props._bm_text;
        label.deduplicationDistance = 24;
      }
      meta.set(label.draw, { text: f.props._bm_text, priority: self.priority,
        size: self.size, kind: f.props.kind || f.props.shape || "" });
    });
    return placed;
  };

  /* A footprint that takes part in collisions and draws nothing: a marker's disc. */
  function Obstacle() {}
  Obstacle.prototype.place = function (layout, geom, f) {
    var a = geom[0][0], r = f.props.r || 8;
    return [{ anchor: a, bboxes: [{ minX: a.x - r, minY: a.y - r, maxX: a.x + r, maxY: a.y + r }],
      draw: function () {} }];
  };

  /* A town's dot and its name, placed by the name's box alone: the dot may sit under a
   * report marker at the same place (al-Hol, the camp and the town) without losing the name. */
  function Dotted(dot, text) { this.dot = dot; this.text = text; }
  Dotted.prototype.place = function (layout, geom, f) {
    var placed = this.text.place(layout, geom, f);
    if (!placed) { return undefined; }
    var dot = this.dot.place(layout, geom, f), label = placed[0];
    return [{ anchor: label.anchor, bboxes: label.bboxes, draw: function (ctx) {
      dot[0].draw(ctx); label.draw(ctx); } }];
  };

  var PLACEMENTS = [["E", 1, 0], ["W", -1, 0], ["NE", 0.75, -0.75], ["SE", 0.75, 0.75],
    ["NW", -0.75, -0.75], ["SW", -0.75, 0.75], ["N", 0, -1], ["S", 0, 1]];

  function textOptions(st, family) {
    return { labelProps: ["_bm_text"], fill: st.colour, stroke: st.halo, width: st.halo_width,
      font: st.weight + " " + st.size + "px " + family, lineHeight: 1.1,
      letterSpacing: st.letter_spacing || 0, maxLineChars: 24,
      textTransform: st.uppercase ? "uppercase" : undefined };
  }

  /* Text beside a point, `gap` px from it, in the first of eight positions that is free. */
  function besidePoint(st, family, gap, dot) {
    return new FirstFit(PLACEMENTS.map(function (pl) {
      var opts = textOptions(st, family);
      var away = function (f) { return Math.max(gap(f), (f.props._bm_clear || 0) + 3); };
      opts.offsetX = function (z, f) { return pl[1] * away(f); };
      opts.offsetY = function (z, f) { return pl[2] * away(f); };
      opts.placements = [P.TextPlacements[pl[0] === "NE" ? "Ne" : pl[0] === "SE" ? "Se" :
        pl[0] === "NW" ? "Nw" : pl[0] === "SW" ? "Sw" : pl[0]]];
      var text = new P.OffsetTextSymbolizer(opts);
      return dot ? new Dotted(dot, text) : text;
    }));
  }

  /* ---- names: the alias table's spelling, then the UI language, then English ---- */
  function fold(s) {
    return (s || "").normalize("NFKD").replace(/[\u0300-\u036f\u064b-\u065f\u0670\u0640]/g, "")
      .replace(/[أإآٱ]/g, "ا").replace(/ى/g, "ي").toLowerCase()
      .replace(/[\s\-_'’‘`ʿʾ".,()]+/g, " ").trim();
  }

  function aliasIndex(aliases) {
    var byKey = {}, byName = {};
    (aliases || []).forEach(function (a) {
      byKey[a.key] = a;
      a.match.forEach(function (m) { byName[m] = a; });
    });
    return function (props) {
      if (props.bm_key && byKey[props.bm_key]) { return byKey[props.bm_key]; }
      return byName[fold(props["name:en"])] || byName[fold(props.name)] ||
        byName[fold(props["name:ar"])] || null;
    };
  }

  function basemapText(props, lang, alias) {
    if (alias) { return lang === "ar" ? alias.ar : alias.en; }
    if (lang === "ar" && props["name:ar"]) { return props["name:ar"]; }
    return props["name:en"] || props.name || "";
  }

  /* ---- the style: paint rules and label rules ---- */
  function stops(list) { return P.linear(list); }

  function paintRules(s) {
    var kind = function (f) { return f.props.kind; };
    var roads = function (k, colour) {
      return { dataLayer: "roads", symbolizer: new P.LineSymbolizer({ color: colour,
        width: stops(s.road_width) }), filter: function (z, f) { return kind(f) === k; } };
    };
    return [
      { dataLayer: "earth", symbolizer: new P.PolygonSymbolizer({ fill: s.earth }) },
      { dataLayer: "landuse", symbolizer: new P.PolygonSymbolizer({ fill: s.park }),
        filter: function (z, f) { return ["park", "national_park", "forest", "wood",
          "nature_reserve", "grass"].indexOf(kind(f)) >= 0; } },
      { dataLayer: "landuse", symbolizer: new P.PolygonSymbolizer({ fill: s.urban }),
        filter: function (z, f) { return ["residential", "industrial", "urban_area"]
          .indexOf(kind(f)) >= 0; } },
      { dataLayer: "water", symbolizer: new P.PolygonSymbolizer({ fill: s.water }),
        filter: function (z, f) { return f.geomType === P.GeomType.Polygon; } },
      { dataLayer: "water", symbolizer: new P.LineSymbolizer({ color: s.river,
        width: stops(s.river_width) }),
        filter: function (z, f) { return f.geomType === P.GeomType.Line; } },
      { dataLayer: "buildings", minzoom: 14,
        symbolizer: new P.PolygonSymbolizer({ fill: s.buildings }) },
      { dataLayer: "boundaries", symbolizer: new P.LineSymbolizer({ color: s.region_border,
        width: s.region_border_width, dash: s.region_border_dash, dashColor: s.region_border }),
        filter: function (z, f) { return (f.props.kind_detail || 4) > 2; } },
      roads("minor_road", s.minor_road), roads("major_road", s.major_road),
      roads("highway", s.highway),
      { dataLayer: "boundaries", symbolizer: new P.LineSymbolizer({ color: s.country_border,
        width: s.country_border_width }),
        filter: function (z, f) { return (f.props.kind_detail || 4) <= 2; } }
    ];
  }

  function labelRules(spec) {
    var lang = spec.lang, st = spec.labels, fam = spec.paint.font_family;
    var alias = aliasIndex(spec.aliases);
    /* A basemap label: named in the UI language (alias spelling first), and left out when a
     * report feature labels the same place. */
    var named = function (test) {
      return function (z, f) {
        if (!test(z, f)) { return false; }
        var a = alias(f.props);
        if (a && B._current.keys[a.key]) { return false; }
        f.props._bm_text = basemapText(f.props, lang, a);
        return !!f.props._bm_text;
      };
    };
    var shown = function (f) { return (f.props.min_zoom || 0) + 1; };
    var isCapital = function (f) {
      return f.props.capital === "yes" || f.props.region_capital === "yes";
    };
    var dot = function (colour, r) {
      return new P.CircleSymbolizer({ radius: r, fill: colour, stroke: "#ffffff", width: 1.2 });
    };
    var report = function (priority) {
      return function (z, f) {
        if (f.props.priority !== priority || z < f.props.min_zoom) { return false; }
        f.props._bm_text = f.props.text;
        return true;
      };
    };
    var centred = function (s) {
      return new P.CenteredTextSymbolizer(textOptions(s, fam));
    };
    /* points: beside the marker; lines: beside their middle; areas: inside, else beside */
    var reportSym = function (s) {
      var point = besidePoint(s, fam, function (f) { return (f.props.r || 4) + 3; });
      var line = new FirstFit([besidePoint(s, fam, function () { return 8; }),
        besidePoint(s, fam, function () { return 40; })]);
      var area = new FirstFit([new Checked(centred(s)), line]);
      return { place: function (layout, geom, f) {
        var sym = f.props.shape === "point" ? point : f.props.shape === "line" ? line : area;
        return sym.place(layout, geom, f);
      } };
    };
    var bySize = function (a, b) {
      return (a.min_zoom || 0) - (b.min_zoom || 0) || (b.population || 0) - (a.population || 0);
    };
    var town = function (s, colour, r) {
      return besidePoint(s, fam, function () { return r + 3; }, dot(colour, r));
    };
    var reportPlace = function (want) {  /* a town the reports name (alias table) */
      return function (z, f) { return f.props.kind === "locality" && z >= shown(f) &&
        !!alias(f.props) === want; };
    };
    return [
      { dataSource: FEATURES, dataLayer: "markers", symbolizer: new Obstacle() },
      { dataSource: FEATURES, dataLayer: "labels", filter: report(0),
        symbolizer: new Tagged(reportSym(st.HIGHLIGHT), 0, st.HIGHLIGHT.size) },
      { dataLayer: "places", filter: named(reportPlace(true)),
        symbolizer: new Tagged(town(st.CAPITAL, spec.paint.town_dot, 3), 1, st.CAPITAL.size) },
      { dataSource: FEATURES, dataLayer: "labels", filter: report(1),
        symbolizer: new Tagged(reportSym(st.FEATURE), 1, st.FEATURE.size) },
      { dataLayer: "places", sort: bySize,
        filter: named(function (z, f) { return reportPlace(false)(z, f) && isCapital(f); }),
        symbolizer: new Tagged(town(st.CAPITAL, spec.paint.town_dot, 3), 2, st.CAPITAL.size) },
      { dataLayer: "places", sort: bySize,
        filter: named(function (z, f) { return reportPlace(false)(z, f) && !isCapital(f); }),
        symbolizer: new Tagged(town(st.TOWN, spec.paint.town_dot, 2), 3, st.TOWN.size) },
      { dataLayer: "water",
        filter: named(function (z, f) {
          return f.geomType === P.GeomType.Line && f.props.kind === "river" && z >= 6; }),
        symbolizer: new Tagged(new P.LineLabelSymbolizer({ labelProps: ["_bm_text"],
          fill: spec.paint.river, stroke: "#ffffff", width: 2,
          font: "italic 400 " + st.TOWN.size + "px " + fam }), 3, st.TOWN.size) },
      { dataLayer: "water",
        filter: named(function (z, f) {
          return f.geomType === P.GeomType.Point && z >= shown(f); }),
        symbolizer: new Tagged(centred(st.TOWN), 3, st.TOWN.size) },
      { dataLayer: "places",
        filter: named(function (z, f) { return f.props.kind === "country" && z >= shown(f); }),
        symbolizer: new Tagged(centred(st.COUNTRY), 4, st.COUNTRY.size) }
    ];
  }

  /* ---- the layer ---- */
  B.vectorBasemap = function (map, spec) {
    if (B.panes) { B.panes(map); }
    if (spec.mode === "projector") { L.DomUtil.addClass(map.getContainer(), "bm-projector"); }
    var src = spec.source;
    var url = src.tiles ? B.memoryTiles(src.tiles) : src.url;
    var fontReady = document.fonts && document.fonts.load
      ? document.fonts.load("400 16px bm-arabic", "\u0639\u0631\u0628\u064a") : Promise.resolve();
    /* Two layers share one set of tiles: the land, water, roads and borders beneath the
     * report layers, and every label in a pane above them, so no report line is drawn
     * across a name (labels keep clear of markers by the labeller's own rules). */
    var base = P.leafletLayer({
      url: url,
      maxDataZoom: src.max_zoom,
      paintRules: paintRules(spec.paint),
      labelRules: [],
      backgroundColor: spec.paint.sea,
      attribution: src.attribution,
      lang: spec.lang,
      pane: "tilePane"
    });
    if (!map.getPane("bm-names")) {
      var pane = map.createPane("bm-names");
      pane.style.zIndex = 460;
      pane.style.pointerEvents = "none";
    }
    var names = P.leafletLayer({
      url: url,
      maxDataZoom: src.max_zoom,
      paintRules: [],
      labelRules: labelRules(spec),
      attribution: "",  /* credited once, by the base layer */
      lang: spec.lang,
      tasks: [fontReady],
      pane: "bm-names"
    });
    /* the same tile views (fetched and decoded once), plus the report labels' source: the
     * land does not wait for the labels */
    names.views = new Map(base.views);
    names.views.set(FEATURES, new P.View(new P.TileCache(new FeatureSource(), TILE), 24, 1));
    guardRenders(base);
    guardRenders(names);
    map.on("movestart", function () { names._bmMoving = true; });
    map.on("moveend", function () { names._bmMoving = false; relayoutWhenIdle(names); });
    B._labelLayers.push(names);
    map._bmBasemap = names;
    base.on("load", function () {
      map.getContainer().setAttribute("data-basemap", "ready");
      map.fire("briefmap:basemap");
    });
    base.addTo(map);
    names.addTo(map);
    B._relabel();
    return base;
  };

  /* Every label the labeller has placed and that shows in the map now, in container pixels:
   * [{text, priority, size, kind, box: [x0, y0, x1, y1]}]. Used by the tests; handy in a
   * console. Marker footprints (no text) are left out. */
  B.placedLabels = function (map) {
    var layer = map._bmBasemap, z = map.getZoom(), out = [];
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
})();
