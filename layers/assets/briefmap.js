/* briefmap's Leaflet glue. Served locally (never from a CDN) next to Leaflet itself.
 *
 * Data arrives as GeoJSON whose `_popup` and `_tooltip` properties are HTML that the Python side
 * has already escaped; nothing here builds HTML from raw data. Basemap labels are set with
 * textContent. Feature ids and layer ids are [a-z0-9-] (checked at the boundary).
 */
(function () {
  "use strict";
  var B = (window.briefmap = window.briefmap || {});
  var PANES = { "bm-land": 200, "bm-lines": 250, "bm-labels": 380, "bm-areas": 410,
                "bm-routes": 420, "bm-points": 450 };

  B.panes = function (map) {
    Object.keys(PANES).forEach(function (name) {
      if (!map.getPane(name)) {
        var pane = map.createPane(name);
        pane.style.zIndex = PANES[name];
        if (name === "bm-land" || name === "bm-lines" || name === "bm-labels") {
          pane.style.pointerEvents = "none";
        }
      }
    });
  };

  /* Points near each other (same town) are listed together in one popup. */
  B._points = [];

  B.reportLayer = function (fc, opts) {
    var points = [];  /* this group's report markers (not its rings) */
    var group = L.geoJSON(fc, {
      pointToLayer: function (feature, latlng) {
        var s = feature.properties._style;
        var marker = L.circleMarker(latlng, L.extend({ pane: "bm-points" }, s));
        marker._bmRing = feature.properties._ring_m || 0;
        return marker;
      },
      style: function (feature) {
        /* Leaflet applies this to point markers too: keep them in the top pane. */
        var s = feature.properties._style, type = feature.geometry.type;
        var pane = type.indexOf("Point") >= 0 ? "bm-points"
          : type.indexOf("Line") >= 0 ? "bm-routes" : "bm-areas";
        return L.extend({ pane: pane }, s);
      },
      onEachFeature: function (feature, layer) {
        layer.bindTooltip(feature.properties._tooltip, { sticky: true, direction: "top",
          className: "bm-tooltip" });
        layer.on("click", function (e) {
          L.DomEvent.stopPropagation(e);
          B.openPopup(layer, e.latlng);
        });
        if (layer.getLatLng) { B._points.push(layer); points.push(layer); }
        layer.feature = feature;
      }
    });
    if (opts && opts.rings) { B.rings(group, opts.ring); }
    group.on("add", function () {
      B._stackAreas(group._map);
      points.forEach(function (l) {  /* the same group added again keeps its points */
        if (B._points.indexOf(l) < 0) { B._points.push(l); }
      });
    });
    /* A rerun replaces the group: forget its points, or every rerun would keep the last
     * one's markers (and their SVG paths) alive. */
    group.on("remove", function () {
      B._points = B._points.filter(function (l) { return points.indexOf(l) < 0; });
    });
    return group;
  };

  /* Areas stacked largest at the bottom, so the shape under the pointer (its tooltip, a
   * click) is the smallest one there, not whichever layer was added last: a governorate
   * must not cover the corridor inside it. Pixel areas keep their order at every zoom. */
  B._stackAreas = function (map) {
    if (!map || map._bmStacking) { return; }
    map._bmStacking = true;
    setTimeout(function () {
      map._bmStacking = false;
      var areas = [];
      map.eachLayer(function (l) {
        if (l instanceof L.Polygon && l.feature && l.feature.properties._popup && l._path) {
          areas.push({ layer: l, size: B._pxArea(l) });
        }
      });
      areas.sort(function (a, b) { return b.size - a.size; });
      areas.forEach(function (a) { a.layer.bringToFront(); });
    }, 0);
  };

  /* An approximate point carries a translucent ring showing its uncertainty radius. */
  B.rings = function (group, ring) {  /* ring: weight, dashArray, fillOpacity (style.py) */
    group.eachLayer(function (layer) {
      if (layer._bmRing && layer.getLatLng) {
        var s = layer.feature.properties._style;
        L.circle(layer.getLatLng(), L.extend({ radius: layer._bmRing, pane: "bm-areas",
          interactive: false, color: s.color, className: "bm-ring" }, ring)).addTo(group);
      }
    });
  };

  B.openPopup = function (layer, latlng) {
    var map = layer._map;
    if (!map) { return; }
    if (B._measure && B._measure.on) { B._measure.add(map, layer.getLatLng ? layer.getLatLng() : latlng); return; }
    var parts = [layer.feature.properties._popup];
    if (!layer.getLatLng) {
      parts = B.shapesAt(map, latlng).map(function (l) { return l.feature.properties._popup; });
      if (!parts.length) { parts = [layer.feature.properties._popup]; }
    } else {
      var here = map.latLngToContainerPoint(layer.getLatLng());
      B._points.forEach(function (other) {
        if (other === layer || !map.hasLayer(other)) { return; }
        var there = map.latLngToContainerPoint(other.getLatLng());
        if (here.distanceTo(there) <= 8) { parts.push(other.feature.properties._popup); }
      });
    }
    var content = parts.length > 1
      ? '<div class="bm-stack" data-count="' + parts.length + '">' + parts.join('<hr class="bm-sep">') + "</div>"
      : parts[0];
    /* The content is a node, so that re-laying out the popup when a citation opens its
     * paragraph (<details> toggle) keeps what is open; a string would be re-parsed. */
    var box = document.createElement("div");
    box.innerHTML = content;  /* server-built, every value escaped (layers/render/popup.py) */
    /* the projector keeps the scene's frame: a click there never moves the map */
    var still = L.DomUtil.hasClass(map.getContainer(), "bm-projector");
    var popup = L.popup({ maxWidth: 440, maxHeight: 440, className: "bm-popup-wrap",
      autoPan: !still, autoPanPadding: [20, 20] })
      .setLatLng(layer.getLatLng ? layer.getLatLng() : latlng)
      .setContent(box)
      .openOn(map);
    box.addEventListener("toggle", function (e) {
      var quote = e.target.open && e.target.querySelector("blockquote.bm-para[data-src]");
      if (quote && !quote.textContent) { B.paragraph(quote).then(function () { popup.update(); }); }
      popup.update();
    }, true);
  };

  /* Every report shape under a click, the one the briefer means first: where areas and lines
   * overlap, the top one in the drawing order is not necessarily the subject (a governorate
   * drawn over the corridor inside it). Highlighted features come first, then the smallest
   * shape (a line before any area); the others follow in the same popup. Hit tests are
   * Leaflet's own (those of its canvas renderer), on the map's layer points. */
  B.shapesAt = function (map, latlng) {
    var p = map.latLngToLayerPoint(latlng), lit = {}, found = [];
    map.eachLayer(function (l) {
      if (l.feature && l.options && l.options.className === "bm-highlight") {
        lit[l.feature.properties.id] = true;
      }
    });
    map.eachLayer(function (l) {
      var props = l.feature && l.feature.properties;
      if (!props || !props._popup || l.getLatLng || !l._containsPoint || !l._pxBounds) { return; }
      if (!l._containsPoint(p)) { return; }
      found.push({ layer: l, lit: lit[props.id] ? 1 : 0, size: B._pxArea(l) });
    });
    found.sort(function (a, b) { return (b.lit - a.lit) || (a.size - b.size); });
    return found.map(function (f) { return f.layer; });
  };

  /* A shape's area in square pixels (shoelace over its projected rings); a line has none. */
  B._pxArea = function (layer) {
    if (!(layer instanceof L.Polygon)) { return 0; }
    var total = 0;
    (layer._rings || []).forEach(function (ring) {
      var a = 0;
      for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        a += (ring[j].x + ring[i].x) * (ring[j].y - ring[i].y);
      }
      total += Math.abs(a) / 2;
    });
    return total;
  };

  /* A cited paragraph fetched from the local server when its citation is opened (one JSON file
   * per report, fetched once, with the key this page's session was granted: the server sends
   * report text to no one else); shown with textContent, never parsed as HTML. */
  B._reports = {};
  B.paragraph = function (quote) {
    var url = quote.getAttribute("data-src");
    var ask = { credentials: "same-origin", headers: {} };
    if (B.reportsKey) { ask.headers["X-Briefmap-Key"] = B.reportsKey; }
    var all = B._reports[url] || (B._reports[url] = fetch(url, ask)
      .then(function (r) { if (!r.ok) { throw new Error(r.status + " " + url); } return r.json(); }));
    return all.then(function (paragraphs) {
      quote.textContent = paragraphs[quote.getAttribute("data-paragraph")] || "";
    }).catch(function () {
      delete B._reports[url];
      quote.textContent = quote.getAttribute("data-missing");
    });
  };
  /* Fly to a target once per request: `nonce` changes only when Python asks for a move, so a
   * filter change that re-adds this group does not move the map again. */
  B.focus = function (group, target, nonce) {
    group.on("add", function () {
      var map = group._map;
      if (!map || window.__bmFocusNonce === nonce) { return; }
      window.__bmFocusNonce = nonce;
      /* Behind a held picture (the projector) the map jumps: nobody sees a flight. */
      var held = !!B._hold;
      B.mark("focus");
      var move = function () {
        map._bmFocusPending = false;
        map.invalidateSize({ pan: false });
        if (target.bounds) {
          var b = target.bounds;  /* [west, south, east, north] */
          var pad = target.padding || 60;
          map[held ? "fitBounds" : "flyToBounds"]([[b[1], b[0]], [b[3], b[2]]], {
            padding: [pad, pad], maxZoom: target.max_zoom || 9, duration: 0.8,
            animate: !held });
        } else if (target.center) {
          map[held ? "setView" : "flyTo"](target.center, target.zoom || map.getZoom(),
            { duration: 0.8, animate: !held });
        }
      };
      /* On a fresh mount the frame may still be growing to its final width: measure first,
       * or the zoom is worked out for a smaller map. */
      map._bmFocusPending = true;
      if (held) { move(); } else { setTimeout(move, 80); }
    });
    return group;
  };

  /* Highlight halos drawn under the features they mark; `opts` (style.py) holds the look. */
  B.highlight = function (fc, opts) {
    var base = { pane: "bm-areas", className: "bm-highlight" };
    return L.geoJSON(fc, {
      interactive: false,
      pointToLayer: function (f, latlng) {
        return L.circleMarker(latlng, L.extend({}, base, opts.point));
      },
      style: function () { return L.extend({}, base, opts.path); }
    });
  };

  /* Geodesic distance on the WGS84 ellipsoid (Vincenty's inverse formula), in metres. */
  B.geodesic = function (a, b) {
    var A = 6378137, F = 1 / 298.257223563, Bm = A * (1 - F), rad = Math.PI / 180;
    var L0 = (b.lng - a.lng) * rad, U1 = Math.atan((1 - F) * Math.tan(a.lat * rad));
    var U2 = Math.atan((1 - F) * Math.tan(b.lat * rad));
    var sU1 = Math.sin(U1), cU1 = Math.cos(U1), sU2 = Math.sin(U2), cU2 = Math.cos(U2);
    var lam = L0, prev, sS, cS, sig, sA, c2A, c2Sm, C, it = 0;
    do {
      var sL = Math.sin(lam), cL = Math.cos(lam);
      sS = Math.sqrt(Math.pow(cU2 * sL, 2) + Math.pow(cU1 * sU2 - sU1 * cU2 * cL, 2));
      if (sS === 0) { return 0; }
      cS = sU1 * sU2 + cU1 * cU2 * cL;
      sig = Math.atan2(sS, cS);
      sA = cU1 * cU2 * sL / sS;
      c2A = 1 - sA * sA;
      c2Sm = c2A ? cS - 2 * sU1 * sU2 / c2A : 0;
      C = F / 16 * c2A * (4 + F * (4 - 3 * c2A));
      prev = lam;
      lam = L0 + (1 - C) * F * sA * (sig + C * sS * (c2Sm + C * cS * (-1 + 2 * c2Sm * c2Sm)));
    } while (Math.abs(lam - prev) > 1e-12 && ++it < 200);
    var u2 = c2A * (A * A - Bm * Bm) / (Bm * Bm);
    var Ak = 1 + u2 / 16384 * (4096 + u2 * (-768 + u2 * (320 - 175 * u2)));
    var Bk = u2 / 1024 * (256 + u2 * (-128 + u2 * (74 - 47 * u2)));
    var dS = Bk * sS * (c2Sm + Bk / 4 * (cS * (-1 + 2 * c2Sm * c2Sm) - Bk / 6 * c2Sm *
      (-3 + 4 * sS * sS) * (-3 + 4 * c2Sm * c2Sm)));
    return Bm * Ak * (sig - dS);
  };

  /* Presentation clicker keys (→ ← PageDown PageUp Home End . B Esc). After someone clicks on
   * the map, a clicker's key presses arrive in this frame; pass them on to the page, where the
   * briefing's clicker component hears them. Arrows must not pan the map meanwhile. */
  B.clicker = function (map, spec) {
    if (map.keyboard) { map.keyboard.disable(); }
    var page = window.parent.document;  /* held now: a replaced frame has no parent later */
    document.addEventListener("keydown", function (e) {
      if (spec.keys.indexOf(e.key) < 0 || e.ctrlKey || e.metaKey || e.altKey) { return; }
      e.preventDefault();
      page.dispatchEvent(new KeyboardEvent("keydown", { key: e.key, bubbles: true }));
    });
  };

  /* The measuring tool: a button, then two clicks give the geodesic distance in km. */
  B.measureControl = function (map, labels) {
    var state = B._measure = { on: false, points: [], layer: L.layerGroup().addTo(map) };
    var Control = L.Control.extend({
      options: { position: "topleft" },
      onAdd: function () {
        var box = L.DomUtil.create("div", "leaflet-bar bm-measure");
        var btn = L.DomUtil.create("a", "bm-measure-button", box);
        btn.href = "#"; btn.setAttribute("role", "button");
        btn.title = labels.title; btn.setAttribute("aria-label", labels.title);
        btn.textContent = "\u2194";
        L.DomEvent.on(btn, "click", function (e) {
          L.DomEvent.stop(e);
          state.on = !state.on;
          state.points = [];
          state.layer.clearLayers();
          L.DomUtil[state.on ? "addClass" : "removeClass"](box, "bm-measuring");
          map.getContainer().style.cursor = state.on ? "crosshair" : "";
        });
        L.DomEvent.disableClickPropagation(box);
        return box;
      }
    });
    new Control().addTo(map);
    state.add = function (m, latlng) {
      if (state.points.length === 2) { state.points = []; state.layer.clearLayers(); }
      state.points.push(latlng);
      L.circleMarker(latlng, { radius: 4, color: "#111", weight: 2, fillColor: "#ffd400",
        fillOpacity: 1, interactive: false }).addTo(state.layer);
      if (state.points.length === 2) {
        var a = state.points[0], b = state.points[1];
        var km = B.geodesic(a, b) / 1000;
        var line = L.polyline([a, b], { color: "#111", weight: 2, dashArray: "6 4",
          interactive: false }).addTo(state.layer);
        var tip = document.createElement("span");
        tip.className = "bm-measure-result";
        tip.textContent = km.toFixed(1) + " " + labels.km;
        line.bindTooltip(tip, { permanent: true, direction: "center", className: "bm-measure-tip" })
          .openTooltip();
      }
    };
    map.on("click", function (e) { if (state.on) { state.add(map, e.latlng); } });
  };

  /* ---- The projector (the audience's window) ----
   * A scene change is drawn behind a still copy of the scene before, dropped in one step once
   * the new frame's tiles and labels are all drawn: the room never sees a half-drawn map, a
   * label of the scene before, or labels scaled from the old zoom. The copy goes up before
   * streamlit-folium takes the old scene's groups off (its first removeLayer), and comes down
   * when the map has settled, or after HOLD_MAX ms whatever happens. */
  var HOLD_MAX = 6000;
  B._hold = null;

  function stillCopy(map) {
    var box = map.getContainer(), cover = document.createElement("div");
    cover.className = "bm-freeze";
    ["leaflet-map-pane", "leaflet-control-container"].forEach(function (name) {
      var part = box.querySelector("." + name);
      if (!part) { return; }
      var copy = part.cloneNode(true), from = part.querySelectorAll("canvas");
      copy.querySelectorAll("canvas").forEach(function (c, i) {
        c.width = from[i].width; c.height = from[i].height;
        if (c.width && c.height) { c.getContext("2d").drawImage(from[i], 0, 0); }
      });
      cover.appendChild(copy);
    });
    box.appendChild(cover);
    return cover;
  }

  function mapSettled(map) {
    if (B._relabelPending || map._bmFocusPending) { return false; }
    var ok = true;
    map.eachLayer(function (l) {
      if (!(l instanceof L.GridLayer)) { return; }
      if (l._loading || l._bmBusy > 0 || l._bmDirty) { ok = false; }
      if (l._noTilesToLoad && !l._noTilesToLoad()) { ok = false; }
    });
    return ok;
  }

  B.hold = function (map) {
    if (B._hold) { return; }
    B.mark("hold");
    var hold = B._hold = { cover: stillCopy(map), since: Date.now(), calm: 0 };
    B.mark("held");
    var release = function () {
      if (hold.cover.parentNode) { hold.cover.parentNode.removeChild(hold.cover); }
      B._hold = null;
      B.mark("shown");
      map.getContainer().setAttribute("data-shown", String(window.__bmFocusNonce));
      map.fire("briefmap:shown");
    };
    var check = function () {
      hold.calm = mapSettled(map) ? hold.calm + 1 : 0;
      if (hold.calm === 1) { B.mark("drawn"); }
      if (hold.calm >= 3 || Date.now() - hold.since > HOLD_MAX) { release(); return; }
      requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  };

  /* streamlit-folium swaps a scene's groups by removing every group it added, then adding the
   * new ones: the first removal is the moment to hold the picture. */
  B.holdSwaps = function (map) {
    if (map._bmHolds) { return; }
    map._bmHolds = true;
    var remove = map.removeLayer;
    map.removeLayer = function (layer) {
      if ((window.feature_group || []).indexOf(layer) >= 0) {
        try { B.hold(map); } catch (err) { B._hold = null; }  /* never in the swap's way */
      }
      return remove.apply(this, arguments);
    };
  };

  /* Metric scale bar whose unit is in the page's language («كم» in Arabic). */
  var Scale = L.Control.Scale.extend({
    _updateMetric: function (maxMeters) {
      var m = this._getRoundNum(maxMeters), u = this.options.units;
      var label = m < 1000 ? m + " " + u.m : (m / 1000) + " " + u.km;
      this._updateScale(this._mScale, label, m / maxMeters);
    }
  });

  /* The legend (HTML built and escaped in Python: layers.render.legend) and the scale bar, on
   * the scene's group: they come and go with it. Mirrored for right-to-left pages. A legend
   * row whose layer has nothing inside the fitted map is hidden once the map is framed. */
  function extras(map, legend, scale) {
    var credits = map && map.attributionControl && map.attributionControl.getContainer();
    return [legend.getContainer(), scale.getContainer(), credits].filter(Boolean);
  }

  B.projectorExtras = function (group, spec) {
    var legend = L.control({ position: spec.rtl ? "bottomleft" : "bottomright" });
    legend.onAdd = function () {
      var box = L.DomUtil.create("div", "bm-proj-legend");
      box.innerHTML = spec.legend;  /* server-built, every value escaped */
      return box;
    };
    var scale = new Scale({ position: spec.rtl ? "bottomright" : "bottomleft", metric: true,
      imperial: false, maxWidth: 220, units: spec.units });
    group.on("add", function () {
      var map = group._map;
      B.holdSwaps(map);
      legend.addTo(map);
      scale.addTo(map);
      /* no name hides under the legend, the scale or the credits */
      extras(map, legend, scale).forEach(function (el) { B.keepOut(map, el); });
      L.DomUtil.addClass(scale.getContainer(), "bm-proj-scale");
      scale.getContainer().setAttribute("dir", spec.rtl ? "rtl" : "ltr");
    });
    group.on("remove", function () {
      extras(group._map || legend._map, legend, scale).forEach(B.releaseKeepOut);
      legend.remove(); scale.remove();
    });
    return group;
  };

  /* Inside streamlit-folium's frame: its first report of the map (bounds, zoom) makes the
   * page run again and draw the panels that waited for the map, whose layout work shares this
   * frame's thread. Hold that report until the basemap's first tiles are drawn (at most
   * REPORT_WAIT ms), so the panels are drawn after the map, not in the middle of it. */
  var REPORT_WAIT = 3000;
  if (typeof window.initComponent === "function" && !window.initComponent._bmHeld) {
    var init = window.initComponent;
    window.initComponent = function (map, hover) {
      var done = false;
      var go = function () { if (!done) { done = true; init(map, hover); } };
      var container = map.getContainer(), data = window.__GLOBAL_DATA__;
      /* the frame's height now, as init would: a frame without one is not drawn at all */
      if (window.Streamlit && data && data.height) { window.Streamlit.setFrameHeight(data.height); }
      if (map._bmBasemap && container.getAttribute("data-basemap") !== "ready") {
        map.once("briefmap:basemap", go);
        setTimeout(go, REPORT_WAIT);
      } else {
        go();
      }
    };
    window.initComponent._bmHeld = true;
  }
})();
