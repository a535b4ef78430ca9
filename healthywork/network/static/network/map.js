/* The network map: draws the wave's network with Cytoscape.js at the positions the server computed
   (the "preset" layout, so a graph always looks the same), sizes organizations by a chosen metric,
   finds them by name, shows one in the side panel, and saves the picture as PNG or SVG.
   From the keyboard (WCAG 2.1.1): the canvas is one tab stop; the arrow keys move a focus ring from
   organization to organization in the order of the table (the chosen metric, highest first, then
   the name), Enter or Space shows the focused one in the panel as a click does, + and - zoom, 0
   shows everything, Escape clears the choice; the status line says where the focus is. Tab leaves
   the map. The page's tables hold the same data, so nothing here is needed for reading.
   The JSON is compact (network/mapdata.py `map_data`): nodes as rows named by `node_fields`, sectors
   and codes as lookup tables, one edge per pair of organizations with bitmasks of kinds and flags. */
(function () {
  "use strict";

  var canvas = document.getElementById("map-canvas");
  if (!canvas) { return; }
  var toolbar = document.getElementById("map-toolbar");
  var statusLine = document.getElementById("map-status");
  var panelBody = document.getElementById("map-panel-body");
  var sizeSelect = document.getElementById("id_size");
  var strings = {};
  var stringsTemplate = document.getElementById("map-strings");
  if (stringsTemplate) {
    stringsTemplate.content.querySelectorAll("[data-key]").forEach(function (span) {
      strings[span.dataset.key] = span.textContent;
    });
  }
  var cy = null;
  var data = null;
  var order = null; // the nodes in keyboard order, built when first needed and after a resize
  var focusIndex = -1;
  var legend = {};
  var ARROW_TO_TARGET = 1, ARROW_TO_SOURCE = 2, PLANNED = 4;

  function bits(mask, codes) {
    return codes.filter(function (code, index) { return mask & (1 << index); });
  }

  /* The compact rows as the element data Cytoscape draws. */
  function nodeData(payload) {
    return payload.nodes.map(function (cells) {
      var node = { size: 20 };
      payload.node_fields.forEach(function (field, index) { node[field] = cells[index]; });
      var sector = payload.sectors[node.sector];
      node.sector = sector[0];
      node.sector_name = sector[1];
      node.family = sector[2];
      node.level = node.level === null ? "" : payload.levels[node.level];
      node.url = payload.organization_url.replace(payload.url_marker, node.id);
      return node;
    });
  }

  function edgeData(payload, nodes) {
    return payload.edges.map(function (cells, index) {
      var flags = cells[4];
      return {
        id: "e" + index,
        source: nodes[cells[0]].id,
        target: nodes[cells[1]].id,
        kinds: bits(cells[2], payload.kinds),
        level: cells[3],
        directed: Boolean(flags & ARROW_TO_TARGET),
        back: Boolean(flags & ARROW_TO_SOURCE),
        planned: Boolean(flags & PLANNED),
        provenances: bits(cells[5], payload.provenances)
      };
    });
  }

  function format(text, values) {
    return (text || "").replace(/%\((\w+)\)s/g, function (match, key) {
      return key in values ? String(values[key]) : match;
    });
  }

  function fail() {
    canvas.innerHTML = "";
    var message = document.createElement("p");
    message.className = "message warning";
    message.textContent = canvas.dataset.failure;
    canvas.appendChild(message);
  }

  function sizeBy(metric) {
    if (!cy) { return; }
    var largest = 0;
    cy.nodes().forEach(function (node) { largest = Math.max(largest, node.data(metric) || 0); });
    cy.batch(function () {
      cy.nodes().forEach(function (node) {
        var share = largest > 0 ? (node.data(metric) || 0) / largest : 0;
        // The area, not the width, grows with the metric, so big values do not swamp the picture.
        node.data("size", 16 + 40 * Math.sqrt(share));
      });
    });
    canvas.dataset.size = metric;
    order = null;
  }

  /* Size by a metric; one the server has not computed yet (a large network gets only the one it is
     sized by) is fetched first. */
  function resize(metric) {
    if (data.metrics.indexOf(metric) !== -1) { sizeBy(metric); return; }
    var address = new URL(canvas.dataset.url, window.location.href);
    address.searchParams.set("size", metric);
    canvas.dataset.size = metric;
    fetch(address, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (payload) {
        var byId = {};
        nodeData(payload).forEach(function (node) { byId[node.id] = node; });
        cy.batch(function () {
          cy.nodes().forEach(function (node) {
            var fresh = byId[node.id()];
            if (!fresh) { return; }
            payload.metrics.forEach(function (name) { node.data(name, fresh[name]); });
          });
        });
        data.metrics = payload.metrics;
        if (canvas.dataset.size === metric) { sizeBy(metric); }
      })
      .catch(function () { statusLine.textContent = canvas.dataset.failure; });
  }

  function styles(isLarge) {
    var list = [
      {
        selector: "node",
        style: {
          "width": "data(size)",
          "height": "data(size)",
          "background-color": "#7f7f7f",
          "border-width": 1.5,
          "border-color": "#1c2430",
          "label": "data(label)",
          "font-size": 10,
          "color": "#1c2430",
          "text-valign": "bottom",
          "text-margin-y": 3,
          "text-background-color": "#ffffff",
          "text-background-opacity": 0.75,
          "text-background-padding": 1,
          "min-zoomed-font-size": isLarge ? 12 : 7
        }
      },
      {
        selector: "edge",
        style: {
          "width": "mapData(level, 0, 5, 1, 4)",
          "line-color": "#6b7480",
          "opacity": isLarge ? 0.35 : 0.7,
          "curve-style": isLarge ? "haystack" : "bezier"
        }
      },
      { selector: "edge[!level]", style: { "width": 1 } },
      { selector: "edge[?planned]", style: { "line-style": "dashed", "line-color": "#4a5563" } },
      { selector: "node.highlighted, node:selected", style: { "border-width": 5, "border-color": "#b35c00", "z-index": 10 } },
      { selector: "edge.touching", style: { "line-color": "#b35c00", "opacity": 1, "z-index": 9 } },
      // The keyboard's focus: a thick blue ring, so it differs from the selection in more than colour.
      {
        selector: "node.keyboard-focus",
        style: {
          "border-width": 6, "border-color": "#0b57d0", "border-style": "double", "z-index": 11,
          "min-zoomed-font-size": 0, "font-weight": "bold"
        }
      }
    ];
    if (!isLarge) {
      list.push({
        selector: "edge[?directed]",
        style: { "target-arrow-shape": "triangle", "target-arrow-color": "#6b7480", "arrow-scale": 0.8 }
      });
      list.push({
        selector: "edge[?back]",
        style: { "source-arrow-shape": "triangle", "source-arrow-color": "#6b7480", "arrow-scale": 0.8 }
      });
    }
    data.legend.forEach(function (entry) {
      var style = { "background-color": entry.colour, "shape": entry.points ? "polygon" : "ellipse" };
      if (entry.points) { style["shape-polygon-points"] = entry.points; }
      list.push({ selector: 'node[family = "' + entry.family + '"]', style: style });
    });
    return list;
  }

  function fixed(value) {
    return value === null || value === undefined ? "—" : Number(value).toFixed(3);
  }

  function show(node) {
    var template = document.getElementById("map-panel-template");
    var fragment = template.content.cloneNode(true);
    var values = Object.assign({}, node.data(), {
      family_name: data.labels.family[node.data("family")] || node.data("family"),
      betweenness: fixed(node.data("betweenness")),
      eigenvector: fixed(node.data("eigenvector"))
    });
    fragment.querySelectorAll("[data-slot]").forEach(function (slot) {
      var key = slot.dataset.slot;
      if (key === "url") { slot.href = values.url; } else { slot.textContent = values[key]; }
    });
    panelBody.innerHTML = "";
    panelBody.appendChild(fragment);
    cy.edges().removeClass("touching");
    node.connectedEdges().addClass("touching");
  }

  /* A node chosen by click or by Enter: selected, in the panel, and named in the status line. */
  function choose(node) {
    cy.nodes().unselect();
    node.select();
    show(node);
    statusLine.textContent = format(strings.selected, { name: node.data("label") });
  }

  /* Keyboard order: as the table beside the map, the size metric highest first, then the name. */
  function keyboardOrder() {
    if (order) { return order; }
    var metric = canvas.dataset.size || "degree";
    order = cy.nodes().toArray().sort(function (first, second) {
      var difference = (second.data(metric) || 0) - (first.data(metric) || 0);
      return difference || first.data("label").localeCompare(second.data("label"));
    });
    return order;
  }

  /* Move the focus ring to a node, bring it into view, and say which one it is. */
  function focusNode(index) {
    var nodes = keyboardOrder();
    if (!nodes.length) { return; }
    focusIndex = (index + nodes.length) % nodes.length;
    var node = nodes[focusIndex];
    cy.nodes().removeClass("keyboard-focus");
    node.addClass("keyboard-focus");
    var at = node.renderedPosition(), margin = 40;
    if (at.x < margin || at.y < margin || at.x > cy.width() - margin || at.y > cy.height() - margin) {
      cy.center(node);
    }
    statusLine.textContent = format(strings.focused, {
      name: node.data("label"),
      sector: node.data("sector_name"),
      degree: node.data("degree"),
      index: focusIndex + 1,
      count: nodes.length
    });
  }

  function zoomBy(factor) {
    var focused = focusIndex >= 0 ? keyboardOrder()[focusIndex] : null;
    var around = focused ? focused.renderedPosition() : { x: cy.width() / 2, y: cy.height() / 2 };
    cy.zoom({ level: cy.zoom() * factor, renderedPosition: around });
    statusLine.textContent = format(strings.zoom, { zoom: cy.zoom().toFixed(2) });
  }

  function onKey(event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    var handled = true;
    switch (event.key) {
      case "ArrowRight": case "ArrowDown": focusNode(focusIndex + 1); break;
      case "ArrowLeft": case "ArrowUp": focusNode(focusIndex < 0 ? -1 : focusIndex - 1); break;
      case "Home": focusNode(0); break;
      case "End": focusNode(-1); break;
      case "Enter": case " ":
        if (focusIndex < 0) { focusNode(0); }
        choose(keyboardOrder()[focusIndex]);
        break;
      case "+": case "=": zoomBy(1.25); break;
      case "-": case "_": zoomBy(0.8); break;
      case "0": cy.fit(undefined, 30); statusLine.textContent = strings.fitted; break;
      case "Escape":
        cy.nodes().unselect().removeClass("keyboard-focus");
        cy.edges().removeClass("touching");
        focusIndex = -1;
        statusLine.textContent = strings.cleared;
        break;
      default: handled = false;
    }
    if (handled) { event.preventDefault(); }
  }

  /* The canvas becomes one tab stop that takes the keys above (role application, so a screen
     reader passes them on); the instructions are its description. */
  function enableKeyboard() {
    canvas.setAttribute("role", "application");
    canvas.setAttribute("aria-roledescription", strings.roledescription);
    canvas.setAttribute("aria-describedby", "map-keys");
    canvas.tabIndex = 0;
    canvas.addEventListener("keydown", onKey);
    canvas.addEventListener("focus", function () {
      if (focusIndex < 0) { statusLine.textContent = strings.start; }
    });
  }

  function find(event) {
    event.preventDefault();
    var query = document.getElementById("map-search-input").value.trim().toLowerCase();
    cy.nodes().removeClass("highlighted");
    cy.nodes().unselect();
    if (!query) { statusLine.textContent = ""; return; }
    var found = cy.nodes().filter(function (node) {
      return node.data("label").toLowerCase().indexOf(query) !== -1;
    });
    if (found.empty()) {
      statusLine.textContent = format(strings.none, { query: query });
      return;
    }
    var exact = found.filter(function (node) { return node.data("label").toLowerCase() === query; });
    var first = exact.nonempty() ? exact[0] : found[0];
    found.addClass("highlighted");
    first.select();
    focusIndex = keyboardOrder().indexOf(first);
    cy.nodes().removeClass("keyboard-focus");
    first.addClass("keyboard-focus");
    cy.zoom({ level: Math.max(cy.zoom(), 1.2), position: first.position() });
    cy.center(first);
    show(first);
    statusLine.textContent = found.length > 1
      ? format(strings.more, { count: found.length })
      : format(strings.found, { name: first.data("label") });
  }

  function download(blob, extension) {
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = (canvas.dataset.filename || "network-map") + "." + extension;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
  }

  function escapeXml(text) {
    return String(text).replace(/[<>&"']/g, function (character) {
      return { "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" }[character];
    });
  }

  /* An SVG drawn from the same positions, sizes, colours and shapes (no extension needed). */
  function toSvg() {
    var box = cy.elements().boundingBox({ includeLabels: true });
    var pad = 20;
    var x0 = box.x1 - pad, y0 = box.y1 - pad, width = box.w + 2 * pad, height = box.h + 2 * pad;
    var parts = [
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="' + [x0, y0, width, height].map(Math.round).join(" ") +
        '" width="' + Math.round(width) + '" height="' + Math.round(height) + '" font-family="sans-serif">',
      "<title>" + escapeXml(strings.title || "") + "</title>",
      '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" ' +
        'orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#6b7480"/></marker>' +
        '<marker id="arrow-start" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" ' +
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#6b7480"/></marker></defs>',
      '<rect x="' + x0 + '" y="' + y0 + '" width="' + width + '" height="' + height + '" fill="#ffffff"/>',
      '<g stroke="#6b7480" stroke-opacity="0.7">'
    ];
    cy.edges().forEach(function (edge) {
      var from = edge.source().position(), to = edge.target().position();
      var dx = to.x - from.x, dy = to.y - from.y, length = Math.sqrt(dx * dx + dy * dy) || 1;
      var cut = edge.data("directed") ? edge.target().width() / 2 : 0;
      var cutStart = edge.data("back") ? edge.source().width() / 2 : 0;
      var end = { x: to.x - dx / length * cut, y: to.y - dy / length * cut };
      var start = { x: from.x + dx / length * cutStart, y: from.y + dy / length * cutStart };
      parts.push('<line x1="' + start.x.toFixed(1) + '" y1="' + start.y.toFixed(1) + '" x2="' + end.x.toFixed(1) +
        '" y2="' + end.y.toFixed(1) + '" stroke-width="' + (edge.data("level") ? 1 + 0.6 * edge.data("level") : 1) + '"' +
        (edge.data("planned") ? ' stroke-dasharray="6 4"' : "") +
        (edge.data("directed") ? ' marker-end="url(#arrow)"' : "") +
        (edge.data("back") ? ' marker-start="url(#arrow-start)"' : "") + "/>");
    });
    parts.push('</g><g stroke="#1c2430" stroke-width="1.5">');
    cy.nodes().forEach(function (node) {
      var at = node.position(), radius = node.width() / 2;
      var entry = legend[node.data("family")] || { colour: "#7f7f7f", points: "" };
      var title = "<title>" + escapeXml(node.data("label")) + "</title>";
      if (entry.points) {
        var numbers = entry.points.split(" ").map(Number), corners = [];
        for (var index = 0; index < numbers.length; index += 2) {
          corners.push((at.x + numbers[index] * radius).toFixed(1) + "," + (at.y + numbers[index + 1] * radius).toFixed(1));
        }
        parts.push('<polygon points="' + corners.join(" ") + '" fill="' + entry.colour + '">' + title + "</polygon>");
      } else {
        parts.push('<circle cx="' + at.x.toFixed(1) + '" cy="' + at.y.toFixed(1) + '" r="' + radius.toFixed(1) +
          '" fill="' + entry.colour + '">' + title + "</circle>");
      }
    });
    parts.push('</g><g font-size="10" fill="#1c2430" text-anchor="middle">');
    cy.nodes().forEach(function (node) {
      var at = node.position();
      parts.push('<text x="' + at.x.toFixed(1) + '" y="' + (at.y + node.height() / 2 + 12).toFixed(1) + '">' +
        escapeXml(node.data("label")) + "</text>");
    });
    parts.push("</g></svg>");
    return parts.join("\n");
  }

  function draw(payload) {
    data = payload;
    data.legend.forEach(function (entry) { legend[entry.family] = entry; });
    var isLarge = data.edges.length > 3000 || data.nodes.length > 1000;
    var nodes = nodeData(data);
    var elements = nodes.map(function (node) {
      return { group: "nodes", data: node, position: { x: node.x, y: node.y } };
    });
    edgeData(data, nodes).forEach(function (edge) { elements.push({ group: "edges", data: edge }); });
    canvas.innerHTML = "";
    cy = cytoscape({
      container: canvas,
      elements: elements,
      style: styles(isLarge),
      layout: { name: "preset", fit: true, padding: 30 },
      minZoom: 0.02,
      maxZoom: 5,
      selectionType: "single",
      boxSelectionEnabled: false,
      textureOnViewport: isLarge,
      hideEdgesOnViewport: isLarge
    });
    sizeBy(canvas.dataset.size || "degree");
    cy.on("tap", "node", function (event) {
      focusIndex = keyboardOrder().indexOf(event.target);
      cy.nodes().removeClass("keyboard-focus");
      event.target.addClass("keyboard-focus");
      choose(event.target);
    });
    enableKeyboard();
    document.getElementById("map-search").addEventListener("submit", find);
    document.getElementById("map-fit").addEventListener("click", function () { cy.fit(undefined, 30); });
    document.getElementById("map-png").addEventListener("click", function () {
      cy.png({ output: "blob-promise", full: true, scale: 2, bg: "#ffffff" }).then(function (blob) {
        download(blob, "png");
      });
    });
    document.getElementById("map-svg").addEventListener("click", function () {
      download(new Blob([toSvg()], { type: "image/svg+xml" }), "svg");
    });
    if (sizeSelect) {
      sizeSelect.addEventListener("change", function () { resize(sizeSelect.value || "degree"); });
    }
    toolbar.hidden = false;
    canvas.dataset.ready = "true";
    document.getElementById("map-keys").hidden = false;
    window.healthyworkMap = { cy: cy, toSvg: toSvg };
  }

  if (typeof window.cytoscape !== "function") { fail(); return; }
  fetch(canvas.dataset.url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
    .then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    })
    .then(draw)
    .catch(fail);
})();
