/* The tile schemas briefmap draws, as the browser reads them (the Python half, with detection,
 * is layers/tiles/schemas/; the tables each mapping reads come from there in the spec, so the
 * two halves agree). Part 3 of 4 of the basemap (after briefmap-labels.js and
 * briefmap-symbols.js, before briefmap-basemap.js).
 *
 * Our style (briefmap-basemap.js) is written for the Protomaps v4 layers and attributes. Each
 * other vector schema is a mapping from its tile's layers to those: a function of
 * (Map layer -> features, tables) returning the same kind of Map. A raster archive is drawn
 * by `rasterLayer`: its images, read from the same PMTiles archive (or the tiles embedded in
 * an offline page), decoded in the page and painted on canvas tiles.
 *
 * A new schema: one module in layers/tiles/schemas/ and, at most, one entry in SCHEMAS here.
 */
(function () {
  "use strict";
  var B = (window.briefmap = window.briefmap || {});
  var P = window.protomapsL;

  function withProps(f, props) {
    return { props: props, geomType: f.geomType, geom: f.geom, numVertices: f.numVertices,
      bbox: f.bbox };
  }
  function add(out, layer, f) {
    if (!out.has(layer)) { out.set(layer, []); }
    out.get(layer).push(f);
  }

  /* ---- Protomaps v3: `pmap:` attributes read under their v4 names ---- */
  function protomapsV3(layers, t) {
    var out = new Map();
    var v4 = function (props) {
      var p = Object.assign({}, props);
      Object.keys(t.renamed).forEach(function (old) {
        if (old in props && !(t.renamed[old] in props)) { p[t.renamed[old]] = props[old]; }
      });
      if (t.roads[p.kind]) { p.kind = t.roads[p.kind]; }
      return p;
    };
    layers.forEach(function (features, name) {
      features.forEach(function (f) {
        var p = v4(f.props);
        if (name === "boundaries" && p["pmap:min_admin_level"] !== undefined) {
          p.kind_detail = p["pmap:min_admin_level"];
        }
        if (name === "natural") { add(out, "landuse", withProps(f, p)); return; }
        if (name === "physical_line") { add(out, "water", withProps(f, p)); return; }
        if (name === "physical_point") {
          if (t.water_points.indexOf(p.kind) >= 0) { add(out, "water", withProps(f, p)); }
          return;
        }
        add(out, name, withProps(f, p));
      });
    });
    return out;
  }

  /* ---- OpenMapTiles: its layers and `class` values onto ours ---- */
  function omtNames(props) {
    var en = props["name:en"] || props.name_en || props["name:latin"];
    var p = { name: props.name || en || "" };
    if (en) { p["name:en"] = en; }
    if (props["name:ar"]) { p["name:ar"] = props["name:ar"]; }
    return p;
  }
  function omtPlace(props, t) {  /* as openmaptiles.place() in Python */
    var cls = props["class"];
    if (cls === "country") {
      return Object.assign(omtNames(props), { kind: "country", min_zoom: t.zooms.country });
    }
    if (t.localities.indexOf(cls) < 0) { return null; }
    var p = Object.assign(omtNames(props), { kind: "locality",
      min_zoom: t.place_zoom[cls] !== undefined ? t.place_zoom[cls] : t.zooms.other });
    if (props.capital === 2) {
      p.capital = "yes"; p.min_zoom = t.zooms.capital;
    } else if (props.capital === 3 || props.capital === 4) {
      p.region_capital = "yes"; p.min_zoom = Math.min(p.min_zoom, t.zooms.region_capital);
    }
    if (typeof props.rank === "number") { p.population = -props.rank; }
    return p;
  }
  function openMapTiles(layers, t) {
    var out = new Map();
    var each = function (name, fn) { (layers.get(name) || []).forEach(fn); };
    var kinded = function (name, table, target) {
      each(name, function (f) {
        var kind = table[f.props["class"]];
        if (kind) { add(out, target, withProps(f, { kind: kind })); }
      });
    };
    each("water", function (f) { add(out, "water", withProps(f, { kind: f.props["class"] })); });
    each("waterway", function (f) {
      add(out, "water", withProps(f, Object.assign(omtNames(f.props),
        { kind: f.props["class"] })));
    });
    kinded("landcover", t.landcover, "landuse");
    kinded("landuse", t.landuse, "landuse");
    each("park", function (f) { add(out, "landuse", withProps(f, { kind: "park" })); });
    kinded("transportation", t.roads, "roads");
    each("boundary", function (f) {
      if (f.props.maritime === 1 || f.props.maritime === true) { return; }
      add(out, "boundaries", withProps(f, { kind_detail: f.props.admin_level || 4 }));
    });
    each("building", function (f) { add(out, "buildings", withProps(f, { kind: "building" })); });
    each("place", function (f) {
      var p = omtPlace(f.props, t);
      if (p) { add(out, "places", withProps(f, p)); }
    });
    each("water_name", function (f) {
      add(out, "water", withProps(f, Object.assign(omtNames(f.props),
        { kind: f.props["class"] || "lake", min_zoom: 5 })));
    });
    return out;
  }

  /* name -> {map: the mapping (none: read as it is), land: the colour under everything
   * (OpenMapTiles has no land layer: its land is what its water leaves)} */
  var SCHEMAS = {
    "protomaps-v4": { map: null, land: false },
    "protomaps-v3": { map: protomapsV3, land: false },
    "openmaptiles": { map: openMapTiles, land: true }
  };
  B.schema = function (name) { return SCHEMAS[name] || SCHEMAS["protomaps-v4"]; };

  /* A tile source that hands protomaps-leaflet the tiles of `url` (a .pmtiles URL or
   * memoryTiles) mapped onto our layers. */
  function MappedSource(url, schema, tables) {
    this.inner = new P.PmtilesSource(url, true);
    this.schema = schema;
    this.tables = tables || {};
  }
  MappedSource.prototype.get = function (c, size) {
    var self = this;
    return this.inner.get(c, size).then(function (layers) {
      return self.schema.map ? self.schema.map(layers, self.tables) : layers;
    });
  };

  /* The views (one tile source, as protomaps-leaflet builds from `url`) of a vector archive
   * in any schema we read; tiles of 512 px, as the archive's own. */
  B.schemaViews = function (src, url) {
    var schema = B.schema(src.schema);
    var cache = new P.TileCache(new MappedSource(url, schema, src.mapping), 512);
    return new Map([["", new P.View(cache, src.max_zoom, 1)]]);
  };

  /* ---- raster archives ---- */
  function bytesOf(url) {  /* the PMTiles reader, or the offline page's memory tiles */
    return typeof url === "string" ? new P.PmtilesSource(url, false).p : url;
  }
  var MEDIA = { png: "image/png", jpeg: "image/jpeg", webp: "image/webp" };

  /* A Leaflet layer of the archive's images, over-zoomed past its deepest zoom (the image of
   * the ancestor tile, cut and scaled), on canvas: no URL is ever handed to the page. */
  B.rasterLayer = function (src, url, options) {
    var reader = bytesOf(url), type = MEDIA[src.tile_format] || "image/png";
    var Layer = L.GridLayer.extend({
      createTile: function (coords, done) {
        var tile = L.DomUtil.create("canvas", "leaflet-tile bm-raster-tile");
        var size = this.getTileSize();
        tile.width = size.x; tile.height = size.y;
        var dz = Math.max(0, coords.z - src.max_zoom), k = 1 << dz;
        var x = coords.x >> dz, y = coords.y >> dz;
        reader.getZxy(coords.z - dz, x, y).then(function (found) {
          if (!found) { done(null, tile); return null; }
          return createImageBitmap(new Blob([found.data], { type: type })).then(function (img) {
            var part = img.width / k, sx = (coords.x - x * k) * part, sy = (coords.y - y * k) * part;
            tile.getContext("2d").drawImage(img, sx, sy, part, part, 0, 0, size.x, size.y);
            tile.setAttribute("data-bm-tile", [coords.z - dz, x, y].join("/"));
            done(null, tile);
          });
        }).catch(function (err) { done(err, tile); });
        return tile;
      }
    });
    return new Layer(options);
  };
})();
