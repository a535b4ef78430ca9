/* The power map grid, enhanced: drag an actor to place it (pointer events; the new power and
   stance are posted with the map's version when the pointer is let go), the list's "Save" buttons
   move the marker without a reload, and the PNG button draws the server's SVG on a canvas.
   Everything here has a form that works without it. */
(function () {
  "use strict";

  var figure = document.getElementById("pm-figure");
  var svg = document.getElementById("pm-svg");
  if (!figure || !svg) { return; }
  var statusLine = document.getElementById("pm-status");
  var left = Number(svg.dataset.left), top = Number(svg.dataset.top);
  var plotWidth = Number(svg.dataset.plotWidth), plotHeight = Number(svg.dataset.plotHeight);

  function say(text) { if (statusLine) { statusLine.textContent = text; } }
  function clamp(value, low, high) { return Math.min(high, Math.max(low, value)); }
  function round1(value) { return Math.round(value * 10) / 10; }
  function xOf(stance) { return left + (stance + 5) / 10 * plotWidth; }
  function yOf(power) { return top + plotHeight - power / 10 * plotHeight; }

  function moveMarker(marker, power, stance) {
    var x = xOf(stance), y = yOf(power);
    marker.setAttribute("transform", "translate(" + x.toFixed(1) + " " + y.toFixed(1) + ")");
    var id = marker.dataset.id;
    svg.querySelectorAll('line.pm-link[data-source="' + id + '"]').forEach(function (line) {
      line.setAttribute("x1", x.toFixed(1)); line.setAttribute("y1", y.toFixed(1));
    });
    svg.querySelectorAll('line.pm-link[data-target="' + id + '"]').forEach(function (line) {
      line.setAttribute("x2", x.toFixed(1)); line.setAttribute("y2", y.toFixed(1));
    });
  }

  function markerOf(id) { return svg.querySelector('g.pm-actor[data-id="' + id + '"]'); }

  function setVersion(version) {
    document.querySelectorAll('input[name="version"]').forEach(function (input) { input.value = version; });
  }

  function refreshGuidance() {
    var section = document.getElementById("pm-guidance");
    if (!section) { return; }
    fetch(window.location.pathname, { headers: { "HX-Request": "true" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (html) { section.outerHTML = html; })
      .catch(function () { /* the guidance stays as it was; a reload shows the new one */ });
  }

  function csrfToken() {
    var input = document.querySelector('input[name="csrfmiddlewaretoken"]');
    return input ? input.value : "";
  }

  function currentVersion() {
    var input = document.querySelector('.pm-place-form input[name="version"]');
    return input ? input.value : "";
  }

  /* Post a place; on success update the marker, the row and every version; on failure put the
     marker back where it was and say why. */
  function save(marker, power, stance, before) {
    var body = new FormData();
    body.append("csrfmiddlewaretoken", csrfToken());
    body.append("version", currentVersion());
    body.append("power", power.toFixed(1));
    body.append("stance", stance.toFixed(1));
    say(figure.dataset.saving);
    return fetch(marker.dataset.placeUrl, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrfToken() }
    }).then(function (response) {
      return response.json().then(function (answer) { return { ok: response.ok, answer: answer }; });
    }).then(function (result) {
      var answer = result.answer;
      if (!result.ok) {
        moveMarker(marker, before.power, before.stance);
        say(figure.dataset.failed + " " + (answer.error || "") + (answer.version ? " " + figure.dataset.reload : ""));
        return;
      }
      marker.dataset.power = answer.power; marker.dataset.stance = answer.stance;
      moveMarker(marker, Number(answer.power), Number(answer.stance));
      setVersion(answer.version);
      var row = document.getElementById("actor-" + marker.dataset.id);
      if (row) {
        row.querySelector('input[name="power"]').value = answer.power;
        row.querySelector('input[name="stance"]').value = answer.stance;
        row.querySelector(".pm-quadrant-cell").textContent = answer.quadrant;
      }
      say(answer.message);
      refreshGuidance();
    }).catch(function () {
      moveMarker(marker, before.power, before.stance);
      say(figure.dataset.failed + " " + figure.dataset.reload);
    });
  }

  if (figure.dataset.editable === "true") {
    figure.classList.add("pm-draggable");
    var dragging = null;

    function pointAt(event) {
      var point = svg.createSVGPoint();
      point.x = event.clientX; point.y = event.clientY;
      return point.matrixTransform(svg.getScreenCTM().inverse());
    }

    svg.addEventListener("pointerdown", function (event) {
      var marker = event.target.closest("g.pm-actor");
      if (!marker || !marker.dataset.placeUrl) { return; }
      event.preventDefault();
      marker.setPointerCapture(event.pointerId);
      marker.classList.add("is-dragging");
      dragging = {
        marker: marker, moved: false,
        before: { power: Number(marker.dataset.power), stance: Number(marker.dataset.stance) }
      };
    });

    svg.addEventListener("pointermove", function (event) {
      if (!dragging) { return; }
      var point = pointAt(event);
      var stance = round1(clamp((point.x - left) / plotWidth * 10 - 5, -5, 5));
      var power = round1(clamp((top + plotHeight - point.y) / plotHeight * 10, 0, 10));
      dragging.power = power; dragging.stance = stance; dragging.moved = true;
      moveMarker(dragging.marker, power, stance);
      say(dragging.marker.dataset.name + ": " + power.toFixed(1) + " / " + (stance > 0 ? "+" : "") + stance.toFixed(1));
    });

    function finish(event) {
      if (!dragging) { return; }
      var current = dragging;
      dragging = null;
      current.marker.classList.remove("is-dragging");
      if (current.marker.hasPointerCapture(event.pointerId)) { current.marker.releasePointerCapture(event.pointerId); }
      if (!current.moved) { return; }
      if (event.type === "pointercancel") { moveMarker(current.marker, current.before.power, current.before.stance); return; }
      save(current.marker, current.power, current.stance, current.before);
    }
    svg.addEventListener("pointerup", finish);
    svg.addEventListener("pointercancel", finish);

    /* The list's Save buttons: the same post, without leaving the page. */
    document.querySelectorAll("form.pm-place-form").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        var id = form.id.replace(/^place-/, "");
        var marker = markerOf(id);
        var power = document.getElementById("power-" + id);
        var stance = document.getElementById("stance-" + id);
        if (!marker || !power.checkValidity() || !stance.checkValidity()) { return; }
        event.preventDefault();
        var before = { power: Number(marker.dataset.power), stance: Number(marker.dataset.stance) };
        save(marker, Number(power.value), Number(stance.value.replace("\u2212", "-")), before);
      });
    });
  }

  var pngButton = document.getElementById("pm-png");
  if (pngButton) {
    pngButton.hidden = false;
    pngButton.addEventListener("click", function () {
      var text = new XMLSerializer().serializeToString(svg);
      var image = new Image();
      var width = Number(svg.getAttribute("width")), height = Number(svg.getAttribute("height"));
      image.onload = function () {
        var canvas = document.createElement("canvas");
        canvas.width = width * 2; canvas.height = height * 2;
        var context = canvas.getContext("2d");
        context.scale(2, 2);
        context.drawImage(image, 0, 0, width, height);
        canvas.toBlob(function (blob) {
          var link = document.createElement("a");
          link.href = URL.createObjectURL(blob);
          link.download = (figure.dataset.filename || "power-map") + ".png";
          document.body.appendChild(link);
          link.click();
          link.remove();
          setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
        }, "image/png");
      };
      image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(text);
    });
  }
})();
