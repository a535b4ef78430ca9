/* The theory of change diagram, enhanced: a click on an outcome opens its edit form in the side
   panel (without JavaScript the same click opens the form's page); in link mode two clicks open the
   "Link two outcomes" form in the panel with both outcomes chosen; the PNG button draws the server's SVG on a canvas and saves it.
   Everything here has a form or a link that works without it. */
(function () {
  "use strict";

  var canvas = document.getElementById("toc-canvas");
  if (!canvas) { return; }
  document.documentElement.classList.add("js");
  var panel = document.getElementById("toc-panel");
  var toolbar = document.getElementById("toc-toolbar");
  var modeButton = document.getElementById("toc-link-mode");
  var statusLine = document.getElementById("toc-status");
  var pngButton = document.getElementById("toc-png");
  var isLinkMode = false;
  var chosen = null;

  function format(text, values) {
    return (text || "").replace(/%\((\w+)\)s/g, function (match, key) {
      return key in values ? String(values[key]) : match;
    });
  }

  function say(text) { if (statusLine) { statusLine.textContent = text; } }

  function clearChoice() {
    if (chosen) { chosen.classList.remove("is-chosen"); }
    chosen = null;
  }

  function setMode(on) {
    isLinkMode = on;
    clearChoice();
    modeButton.setAttribute("aria-pressed", on ? "true" : "false");
    say(on ? canvas.dataset.on : canvas.dataset.off);
  }

  function fillLinkForm(from, to) {
    // The "Link two outcomes" form opens in the panel with both outcomes chosen.
    var address = canvas.dataset.linkUrl;
    if (!address) { return; }
    address += (address.indexOf("?") < 0 ? "?" : "&") + "precondition=" + encodeURIComponent(from.dataset.id) +
      "&outcome=" + encodeURIComponent(to.dataset.id);
    openForm(address, "id_link-rationale");
    say(format(canvas.dataset.done, { from: from.dataset.title, to: to.dataset.title }));
  }

  function openForm(address, focusId) {
    fetch(address, { headers: { "HX-Request": "true" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      })
      .then(function (html) {
        panel.innerHTML = html;
        var target = (focusId && document.getElementById(focusId)) || panel.querySelector("h1");
        if (target) { target.focus(); }
      })
      .catch(function () { window.location.href = address; });
  }

  canvas.addEventListener("click", function (event) {
    var node = event.target.closest("a.toc-node");
    if (!node) { return; }
    event.preventDefault();
    if (!isLinkMode) { openForm(node.getAttribute("href")); return; }
    if (!chosen) {
      chosen = node;
      node.classList.add("is-chosen");
      say(format(canvas.dataset.first, { name: node.dataset.title }));
      return;
    }
    if (chosen === node) { clearChoice(); say(canvas.dataset.on); return; }
    var from = chosen;
    clearChoice();
    fillLinkForm(from, node);
  });

  if (modeButton && toolbar) {
    toolbar.hidden = false;
    modeButton.addEventListener("click", function () { setMode(!isLinkMode); });
  }

  if (pngButton) {
    pngButton.hidden = false;
    pngButton.addEventListener("click", function () {
      var svg = canvas.querySelector("svg");
      if (!svg) { return; }
      var copy = svg.cloneNode(true);
      // Links and focus styles are for the page; the picture keeps only the drawing.
      copy.querySelectorAll("a.toc-node").forEach(function (link) {
        var group = document.createElementNS("http://www.w3.org/2000/svg", "g");
        while (link.firstChild) { group.appendChild(link.firstChild); }
        link.parentNode.replaceChild(group, link);
      });
      var width = Number(svg.getAttribute("width"));
      var height = Number(svg.getAttribute("height"));
      var scale = Math.min(2, 16000 / Math.max(width, height));
      var text = new XMLSerializer().serializeToString(copy);
      var image = new Image();
      image.onload = function () {
        var drawing = document.createElement("canvas");
        drawing.width = Math.round(width * scale);
        drawing.height = Math.round(height * scale);
        var context = drawing.getContext("2d");
        context.scale(scale, scale);
        context.drawImage(image, 0, 0);
        drawing.toBlob(function (blob) {
          var link = document.createElement("a");
          link.href = URL.createObjectURL(blob);
          link.download = (canvas.dataset.filename || "theory-of-change") + ".png";
          document.body.appendChild(link);
          link.click();
          link.remove();
          setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
        }, "image/png");
      };
      image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(text);
    });
  }
}());
