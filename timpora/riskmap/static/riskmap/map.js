/* Vulnerability map: choropleth of our own GeoJSON (no internet tiles needed). */
(function () {
  "use strict";
  var el = document.getElementById("riskmap");
  if (!el || typeof L === "undefined") { return; }
  var RAMP = ["#fff5eb", "#fdd0a2", "#fdae6b", "#fd8d3c", "#e6550d", "#a63603"];
  var NO_DATA = "#e5e7eb";
  var form = document.getElementById("map-filters");
  var legend = document.getElementById("legend");
  var tbody = document.querySelector("#ranking tbody");
  var map = L.map(el, { zoomSnap: 0.25 });
  map.attributionControl.setPrefix("Leaflet");
  if (el.dataset.tileUrl) {
    L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution || "" }).addTo(map);
  } else { el.classList.add("no-tiles"); }
  map.attributionControl.addAttribution(el.dataset.attribution);
  var layer = null;

  function breaks(metric, values) {
    if (metric === "risk") { return [0, 10, 25, 40, 60, 80]; }
    var top = Math.max.apply(null, values.concat([0]));
    if (top <= 0) { return [0, 1, 2, 3, 4, 5]; }
    var step = Math.max(top / 5, 1), out = [0];
    for (var i = 1; i < 6; i++) { out.push(Math.round(step * i * 10) / 10); }
    return out;
  }
  function colour(value, limits) {
    if (value === null || value === undefined) { return NO_DATA; }
    var index = 0;
    for (var i = 0; i < limits.length; i++) { if (value >= limits[i]) { index = i; } }
    if (value === 0) { index = 0; }
    return RAMP[index];
  }
  function text(s) { var d = document.createElement("div"); d.textContent = s; return d.innerHTML; }
  function params() {
    var data = new URLSearchParams(new FormData(form));
    return data.toString();
  }
  function drawLegend(metricLabel, limits) {
    var html = "<strong>" + text(metricLabel) + "</strong>";
    for (var i = 0; i < limits.length; i++) {
      var upper = i + 1 < limits.length ? "–" + limits[i + 1] : "+";
      html += "<div><i style=\"background:" + RAMP[i] + "\"></i>" + limits[i] + upper + "</div>";
    }
    html += "<div><i style=\"background:" + NO_DATA + "\"></i>" + text(el.dataset.labelNodata) + "</div>";
    legend.innerHTML = html;
  }
  function load() {
    var query = params();
    document.getElementById("export-pdf").search = "?" + query;
    document.getElementById("export-png").search = "?" + query;
    if (window.history && window.history.replaceState) {
      window.history.replaceState(null, "", "?" + query);
    }
    el.dataset.loaded = "";
    return fetch(el.dataset.url + "?" + query, { credentials: "same-origin" })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (res) {
        if (!res.ok) { throw new Error(res.body.detail ? res.body.detail[0].msg : "error"); }
        var fc = res.body;
        var values = fc.features.map(function (f) { return f.properties.value; })
          .filter(function (v) { return v !== null && v !== undefined; });
        var limits = breaks(fc.metric, values);
        var metricInput = form.querySelector("input[name=metric]:checked");
        drawLegend(metricInput ? metricInput.parentNode.textContent.trim() : fc.metric, limits);
        if (layer) { map.removeLayer(layer); }
        layer = L.geoJSON(fc, {
          style: function (f) {
            return { color: "#374151", weight: 1, fillOpacity: 0.8,
                     fillColor: colour(f.properties.value, limits) };
          },
          onEachFeature: function (f, lyr) {
            var p = f.properties;
            var tip = "<strong>" + text(p.name) + "</strong>";
            if (p.value !== null && p.value !== undefined) {
              tip += "<br>" + text(String(p.value));
              if (p.explanation) { tip += "<br><small>" + text(p.explanation) + "</small>"; }
            }
            lyr.bindTooltip(tip, { sticky: true });
            lyr.on("mouseover", function () { lyr.setStyle({ weight: 3 }); });
            lyr.on("mouseout", function () { lyr.setStyle({ weight: 1 }); });
            lyr.on("click", function () {
              if (!p.in_scope) { return; }
              window.location.href = el.dataset.profileUrl.replace("CODE", p.code) + "?" + query;
            });
          }
        }).addTo(map);
        map.fitBounds(layer.getBounds(), { padding: [10, 10] });
        var rows = fc.features.filter(function (f) { return f.properties.in_scope; })
          .sort(function (a, b) { return (b.properties.risk || 0) - (a.properties.risk || 0); });
        tbody.innerHTML = rows.map(function (f) {
          var p = f.properties, trend = p.trend || 0;
          var cls = trend > 0 ? "trend-up" : (trend < 0 ? "trend-down" : "");
          return "<tr><td><a href=\"" + el.dataset.profileUrl.replace("CODE", p.code) + "?" + query + "\">" +
            text(p.name) + "</a></td><td><span class=\"risk-badge\" style=\"background:" +
            colour(p.risk, [0, 10, 25, 40, 60, 80]) + "\">" + (p.risk || 0) + "</span></td><td class=\"" + cls +
            "\">" + (trend > 0 ? "+" : "") + trend + "</td><td>" + (p.present || 0) + "</td><td>" +
            (p.alerts || 0) + "</td><td><small>" + text(p.explanation || "") + "</small></td></tr>";
        }).join("");
        el.dataset.loaded = String(fc.features.length);
        el.dataset.metric = fc.metric;
      })
      .catch(function (err) { legend.textContent = String(err.message || err); });
  }
  form.addEventListener("change", function (event) {
    if (event.target.name === "metric" || event.target.name === "level" || event.target.name === "parent") { load(); }
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); load(); });
  load();
})();
