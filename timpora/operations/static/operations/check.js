/* Field check page: look a person up, record the check, and keep working without a connection.
 *
 * Every check goes through a queue kept in the browser (IndexedDB; localStorage where IndexedDB
 * is missing) before it is sent, so nothing is lost when the connection drops or the page is
 * closed. Each check carries a UUID made here: the server stores a check once per UUID, so the
 * queue may send it again after a lost answer without creating a duplicate. The queue is sent
 * when the page opens, when the browser says it is online again, on "Send now", and every 30 s
 * while something waits. The indicator says how many checks are not yet sent.
 */
(function () {
  "use strict";
  var form = document.getElementById("check-form");
  if (!form) { return; }
  var msg = form.dataset;
  var DB_NAME = "timpora-operations";
  var STORE = "outbox";
  var LS_KEY = "timpora-operations-outbox";
  var RETRY_MS = [3000, 10000, 30000, 60000];
  var PHOTO_MAX_PX = 1280;

  var el = {
    outbox: document.getElementById("outbox"),
    count: document.getElementById("outbox-count"),
    net: document.getElementById("net-state"),
    message: document.getElementById("outbox-message"),
    problems: document.getElementById("outbox-problems"),
    send: document.getElementById("outbox-send"),
    sent: document.getElementById("sent-list"),
    results: document.getElementById("lookup-results"),
    formMessage: document.getElementById("form-message"),
    personId: document.getElementById("id_person_id")
  };

  // ------------------------------------------------------------------ storage (the queue)

  var dbPromise = null;
  function openDb() {
    if (!window.indexedDB) { return Promise.resolve(null); }
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve) {
        var request;
        try { request = indexedDB.open(DB_NAME, 1); } catch (e) { resolve(null); return; }
        request.onupgradeneeded = function () {
          request.result.createObjectStore(STORE, { keyPath: "client_uuid" });
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { resolve(null); };  // e.g. private mode: localStorage
      });
    }
    return dbPromise;
  }

  function lsRead() {
    try { return JSON.parse(localStorage.getItem(LS_KEY) || "[]"); } catch (e) { return []; }
  }
  function lsWrite(items) { localStorage.setItem(LS_KEY, JSON.stringify(items)); }

  function allItems() {
    return openDb().then(function (db) {
      if (!db) { return lsRead(); }
      return new Promise(function (resolve, reject) {
        var request = db.transaction(STORE, "readonly").objectStore(STORE).getAll();
        request.onsuccess = function () { resolve(request.result || []); };
        request.onerror = function () { reject(request.error); };
      });
    }).then(function (items) {
      return items.sort(function (a, b) { return a.queued_at < b.queued_at ? -1 : 1; });
    });
  }

  function putItem(item) {
    return openDb().then(function (db) {
      if (!db) {
        var items = lsRead().filter(function (i) { return i.client_uuid !== item.client_uuid; });
        items.push(item);
        lsWrite(items);
        return;
      }
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, "readwrite");
        tx.objectStore(STORE).put(item);
        tx.oncomplete = function () { resolve(); };
        tx.onerror = function () { reject(tx.error); };
      });
    });
  }

  function deleteItem(uuid) {
    return openDb().then(function (db) {
      if (!db) {
        lsWrite(lsRead().filter(function (i) { return i.client_uuid !== uuid; }));
        return;
      }
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, "readwrite");
        tx.objectStore(STORE).delete(uuid);
        tx.oncomplete = function () { resolve(); };
        tx.onerror = function () { reject(tx.error); };
      });
    });
  }

  // ------------------------------------------------------------------ helpers

  function uuid4() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    // Plain-HTTP intranets have no randomUUID (secure contexts only); getRandomValues works.
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); });
    return h.slice(0, 4).join("") + "-" + h.slice(4, 6).join("") + "-" + h.slice(6, 8).join("") +
      "-" + h.slice(8, 10).join("") + "-" + h.slice(10, 16).join("");
  }

  function csrfToken() {
    // The cookie first: it is current even if the page is older than a new login.
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) { return decodeURIComponent(match[1]); }
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function text(tag, value, cls) {
    var node = document.createElement(tag);
    node.textContent = value;
    if (cls) { node.className = cls; }
    return node;
  }

  function shrinkPhoto(file) {
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      reader.onerror = function () { reject(reader.error); };
      reader.onload = function () {
        var img = new Image();
        img.onerror = function () { resolve(reader.result); };  // the server checks the type
        img.onload = function () {
          var scale = Math.min(1, PHOTO_MAX_PX / Math.max(img.width, img.height));
          var canvas = document.createElement("canvas");
          canvas.width = Math.round(img.width * scale);
          canvas.height = Math.round(img.height * scale);
          canvas.getContext("2d").drawImage(img, 0, 0, canvas.width, canvas.height);
          resolve(canvas.toDataURL("image/jpeg", 0.8));
        };
        img.src = reader.result;
      };
      reader.readAsDataURL(file);
    });
  }

  // ------------------------------------------------------------------ indicator

  var lastProblem = "";
  function showNet() {
    el.net.textContent = navigator.onLine ? msg.msgOnline : msg.msgOffline;
    el.net.dataset.online = navigator.onLine ? "1" : "0";
  }

  function refresh() {
    return allItems().then(function (items) {
      el.count.textContent = String(items.length);
      el.outbox.dataset.count = String(items.length);
      el.outbox.classList.toggle("pending", items.length > 0);
      el.send.hidden = items.length === 0;
      el.problems.textContent = "";
      items.forEach(function (item) {
        if (!item.error) { return; }
        var li = text("li", msg.msgRejected + " " + item.error + " ");
        var discard = text("button", msg.msgDiscard, "small secondary outline");
        discard.type = "button";
        discard.addEventListener("click", function () {
          deleteItem(item.client_uuid).then(refresh);
        });
        li.appendChild(discard);
        el.problems.appendChild(li);
      });
      if (!items.length && !lastProblem) { el.message.textContent = ""; }
      return items;
    });
  }

  function say(message) { el.message.textContent = message; }

  // ------------------------------------------------------------------ sending

  var sending = false;
  var retryTimer = null;
  var retryStep = 0;

  function scheduleRetry() {
    if (retryTimer) { return; }
    var delay = RETRY_MS[Math.min(retryStep, RETRY_MS.length - 1)];
    retryStep += 1;
    retryTimer = setTimeout(function () { retryTimer = null; flush(); }, delay);
  }

  function describeErrors(body) {
    if (body && body.errors) {
      return Object.keys(body.errors).map(function (k) {
        return body.errors[k].join(" ");
      }).join(" ");
    }
    return (body && body.detail) || "";
  }

  function sendOne(item) {
    var payload = Object.assign({}, item.payload, { queued: item.attempts > 0 });
    item.attempts += 1;
    return fetch(item.url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(),
                 "Accept": "application/json" },
      body: JSON.stringify(payload)
    }).then(function (response) {
      if (response.status === 200 || response.status === 201) {
        return response.json().then(function (stored) {
          return deleteItem(item.client_uuid).then(function () {
            var li = document.createElement("li");
            var a = text("a", (stored.full_name || "—") + " · " + stored.result);
            a.href = stored.url;
            li.appendChild(a);
            li.dataset.uuid = stored.client_uuid;
            el.sent.insertBefore(li, el.sent.firstChild);
            return "sent";
          });
        });
      }
      if (response.status === 401 || response.status === 403) { return "login"; }
      if (response.status === 400 || response.status === 413 || response.status === 422) {
        return response.json().catch(function () { return {}; }).then(function (body) {
          item.error = describeErrors(body) || String(response.status);
          return putItem(item).then(function () { return "rejected"; });
        });
      }
      return putItem(item).then(function () { return "retry"; });  // 5xx: try again later
    }, function () {
      return putItem(item).then(function () { return "retry"; });  // no connection
    });
  }

  function flush() {
    if (sending) { return Promise.resolve(); }
    sending = true;
    return allItems().then(function (items) {
      var waiting = items.filter(function (i) { return !i.error; });
      var chain = Promise.resolve("sent");
      waiting.forEach(function (item) {
        chain = chain.then(function (previous) {
          return previous === "sent" || previous === "rejected" ? sendOne(item) : previous;
        });
      });
      return chain.then(function (outcome) {
        if (outcome === "login") {
          lastProblem = msg.msgLogin; say(msg.msgLogin);
        } else if (outcome === "retry") {
          lastProblem = msg.msgRetry; say(msg.msgRetry); scheduleRetry();
        } else {
          lastProblem = ""; retryStep = 0;
          if (waiting.length) { say(msg.msgAllSent); }
        }
      });
    }).catch(function () { scheduleRetry(); }).then(function () {
      sending = false;
      return refresh();
    });
  }

  // ------------------------------------------------------------------ recording a check

  function value(name) {
    var field = form.elements[name];
    return field ? (field.value || "").trim() : "";
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    el.formMessage.textContent = "";
    var result = form.querySelector("input[name=result]:checked");
    if (!result || !(value("area_code") || value("lon"))) {
      el.formMessage.textContent = msg.msgRequired;
      return;
    }
    var files = Array.prototype.slice.call(form.elements.photos.files || []);
    Promise.all(files.map(shrinkPhoto)).then(function (photos) {
      var uuid = uuid4();
      var item = {
        client_uuid: uuid,
        url: form.dataset.submitUrl,
        queued_at: new Date().toISOString(),
        attempts: 0,
        payload: {
          client_uuid: uuid,
          checked_at: new Date().toISOString(),
          result: result.value,
          person_id: value("person_id") || null,
          mrz: value("mrz"),
          passport_number: value("passport_number"),
          full_name: value("full_name"),
          nationality: value("nationality"),
          area_code: value("area_code"),
          lon: value("lon") || null,
          lat: value("lat") || null,
          premises_id: value("premises_id") || null,
          location_note: value("location_note"),
          observations: value("observations"),
          photos: photos
        }
      };
      return putItem(item);
    }).then(function () {
      form.reset();
      // Hidden inputs keep a value set by script through a reset: clear them here.
      el.personId.value = "";
      form.elements.lon.value = "";
      form.elements.lat.value = "";
      gpsClear.hidden = true;
      el.results.textContent = "";
      document.getElementById("gps-state").textContent = "";
      say(msg.msgQueued);
      return refresh();
    }).then(flush).catch(function (error) {
      el.formMessage.textContent = String(error);
    });
  });

  // ------------------------------------------------------------------ lookup

  function badge(status) { return text("span", status, "badge badge-" + status); }

  function renderCandidates(data) {
    el.results.textContent = "";
    (data.errors || []).forEach(function (e) { el.results.appendChild(text("p", e, "field-error")); });
    if (data.mrz) {
      if (!value("passport_number")) { form.elements.passport_number.value = data.mrz.document_number; }
      if (!value("nationality")) { form.elements.nationality.value = data.mrz.nationality; }
      if (!value("full_name")) {
        form.elements.full_name.value = (data.mrz.given_names + " " + data.mrz.surname).trim();
      }
    }
    if (!data.candidates.length) {
      if (!(data.errors || []).length) { el.results.appendChild(text("p", msg.msgNoneFound, "muted")); }
      return;
    }
    data.candidates.forEach(function (c) {
      var label = document.createElement("label");
      label.className = "candidate";
      var radio = document.createElement("input");
      radio.type = "radio";
      radio.name = "person_pick";
      radio.value = String(c.id);
      radio.addEventListener("change", function () {
        el.personId.value = c.id;
        if (!value("full_name")) { form.elements.full_name.value = c.full_name; }
        if (!value("nationality")) { form.elements.nationality.value = c.nationality; }
      });
      label.appendChild(radio);
      label.appendChild(text("strong", " " + c.full_name + " "));
      label.appendChild(text("span", c.nationality + (c.birth_year ? " · " + c.birth_year : "") +
        (c.passport ? " · " + c.passport : "") + " ", "muted"));
      label.appendChild(badge(c.permit_status));
      if (c.overstay_days) {
        label.appendChild(text("span", " " + c.overstay_days + " " + msg.msgOverstay, "overstay"));
      }
      if (c.alerts.length) {
        label.appendChild(text("span", " · " + c.alerts.length + " " + msg.msgAlerts + ": " +
          c.alerts.map(function (a) { return a.rule; }).join(", "), "alert-hit"));
      }
      if (c.watchlist.length) {
        label.appendChild(text("span", " · " + c.watchlist.length + " " + msg.msgWatchlist, "alert-hit"));
      }
      if (c.targeted) { label.appendChild(text("span", " · " + msg.msgTarget, "target-hit")); }
      el.results.appendChild(label);
    });
    var none = document.createElement("label");
    var radio = document.createElement("input");
    radio.type = "radio";
    radio.name = "person_pick";
    radio.addEventListener("change", function () { el.personId.value = ""; });
    none.appendChild(radio);
    none.appendChild(text("span", " " + msg.msgNoneOfThese));
    el.results.appendChild(none);
  }

  document.getElementById("lookup").addEventListener("click", function () {
    el.personId.value = "";
    if (!navigator.onLine) { el.results.textContent = msg.msgLookupOffline; return; }
    var params = new URLSearchParams({
      mrz: value("mrz"), passport: value("passport_number"),
      name: value("full_name"), nationality: value("nationality")
    });
    fetch(form.dataset.lookupUrl + "?" + params.toString(), {
      credentials: "same-origin", headers: { "Accept": "application/json" }
    }).then(function (r) {
      if (r.status === 401) { throw new Error(msg.msgLogin); }
      if (!r.ok) { throw new Error(String(r.status)); }
      return r.json();
    }).then(renderCandidates, function (error) {
      el.results.textContent = error.message === "Failed to fetch" ? msg.msgLookupOffline : error.message;
    });
  });

  // ------------------------------------------------------------------ GPS

  var gpsState = document.getElementById("gps-state");
  var gpsClear = document.getElementById("gps-clear");
  document.getElementById("gps").addEventListener("click", function () {
    if (!navigator.geolocation) { gpsState.textContent = msg.msgGpsFailed; return; }
    navigator.geolocation.getCurrentPosition(function (pos) {
      form.elements.lon.value = pos.coords.longitude.toFixed(6);
      form.elements.lat.value = pos.coords.latitude.toFixed(6);
      gpsState.textContent = msg.msgGps + " (±" + Math.round(pos.coords.accuracy) + " m)";
      gpsClear.hidden = false;
    }, function (error) {
      gpsState.textContent = msg.msgGpsFailed + " " + error.message;
    }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 });
  });
  gpsClear.addEventListener("click", function () {
    form.elements.lon.value = "";
    form.elements.lat.value = "";
    gpsState.textContent = "";
    gpsClear.hidden = true;
  });

  // ------------------------------------------------------------------ triggers

  window.addEventListener("online", function () { showNet(); retryStep = 0; flush(); });
  window.addEventListener("offline", showNet);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { flush(); }
  });
  el.send.addEventListener("click", function () { retryStep = 0; flush(); });
  setInterval(function () {
    if (navigator.onLine && el.outbox.dataset.count !== "0") { flush(); }
  }, 30000);
  showNet();
  refresh().then(flush);
})();
