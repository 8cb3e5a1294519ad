/* briefmap's imported-incidents layer. Served locally next to briefmap.js.
 *
 * Data arrives as numbers (integer coordinates, class and type numbers) plus interface words;
 * every text is set with textContent, never as HTML. The only HTML shown is a popup built and
 * escaped on the server for the clicked place (briefmapEvents.popup).
 */
(function () {
  "use strict";
  var E = (window.briefmapEvents = window.briefmapEvents || {});
  var PANES = { "bm-events-hex": 390, "bm-events-points": 440 };
  var renderers = {};

  function pane(map, name) {
    if (!map.getPane(name)) { map.createPane(name).style.zIndex = PANES[name]; }
    if (!renderers[name] || renderers[name]._map !== map) {
      renderers[name] = L.canvas({ pane: name, padding: 0.2, tolerance: 3 });
    }
    return renderers[name];
  }

  function textTip(text) {
    return function () { var el = document.createElement("span"); el.textContent = text; return el; };
  }

  /* A click reports the shape's own position (not the mouse's), so the server can find the
   * events at that place; streamlit-folium's handler, bound later, reads e.latlng. */
  function reportPlace(layer, latlng) {
    layer.on("click", function (e) { e.latlng = latlng; });
  }

  function hexLayer(map, group, data) {
    var renderer = pane(map, "bm-events-hex"), s = data.style, k = 0, n = data.classes.length;
    /* centre, then each corner as an offset; a cell bent by an icosahedron edge has more than
     * six corners (data.corners) */
    for (var i = 0; i < n; k += 2 + 2 * data.corners[i], i++) {
      var b = data.shapes, clat = b[k], clon = b[k + 1], ring = [];
      for (var v = 0; v < data.corners[i]; v++) {
        ring.push([(clat + b[k + 2 + 2 * v]) / 1000, (clon + b[k + 3 + 2 * v]) / 1000]);
      }
      var poly = L.polygon(ring, { renderer: renderer, pane: "bm-events-hex", weight: s.weight,
        color: s.color, fillColor: data.colours[data.classes[i]], fillOpacity: s.fillOpacity,
        className: "bm-event-hex" });
      var c = data.counts[i];
      poly.bindTooltip(textTip(data.words.about.replace("{n}", c >= 10 ? Math.round(c) : c)),
        { sticky: true, className: "bm-tooltip" });
      group.addLayer(poly);
    }
    return n;
  }

  function pointLayer(map, group, data) {
    var renderer = pane(map, "bm-events-points"), s = data.style, lat = 0, lon = 0;
    var n = data.dlat.length;
    for (var i = 0; i < n; i++) {
      lat += data.dlat[i]; lon += data.dlon[i];
      var at = L.latLng(lat / 1e5, lon / 1e5);
      var dot = L.circleMarker(at, { renderer: renderer, pane: "bm-events-points",
        radius: s.radius, weight: s.weight, color: s.color, fillOpacity: s.fillOpacity,
        fillColor: data.colours[String(data.type[i])] || "#666666" });
      reportPlace(dot, at);
      group.addLayer(dot);
    }
    var a = data.area_style;
    data.areas.forEach(function (area) {
      var at = L.latLng(area[0] / 1e5, area[1] / 1e5);
      var ring = L.circle(at, { radius: area[2], renderer: renderer, pane: "bm-events-points",
        weight: a.weight, color: a.color, dashArray: a.dashArray, fillColor: a.color,
        fillOpacity: a.fillOpacity });
      var centre = L.circleMarker(at, { renderer: renderer, pane: "bm-events-points", radius: 7,
        weight: 1.5, color: a.color, fillColor: "#ffffff", fillOpacity: 0.9 });
      ring.bindTooltip(textTip(area[4]), { sticky: true, className: "bm-tooltip" });
      centre.bindTooltip(textTip(area[4]), { className: "bm-tooltip" });
      reportPlace(ring, at); reportPlace(centre, at);
      group.addLayer(ring); group.addLayer(centre);
    });
    return n + data.areas.length;
  }

  function legend(map, data) {
    var control = L.control({ position: "bottomright" });
    control.onAdd = function () {
      var box = L.DomUtil.create("div", "bm-events-legend");
      box.setAttribute("dir", data.dir === "rtl" ? "rtl" : "ltr");
      var title = L.DomUtil.create("div", "bm-events-legend-title", box);
      title.textContent = data.legend.title;
      var rows = data.mode === "hex"
        ? data.legend.labels.map(function (label, i) { return [label, data.colours[i], "hex"]; })
        : data.legend.items.map(function (item) { return [item[0], item[1], "dot"]; });
      rows.forEach(function (row) {
        var line = L.DomUtil.create("div", "bm-events-legend-row", box);
        var sw = L.DomUtil.create("span", "bm-events-swatch bm-events-" + row[2], line);
        sw.style.background = row[1];
        var label = L.DomUtil.create("span", "", line);
        label.textContent = row[0];
      });
      if (data.legend.note) {
        var note = L.DomUtil.create("div", "bm-events-legend-note", box);
        note.textContent = data.legend.note;
      }
      L.DomEvent.disableClickPropagation(box);
      return box;
    };
    return control;
  }

  /* Draw the layer into `group` once the group is on the map; remove the legend with it. */
  E.layer = function (group, data) {
    var control = null;
    group.on("add", function () {
      var map = group._map;
      if (!map) { return; }
      group.clearLayers();
      var shapes = data.mode === "hex" ? hexLayer(map, group, data) : pointLayer(map, group, data);
      control = legend(map, data).addTo(map);
      var box = map.getContainer();
      box.setAttribute("data-events-mode", data.mode);
      box.setAttribute("data-events-shapes", String(shapes));
      box.setAttribute("data-events-in-view", String(data.in_view));
    });
    group.on("remove", function () {
      if (control) { control.remove(); control = null; }
    });
  };

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
