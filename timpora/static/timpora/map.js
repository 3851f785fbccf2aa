/* Area map: boundaries from our own GeoJSON endpoint; tiles only if an intranet URL is set. */
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || typeof L === "undefined") { return; }
  var map = L.map(el, { zoomSnap: 0.25, attributionControl: true });
  map.attributionControl.setPrefix("Leaflet");
  if (el.dataset.tileUrl) {
    L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution || "" }).addTo(map);
  } else {
    el.classList.add("no-tiles");
  }
  map.attributionControl.addAttribution(el.dataset.attribution);
  fetch(el.dataset.geojsonUrl, { credentials: "same-origin" })
    .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
    .then(function (fc) {
      var self = fc.features.filter(function (f) { return f.properties.role === "self"; });
      var children = fc.features.filter(function (f) { return f.properties.role === "child"; });
      var outline = L.geoJSON(self, { style: { color: "#1d4ed8", weight: 3, fillOpacity: 0.04 } }).addTo(map);
      L.geoJSON(children, {
        style: function () { return { color: "#0f766e", weight: 1.5, fillColor: "#14b8a6", fillOpacity: 0.18 }; },
        onEachFeature: function (f, layer) {
          layer.bindTooltip(f.properties.name + " (" + f.properties.code + ")", { sticky: true });
          layer.on("mouseover", function () { layer.setStyle({ fillOpacity: 0.4 }); });
          layer.on("mouseout", function () { layer.setStyle({ fillOpacity: 0.18 }); });
          layer.on("click", function () {
            window.location.href = el.dataset.detailUrl.replace("CODE", f.properties.code);
          });
        }
      }).addTo(map);
      map.fitBounds(outline.getBounds(), { padding: [10, 10] });
      el.dataset.loaded = String(fc.features.length);
    })
    .catch(function (err) { el.textContent = "Map could not be loaded: " + err; });
})();
