/* briefmap's labels on the vector basemap, part 2 of 3: symbolizers built from
 * protomaps-leaflet's own (the first free of eight places beside a point, a footprint that
 * takes part in collisions and draws nothing, a town's dot with its name, records of what
 * each label says) and the choice of a basemap name: the alias table's spelling, then the UI
 * language, then English. Text is drawn on canvas, never parsed as HTML.
 */
(function () {
  "use strict";
  var B = (window.briefmap = window.briefmap || {});
  var P = window.protomapsL;
  var footprintAt = B._lab.footprintAt, meta = B._lab.meta;

  /* ---- symbolizers built from protomaps-leaflet's own ---- */

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

  B._sym = { FirstFit: FirstFit, Checked: Checked, Tagged: Tagged, Obstacle: Obstacle,
    besidePoint: besidePoint, textOptions: textOptions, aliasIndex: aliasIndex,
    basemapText: basemapText };
})();
