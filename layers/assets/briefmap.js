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

  /* The vector basemap: fetched once from the local static folder (or inlined for exports). */
  B.basemap = function (map, spec) {
    B.panes(map);
    var draw = function (data) {
      spec.layers.forEach(function (layer) {
        var fc = data[layer.name];
        if (!fc) { return; }
        L.geoJSON(fc, { pane: layer.pane, interactive: false, style: function () {
          return layer.style; } }).addTo(map);
      });
      B.labels(map, data.labels || [], spec.lang || "en");
      map.fire("briefmap:basemap");
      map.getContainer().setAttribute("data-basemap", "ready");
    };
    if (spec.data) { draw(spec.data); return; }
    fetch(spec.url, { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error(r.status + " " + spec.url); } return r.json(); })
      .then(draw)
      .catch(function (err) {
        map.getContainer().setAttribute("data-basemap", "failed");
        if (window.console) { console.error("briefmap basemap:", err); }
      });
  };

  B.labels = function (map, labels, lang) {
    var group = L.layerGroup().addTo(map);
    var shown = function () {
      group.clearLayers();
      var zoom = map.getZoom();
      labels.forEach(function (lab) {
        if (zoom < lab.min_zoom) { return; }
        var text = (lang === "ar" && lab.ar) ? lab.ar : lab.en;
        var el = document.createElement("span");
        el.textContent = text;
        if (lang === "ar" && lab.ar) { el.setAttribute("dir", "rtl"); el.setAttribute("lang", "ar"); }
        var icon = L.divIcon({ className: "bm-label bm-label-" + lab.kind, html: el, iconSize: null });
        L.marker([lab.lat, lab.lon], { icon: icon, pane: "bm-labels", interactive: false,
          keyboard: false }).addTo(group);
      });
    };
    map.on("zoomend", shown);
    shown();
  };

  /* Points near each other (same town) are listed together in one popup. */
  B._points = [];

  B.reportLayer = function (fc, opts) {
    var group = L.geoJSON(fc, {
      pointToLayer: function (feature, latlng) {
        var s = feature.properties._style;
        var marker = L.circleMarker(latlng, L.extend({ pane: "bm-points" }, s));
        marker._bmRing = feature.properties._ring_m || 0;
        return marker;
      },
      style: function (feature) {
        var s = feature.properties._style;
        var pane = feature.geometry.type.indexOf("Line") >= 0 ? "bm-routes" : "bm-areas";
        return L.extend({ pane: pane }, s);
      },
      onEachFeature: function (feature, layer) {
        layer.bindTooltip(feature.properties._tooltip, { sticky: true, direction: "top",
          className: "bm-tooltip" });
        layer.on("click", function (e) {
          L.DomEvent.stopPropagation(e);
          B.openPopup(layer, e.latlng);
        });
        if (layer.getLatLng) { B._points.push(layer); }
        layer.feature = feature;
      }
    });
    if (opts && opts.rings) { B.rings(group); }
    return group;
  };

  /* An approximate point carries a translucent ring showing its uncertainty radius. */
  B.rings = function (group) {
    group.eachLayer(function (layer) {
      if (layer._bmRing && layer.getLatLng) {
        var s = layer.feature.properties._style;
        L.circle(layer.getLatLng(), { radius: layer._bmRing, pane: "bm-areas", interactive: false,
          color: s.color, weight: 1, dashArray: "2 4", fillOpacity: 0.06,
          className: "bm-ring" }).addTo(group);
      }
    });
  };

  B.openPopup = function (layer, latlng) {
    var map = layer._map;
    if (!map) { return; }
    var parts = [layer.feature.properties._popup];
    if (layer.getLatLng) {
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
    L.popup({ maxWidth: 420, maxHeight: 420, className: "bm-popup-wrap", autoPanPadding: [20, 20] })
      .setLatLng(layer.getLatLng ? layer.getLatLng() : latlng)
      .setContent(content)
      .openOn(map);
  };
})();
