/* briefmap's vector-tile basemap and its labels, drawn by protomaps-leaflet (vendored); part 4
 * of 4 (after briefmap-labels.js, briefmap-symbols.js and briefmap-schemas.js, which maps
 * the other schemas onto the Protomaps v4 layers this style reads, and draws raster tiles).
 *
 * One labeller places every label on the map: protomaps-leaflet's collision-aware one. Its
 * rules run in priority order (layers/render/labels.py): marker footprints (never covered),
 * what the scene highlights, report features, then the basemap's capitals, towns, water and
 * countries; within each of the first two, the names of places come before the names of
 * lines and areas, which can sit anywhere along them while a capital's name has only the
 * spots beside it. Report labels come from Python (briefmap.featureLabels, one set per feature
 * group) through an in-memory tile source, so they take part in the same collision index.
 * Text is drawn on canvas (never parsed as HTML); the attribution arrives escaped.
 */
(function () {
  "use strict";
  var B = (window.briefmap = window.briefmap || {});
  var P = window.protomapsL;
  var lab = B._lab, sym = B._sym;
  var FEATURES = lab.FEATURES, TILE = lab.TILE, FeatureSource = lab.FeatureSource;
  var guardRenders = lab.guardRenders, relayoutWhenIdle = lab.relayoutWhenIdle;
  var FirstFit = sym.FirstFit, Checked = sym.Checked, Anchors = sym.Anchors, Tagged = sym.Tagged, Obstacle = sym.Obstacle;
  var besidePoint = sym.besidePoint;
  /* an area name's line length when the wide form does not fit (characters) */
  var NARROW_CHARS = 12;
  var aliasIndex = sym.aliasIndex, basemapText = sym.basemapText;

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
    /* on the projector (larger type, a room reading from afar) governorate seats and other
     * towns come a zoom later; national capitals and the places the reports name do not */
    var later = spec.mode === "projector" ? 1 : 0;
    /* capitals, governorate seats and major cities (by population, never a city's
     * section: layers/tiles/towns.py) share the capitals' style and priority */
    var isCapital = function (f) {
      return f.props.capital === "yes" || f.props.region_capital === "yes" ||
        f.props.major === "yes";
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
    var centred = function (s, chars) { return sym.centredText(s, fam, chars); };
    /* points: beside the marker; lines: beside their middle; areas: inside, else beside */
    var reportSym = function (s) {
      var point = besidePoint(s, fam, function (f) { return (f.props.r || 4) + 3; });
      var line = new FirstFit([new Anchors(besidePoint(s, fam, function () { return 8; })),
        new Anchors(besidePoint(s, fam, function () { return 40; }))]);
      /* an area's name inside it, wrapped narrower if it would cross a highlight's
       * outline, else beside its middle; a long name in a thin area last of all in
       * short lines further out (a border strip in scene 10) */
      var narrow = function (d) {
        return besidePoint(s, fam, function () { return d; }, undefined, NARROW_CHARS);
      };
      var area = new FirstFit([new Anchors(new Checked(centred(s))),
        new Anchors(new Checked(centred(s, NARROW_CHARS))), line,
        new Anchors(narrow(8)), new Anchors(narrow(40)), new Anchors(narrow(80))]);
      return { place: function (layout, geom, f) {
        var sym = f.props.shape === "point" ? point : f.props.shape === "line" ? line : area;
        return sym.place(layout, geom, f);
      } };
    };
    /* within a priority, a place's name is placed before a line's or an area's: a route's
     * name can sit anywhere along it, a capital's only beside it (Baghdad in scene 4) */
    var placesFirst = function (a, b) {
      return (a.shape === "point" ? 0 : 1) - (b.shape === "point" ? 0 : 1) ||
        (a.min_zoom || 0) - (b.min_zoom || 0);
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
      /* overlays first: a marker's footprint there would refuse the overlay's box */
      { dataSource: FEATURES, dataLayer: "keepouts", symbolizer: new Obstacle() },
      { dataSource: FEATURES, dataLayer: "markers", symbolizer: new Obstacle() },
      { dataSource: FEATURES, dataLayer: "labels", filter: report(0), sort: placesFirst,
        symbolizer: new Tagged(reportSym(st.HIGHLIGHT), 0, st.HIGHLIGHT.size) },
      { dataLayer: "places", filter: named(reportPlace(true)),
        symbolizer: new Tagged(town(st.CAPITAL, spec.paint.town_dot, 3), 1, st.CAPITAL.size) },
      { dataSource: FEATURES, dataLayer: "labels", filter: report(1), sort: placesFirst,
        symbolizer: new Tagged(reportSym(st.FEATURE), 1, st.FEATURE.size) },
      { dataLayer: "places", sort: bySize,
        filter: named(function (z, f) {
          return reportPlace(false)(z, f) && isCapital(f) &&
            (f.props.capital === "yes" || z >= shown(f) + later); }),
        symbolizer: new Tagged(town(st.CAPITAL, spec.paint.town_dot, 3), 2, st.CAPITAL.size) },
      { dataLayer: "places", sort: bySize,
        filter: named(function (z, f) {
          return reportPlace(false)(z, f) && !isCapital(f) && z >= shown(f) + later; }),
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

  /* ---- Leaflet's own controls in the page's language ---- */

  /* A metric scale bar whose units are the page's («20 كم» on an Arabic map, written right
   * to left), and the zoom buttons' titles. `words`: {km, m, zoom_in, zoom_out, lang}. */
  B.localControls = function (map, words) {
    var Scale = L.Control.Scale.extend({
      _updateMetric: function (maxMeters) {
        var meters = this._getRoundNum(maxMeters);
        var text = meters < 1000 ? meters + " " + words.m : (meters / 1000) + " " + words.km;
        this._mScale.textContent = text;
        this._mScale.style.width = Math.round(this.options.maxWidth * meters / maxMeters) + "px";
      }
    });
    var scale = new Scale({ imperial: false, maxWidth: 160 }).addTo(map);
    var rtl = words.lang === "ar";
    scale.getContainer().setAttribute("lang", words.lang);
    scale.getContainer().setAttribute("dir", rtl ? "rtl" : "ltr");
    var zoom = map.zoomControl;
    if (zoom && zoom._zoomInButton) {
      [[zoom._zoomInButton, words.zoom_in], [zoom._zoomOutButton, words.zoom_out]]
        .forEach(function (pair) {
          pair[0].title = pair[1];
          pair[0].setAttribute("aria-label", pair[1]);
        });
    }
    return scale;
  };

  /* ---- the layer ---- */

  /* protomaps-leaflet keeps the last 64 decoded tiles of a view (hard-coded in its TileCache);
   * a dense tile of a user's archive can be MBs once decoded. (Ours are small: after
   * bench/events.py's ten gestures the cache held 31 tiles, 1.1 MB of heap.) The map
   * shows about 9 data tiles (512 px, one zoom below the display's), and Leaflet keeps the
   * previous zoom's while it animates: DECODED_TILES holds both and a pan's worth around them.
   * The least recently used tile goes first, as the library's own rule. */
  var DECODED_TILES = 24;
  B.boundTileCache = function (views, most) {
    views.forEach(function (view) {
      var cache = view.tileCache && view.tileCache.cache;
      if (!cache || cache.bmMost) { return; }
      var set = cache.set;
      cache.set = function (key, value) {
        set.call(cache, key, value);
        while (cache.size > most) {
          var oldest = Infinity, drop = null;
          cache.forEach(function (entry, k) {
            if (k !== key && entry.used < oldest) { oldest = entry.used; drop = k; }
          });
          if (drop === null) { break; }
          cache.delete(drop);
        }
        return cache;
      };
      cache.bmMost = most;
    });
  };

  B.vectorBasemap = function (map, spec) {
    if (B.panes) { B.panes(map); }
    if (spec.mode === "projector") { L.DomUtil.addClass(map.getContainer(), "bm-projector"); }
    var src = spec.source;
    var url = src.tiles ? B.memoryTiles(src.tiles) : src.url;
    /* both weights of the Arabic face before any label is measured: a label measured in a
     * fallback face and drawn in ours is wider than the box the labeller kept for it */
    var fontReady = document.fonts && document.fonts.load
      ? Promise.all(["400", "700"].map(function (w) {
        return document.fonts.load(w + " 16px bm-arabic", "\u0639\u0631\u0628\u064a");
      })) : Promise.resolve();
    /* Two layers share one set of tiles: the land, water, roads and borders beneath the
     * report layers, and every label in a pane above them, so no report line is drawn
     * across a name (labels keep clear of markers by the labeller's own rules). */
    var raster = src.schema === "raster", schema = B.schema(src.schema);
    var base = raster ? B.rasterLayer(src, url, { attribution: src.attribution,
      maxNativeZoom: 24, pane: "tilePane" }) : P.leafletLayer({
      url: url,
      maxDataZoom: src.max_zoom,
      paintRules: paintRules(spec.paint),
      labelRules: [],
      backgroundColor: schema.land ? spec.paint.earth : spec.paint.sea,
      attribution: src.attribution,
      lang: spec.lang,
      pane: "tilePane"
    });
    if (!raster && schema.map) { base.views = B.schemaViews(src, url); }
    if (!raster) { B.boundTileCache(base.views, DECODED_TILES); }
    if (!map.getPane("bm-names")) {
      var pane = map.createPane("bm-names");
      pane.style.zIndex = 460;
      pane.style.pointerEvents = "none";
    }
    /* a raster archive has no names to read: the report labels alone (their own source) */
    var names = P.leafletLayer({
      url: raster ? undefined : url,
      sources: raster ? {} : undefined,
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
    names.views = new Map(raster ? [] : base.views);
    names.views.set(FEATURES, new P.View(new P.TileCache(new FeatureSource(), TILE), 24, 1));
    if (!raster) { guardRenders(base); }
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
})();
