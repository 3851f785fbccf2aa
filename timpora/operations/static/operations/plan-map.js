/* Planning map: pick target kelurahan/desa on the boundaries of the user's scope.
 *
 * The same GeoJSON endpoint as the area pages (/areas/CODE/geojson/): a kecamatan opens its
 * kelurahan/desa, a click on a kelurahan/desa picks it (or drops it) in the form's select list,
 * which stays the source of truth (the form works without JavaScript too).
 */
(function () {
  "use strict";
  var el = document.getElementById("plan-map");
  var rootSelect = document.getElementById("plan-map-root");
  if (!el || typeof L === "undefined") { return; }
  var select = document.getElementById(el.dataset.select);
  var map = L.map(el, { zoomSnap: 0.25 });
  map.attributionControl.setPrefix("Leaflet");
  if (el.dataset.tileUrl) {
    L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution || "" }).addTo(map);
  } else {
    el.classList.add("no-tiles");
  }
  map.attributionControl.addAttribution(el.dataset.attribution);
  var layer = null;
  var VILLAGE = { kelurahan: true, desa: true };

  function chosen(code) {
    var option = select && select.querySelector('option[value="' + code + '"]');
    return option ? option.selected : false;
  }
  function style(f) {
    var picked = chosen(f.properties.code);
    return { color: picked ? "#b45309" : "#0f766e", weight: picked ? 3 : 1.5,
             fillColor: picked ? "#f59e0b" : "#14b8a6", fillOpacity: picked ? 0.45 : 0.15 };
  }
  function toggle(code) {
    var option = select && select.querySelector('option[value="' + code + '"]');
    if (option) { option.selected = !option.selected; }
    if (layer) { layer.setStyle(style); }
  }
  var latest = 0;
  function load(code) {
    var ticket = ++latest;  // a slower, older answer must not replace a newer one
    fetch(el.dataset.geojsonUrl.replace("CODE", code), { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (fc) {
        if (ticket !== latest) { return; }
        if (layer) { map.removeLayer(layer); }
        var children = fc.features.filter(function (f) { return f.properties.role === "child"; });
        var self = fc.features.filter(function (f) { return f.properties.role === "self"; });
        var shown = children.length ? children : self;
        layer = L.geoJSON(shown, {
          style: style,
          onEachFeature: function (f, l) {
            l.bindTooltip(f.properties.name + " (" + f.properties.code + ")", { sticky: true });
            l.on("click", function () {
              if (VILLAGE[f.properties.level]) { toggle(f.properties.code); }
              else if (f.properties.in_scope) { load(f.properties.code); }
            });
          }
        }).addTo(map);
        if (shown.length) { map.fitBounds(layer.getBounds(), { padding: [10, 10], animate: false }); }
        el.dataset.loaded = String(shown.length);
      })
      .catch(function (err) { el.textContent = "Map could not be loaded: " + err; });
  }
  if (select) { select.addEventListener("change", function () { if (layer) { layer.setStyle(style); } }); }
  if (rootSelect) {
    rootSelect.addEventListener("change", function () { load(rootSelect.value); });
    load(rootSelect.value);
  }
})();
