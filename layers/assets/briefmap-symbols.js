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
  var footprintAt = B._lab.footprintAt, meta = B._lab.meta, Pt = B._lab.Pt;

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

  /* The first of a label's anchors (its own, then the others the feature source adds for
   * lines and areas) where `inner` finds room. */
  function Anchors(inner) { this.inner = inner; }
  Anchors.prototype.place = function (layout, geom, f) {
    for (var i = 0; i < geom.length; i++) {
      var placed = this.inner.place(layout, [geom[i]], f);
      if (placed) { return placed; }
    }
    return undefined;
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

  /* A footprint that takes part in collisions and draws nothing: a marker's disc, or the
   * box an overlay covers. */
  function Obstacle() {}
  Obstacle.prototype.place = function (layout, geom, f) {
    var a = geom[0][0], r = f.props.r || 8;
    if (f.props.box) {  /* an overlay's box (the projector's legend), corner to corner */
      var b = geom[1][0];
      return [{ anchor: a, bboxes: [{ minX: a.x, minY: a.y, maxX: b.x, maxY: b.y }],
        draw: function () {} }];
    }
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

  /* Latin letters, digits, punctuation and spaces only: the scripts whose letters stand
   * apart, so a spaced label may be drawn a letter at a time (protomaps-leaflet does so). */
  var MAX_LINE_CHARS = 24;
  var LATIN_ONLY = /^[\u0000-\u024f\u1e00-\u1eff\u2000-\u206f\u00a0]*$/;
  function latinOnly(text) { return LATIN_ONLY.test(text || ""); }

  /* Letter-spacing for Latin text only: protomaps-leaflet draws a spaced label one letter
   * at a time, which unjoins Arabic and reverses its order («اي روس» for سوريا); any other
   * script is drawn as one shaped string, measured as drawn. */
  function spacing(st) {
    var ls = st.letter_spacing || 0;
    if (!ls) { return 0; }
    return function (z, f) { return latinOnly(f.props._bm_text) ? ls : 0; };
  }

  /* `lineChars`: where long names break (protomaps-leaflet's maxLineChars); an area's
   * name is tried again narrower when the wide one would cross a highlight. */
  function textOptions(st, family, lineChars) {
    return { labelProps: ["_bm_text"], fill: st.colour, stroke: st.halo, width: st.halo_width,
      font: st.weight + " " + st.size + "px " + family, lineHeight: 1.1,
      letterSpacing: spacing(st), maxLineChars: lineChars || MAX_LINE_CHARS,
      textTransform: st.uppercase ? "uppercase" : undefined };
  }

  /* A label's text, measured as one shaped string (spaced only when Latin), its box grown
   * by its halo: the halo is drawn, so two labels whose boxes touch must not have halos
   * that overlap the other's letters. */
  function shapedText(st, opts) {
    return new P.Padding(st.halo_width || 0, new ShapedText(opts));
  }

  /* protomaps-leaflet's line breaking (maxLineChars, at the space nearest the limit). */
  function linebreak(text, max) {
    if (text.length <= max) { return [text]; }
    var t = max - 1, before = text.lastIndexOf(" ", t), after = text.indexOf(" ", t);
    if (before === -1 && after === -1) { return [text]; }
    var cut = after === -1 || (before >= 0 && t - before < after - t) ? before : after;
    return [text.substring(0, cut)].concat(linebreak(text.substring(cut + 1), max));
  }

  /* One line's width as drawn: the shaped string, or (spaced Latin) letter by letter. */
  function lineWidth(ctx, line, ls) {
    if (!ls) { return ctx.measureText(line).width; }
    var w = -ls;
    Array.from(line).forEach(function (c) { w += ctx.measureText(c).width + ls; });
    return w;
  }

  /* protomaps-leaflet's TextSymbolizer (its options and attributes), measured as drawn:
   * every line's width and height, not only those of the line with the most characters (a
   * two-line Arabic label's shorter line by count can be the wider: «مركز تنسيق حدودي» was
   * drawn 23 px past its box), and a spaced line as wide as its letters and spaces. */
  function ShapedText(opts) { this.s = new P.TextSymbolizer(opts); }
  ShapedText.prototype.place = function (layout, geom, f) {
    var s = this.s, z = layout.zoom, text = s.text.get(z, f);
    if (!text) { return undefined; }
    var ctx = layout.scratch, font = s.font.get(z, f), ls = s.letterSpacing.get(z, f);
    ctx.font = font;
    var lines = linebreak(text, s.maxLineCodeUnits.get(z, f)), asc = 0, desc = 0;
    var widths = lines.map(function (line) {
      var m = ctx.measureText(line);
      asc = Math.max(asc, m.actualBoundingBoxAscent);
      desc = Math.max(desc, m.actualBoundingBoxDescent);
      return lineWidth(ctx, line, ls);
    });
    var w = Math.max.apply(null, widths), step = (asc + desc) * s.lineHeight.get(z, f);
    var a = geom[0][0], fill = s.fill.get(z, f), halo = s.width.get(z, f);
    var stroke = s.stroke.get(z, f);
    var draw = function (g, extra) {
      var justify = (extra && extra.justify) || s.justify, y = 0;
      g.globalAlpha = 1; g.font = font; g.fillStyle = fill;
      lines.forEach(function (line, i) {
        var x = justify === 2 ? (w - widths[i]) / 2 : justify === 3 ? w - widths[i] : 0;
        if (halo) {
          g.lineWidth = halo * 2; g.strokeStyle = stroke;
          put(g, "strokeText", line, x, y, ls);
        }
        put(g, "fillText", line, x, y, ls);
        y += step;
      });
    };
    return [{ anchor: new Pt(a.x, a.y), draw: draw, bboxes: [{ minX: a.x, minY: a.y - asc,
      maxX: a.x + w, maxY: a.y + desc + (lines.length - 1) * step }] }];
  };

  function put(g, op, line, x, y, ls) {
    if (!ls) { g[op](line, x, y); return; }
    Array.from(line).forEach(function (c) { g[op](c, x, y); x += g.measureText(c).width + ls; });
  }

  /* Text centred on a point (an area's middle, a country's label point). Not
   * protomaps-leaflet's CenteredSymbolizer: that one takes a box's left edge for 0 (a padded
   * box's is not) and centres each line by its width without the letter-spacing, which put
   * a spaced name half its spacing to the right of its box (AZERBAIJAN: 7 px). */
  function Centred(inner, spaced) { this.inner = inner; this.spaced = spaced; }
  Centred.prototype.place = function (layout, geom, f) {
    var a = geom[0][0], placed = this.inner.place(layout, [[new Pt(0, 0)]], f);
    if (!placed || !placed.length) { return undefined; }
    var label = placed[0], b = label.bboxes[0], w = b.maxX - b.minX, h = b.maxY - b.minY;
    /* one spaced line starts at its box's left; unspaced lines are centred on the widest */
    var justify = this.spaced(f) ? 1 : 2;
    return [{ anchor: a,
      bboxes: [{ minX: a.x - w / 2, maxX: a.x + w / 2, minY: a.y - h / 2, maxY: a.y + h / 2 }],
      draw: function (ctx) {
        ctx.translate(-w / 2 - b.minX, h / 2 - b.maxY);
        label.draw(ctx, { justify: justify });
      } }];
  };

  function centredText(st, family, lineChars) {
    var ls = st.letter_spacing || 0;
    return new Centred(shapedText(st, textOptions(st, family, lineChars)), function (f) {
      return ls > 0 && latinOnly(f.props._bm_text);
    });
  }

  /* Text beside a point, `gap` px from it, in the first of eight positions that is free. */
  function besidePoint(st, family, gap, dot, lineChars) {
    return new FirstFit(PLACEMENTS.map(function (pl) {
      var opts = textOptions(st, family, lineChars);
      var away = function (f) { return Math.max(gap(f), (f.props._bm_clear || 0) + 3); };
      opts.offsetX = function (z, f) { return pl[1] * away(f); };
      opts.offsetY = function (z, f) { return pl[2] * away(f); };
      opts.placements = [P.TextPlacements[pl[0] === "NE" ? "Ne" : pl[0] === "SE" ? "Se" :
        pl[0] === "NW" ? "Nw" : pl[0] === "SW" ? "Sw" : pl[0]]];
      var text = new P.OffsetSymbolizer(shapedText(st, opts), opts);
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

  /* A basemap name in the map's language: the alias table's, else the tile's. An Arabic map
   * never falls back to a Latin name: a place no source names in Arabic is left unlabelled
   * there ("" leaves the label out; layers/snapshot/label_choice.py does the same in print). */
  function basemapText(props, lang, alias) {
    if (alias) { return lang === "ar" ? alias.ar : alias.en; }
    if (lang === "ar") { return props["name:ar"] || ""; }
    return props["name:en"] || props.name || "";
  }

  B._sym = { FirstFit: FirstFit, Checked: Checked, Anchors: Anchors, Tagged: Tagged, Obstacle: Obstacle,
    besidePoint: besidePoint, centredText: centredText, textOptions: textOptions, latinOnly: latinOnly, aliasIndex: aliasIndex,
    basemapText: basemapText };
})();
