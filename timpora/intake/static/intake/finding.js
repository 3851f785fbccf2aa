// The field finding page: the GPS button fills longitude/latitude from the phone and asks
// the server which kelurahan/desa of the officer's area contains the point. The server
// checks the point again when the finding is saved; this only spares a wrong pick.
(function () {
  "use strict";
  var button = document.getElementById("gps-button");
  if (!button) return;
  var status = document.getElementById("gps-status");
  var lon = document.querySelector('[data-gps="lon"]');
  var lat = document.querySelector('[data-gps="lat"]');
  var select = document.getElementById("id_area_code");

  function say(text, kind) {
    status.textContent = text;
    status.className = "gps-status" + (kind ? " " + kind : "");
  }

  button.hidden = false;
  if (!("geolocation" in navigator)) {
    button.disabled = true;
    say(button.dataset.msgUnsupported, "error");
    return;
  }
  button.addEventListener("click", function () {
    if (!window.isSecureContext) {
      say(button.dataset.msgInsecure, "error");
      return;
    }
    button.setAttribute("aria-busy", "true");
    say(button.dataset.msgWaiting);
    navigator.geolocation.getCurrentPosition(
      function (position) {
        var x = position.coords.longitude.toFixed(6);
        var y = position.coords.latitude.toFixed(6);
        lon.value = x;
        lat.value = y;
        var url = button.dataset.locateUrl + "?lon=" + encodeURIComponent(x) + "&lat=" + encodeURIComponent(y);
        fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) { return response.json(); })
          .then(function (body) {
            button.removeAttribute("aria-busy");
            var accuracy = " (±" + Math.round(position.coords.accuracy) + " m)";
            if (body.code) {
              if (select) select.value = body.code;
              say(button.dataset.msgFound.replace("%(name)s", body.name) + accuracy, "ok");
            } else {
              say((body.error || button.dataset.msgFailed) + accuracy, "error");
            }
          })
          .catch(function () {
            button.removeAttribute("aria-busy");
            say(button.dataset.msgFailed, "error");
          });
      },
      function (error) {
        button.removeAttribute("aria-busy");
        say(error.code === 1 ? button.dataset.msgDenied : button.dataset.msgFailed, "error");
      },
      { enableHighAccuracy: true, timeout: 20000, maximumAge: 0 }
    );
  });
})();
