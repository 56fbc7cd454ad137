// The region map on the Kadaster's background map (PDOK BRT-Achtergrondkaart) with Leaflet.
// The page's SVG outline stays until the first tile has loaded: offline, or with the tiles
// unreachable, the outline is what the bureau sees. Data come from a JSON block (no inline
// script under the content policy).
(function () {
  "use strict";
  var block = document.getElementById("map-data");
  var box = document.getElementById("leaflet-map");
  var outline = document.getElementById("map-outline");
  if (!block || !box || typeof window.L === "undefined") return;
  var data = JSON.parse(block.textContent);
  var points = data.schools.concat(data.companies);
  if (!points.length) return;
  box.hidden = false;
  var map = window.L.map(box, { scrollWheelZoom: false });
  var loaded = false;
  var tiles = window.L.tileLayer(data.tiles, {
    minZoom: 6, maxZoom: 19, attribution: data.attribution
  });
  tiles.on("tileload", function () {
    if (!loaded && outline) outline.hidden = true;
    loaded = true;
  });
  tiles.on("tileerror", function () {
    if (!loaded) box.hidden = true;
  });
  tiles.addTo(map);
  data.links.forEach(function (l) {
    window.L.polyline([l.from, l.to], { color: "#44546a", opacity: 0.6, weight: l.weight })
      .bindTooltip(String(l.pupils)).addTo(map);
  });
  data.companies.forEach(function (c) {
    window.L.circleMarker([c.lat, c.lon], { radius: 5, color: "#b3541e", fillOpacity: 0.9 })
      .bindTooltip(c.label).addTo(map);
  });
  data.schools.forEach(function (s) {
    window.L.circleMarker([s.lat, s.lon], { radius: 7, color: "#0b5394", fillOpacity: 0.9 })
      .bindTooltip(s.label, { permanent: data.schools.length <= 30, className: "school-label" })
      .addTo(map);
  });
  map.fitBounds(points.map(function (p) { return [p.lat, p.lon]; }), { padding: [30, 30] });
})();
