/* The coding page: map a mouse selection or a keyboard sentence selection to character offsets
   (counted in Unicode code points, as the server counts them), fill the apply form, nudge
   boundaries by a word, and show which codes cover the focused sentence.
   One listener per event type on the document (event delegation), never one per span. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  var sentenceCache = null;
  var anchorIndex = null;
  var picked = [];

  function textRoot() { return document.getElementById("coding-text"); }
  function workspace() { return document.getElementById("workspace"); }
  function message(name, values) {
    var ws = workspace();
    var text = (ws && ws.dataset[name]) || "";
    Object.keys(values || {}).forEach(function (key) { text = text.split("{" + key + "}").join(values[key]); });
    return text;
  }
  /* Highlights name their codings by index (data-c="0 3") into one JSON list of labels. */
  var labelCache = null;
  function labelsOf(run) {
    if (!labelCache) {
      var data = document.getElementById("coding-labels");
      labelCache = data ? JSON.parse(data.textContent) : [];
    }
    return (run.dataset.c || "").split(" ").filter(Boolean).map(function (i) { return labelCache[Number(i)]; });
  }
  function label(run) {
    if (run.dataset.label === undefined) run.dataset.label = labelsOf(run).join("; ");
    return run.dataset.label;
  }
  document.addEventListener("mouseover", function (event) {
    var run = event.target.closest && event.target.closest("#coding-text .run.hl");
    if (run) label(run);
  });
  function sentences() {
    if (!sentenceCache) {
      var root = textRoot();
      sentenceCache = root ? Array.prototype.slice.call(root.querySelectorAll(".sentence")) : [];
    }
    return sentenceCache;
  }

  /* JS strings are UTF-16: a character outside the BMP (an emoji) is two units but one code point. */
  function codePoints(s) {
    var count = 0;
    for (var i = 0; i < s.length; i++) {
      var unit = s.charCodeAt(i);
      if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < s.length) {
        var next = s.charCodeAt(i + 1);
        if (next >= 0xdc00 && next <= 0xdfff) i++;
      }
      count++;
    }
    return count;
  }
  function runEnd(run) { return Number(run.dataset.start) + codePoints(run.textContent); }
  function firstRun(node) {
    if (node.nodeType !== 1) return null;
    return node.classList.contains("run") ? node : node.querySelector(".run");
  }
  function lastRun(node) {
    if (node.nodeType !== 1) return null;
    if (node.classList.contains("run")) return node;
    var runs = node.querySelectorAll(".run");
    return runs.length ? runs[runs.length - 1] : null;
  }

  /* The character offset of a DOM boundary point (node, offset) inside the text. */
  function pointOffset(root, node, offset) {
    var length = Number(root.dataset.length);
    if (!root.contains(node)) {
      return root.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_PRECEDING ? 0 : length;
    }
    if (node.nodeType === 3) {
      var run = node.parentElement.closest(".run");
      if (run) return Number(run.dataset.start) + codePoints(node.data.slice(0, offset));
      offset = Array.prototype.indexOf.call(node.parentNode.childNodes, node) + (offset ? 1 : 0);
      node = node.parentNode;
    }
    for (var i = offset; i < node.childNodes.length; i++) {
      var after = firstRun(node.childNodes[i]);
      if (after) return Number(after.dataset.start);
    }
    for (var j = offset - 1; j >= 0; j--) {
      var before = lastRun(node.childNodes[j]);
      if (before) return runEnd(before);
    }
    var inside = node.closest(".run");
    return inside ? runEnd(inside) : 0;
  }

  function shorten(text) {
    text = text.replace(/\s+/g, " ").trim();
    return text.length > 120 ? text.slice(0, 80) + " … " + text.slice(-30) : text;
  }
  function choose(start, end, text) {
    var startInput = document.getElementById("apply-start");
    var endInput = document.getElementById("apply-end");
    var status = document.getElementById("selection-status");
    if (!startInput || !endInput) return;
    startInput.value = start;
    endInput.value = end;
    if (status) status.textContent = message("msgSelected", { text: shorten(text), start: start, end: end });
  }
  /* Sentences become focusable only while the keyboard is on them: in Chromium a focusable inline
     element under the mouse stops a drag from selecting text. */
  function focusSentence(sentence, options) {
    sentence.setAttribute("tabindex", "-1");
    sentence.focus(options);
  }
  document.addEventListener("focusout", function (event) {
    if (event.target.classList && event.target.classList.contains("sentence")) {
      event.target.removeAttribute("tabindex");
    }
  });
  function clearPicked() {
    picked.forEach(function (el) { el.classList.remove("is-picked"); });
    picked = [];
  }

  document.addEventListener("mouseup", function (event) {
    var root = textRoot();
    if (!root || !root.contains(event.target)) return;
    var selection = window.getSelection();
    if (!selection.rangeCount || selection.isCollapsed) return;
    var range = selection.getRangeAt(0);
    if (!range.intersectsNode(root)) return;
    var start = pointOffset(root, range.startContainer, range.startOffset);
    var end = pointOffset(root, range.endContainer, range.endOffset);
    if (end <= start) return;
    clearPicked();
    anchorIndex = null;
    choose(start, end, selection.toString());
  });

  function pickSentences(from, to) {
    var list = sentences();
    var low = Math.min(from, to), high = Math.max(from, to);
    clearPicked();
    var text = [];
    for (var i = low; i <= high; i++) {
      list[i].classList.add("is-picked");
      picked.push(list[i]);
      text.push(list[i].textContent);
    }
    choose(Number(list[low].dataset.start), Number(list[high].dataset.end), text.join(" "));
  }

  document.addEventListener("keydown", function (event) {
    var root = textRoot();
    if (!root || !root.contains(event.target) || event.altKey || event.ctrlKey || event.metaKey) return;
    var list = sentences();
    if (!list.length) return;
    var sentence = event.target.closest(".sentence");
    var index = sentence ? Number(sentence.dataset.index) : -1;
    var moves = { ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: list.length - 1 };
    if (event.key in moves && !event.shiftKey) {
      event.preventDefault();
      var target = sentence ? moves[event.key] : (event.key === "ArrowUp" || event.key === "End" ? list.length - 1 : 0);
      focusSentence(list[Math.max(0, Math.min(list.length - 1, target))]);
    } else if ((event.key === "Enter" || event.key === " ") && sentence) {
      event.preventDefault();
      if (event.shiftKey && anchorIndex !== null) {
        pickSentences(anchorIndex, index);
      } else {
        anchorIndex = index;
        pickSentences(index, index);
      }
    } else if (event.key === "Escape") {
      clearPicked();
      anchorIndex = null;
      var status = document.getElementById("selection-status");
      if (status) status.textContent = message("msgNothing");
    }
  });

  document.addEventListener("focusin", function (event) {
    var sentence = event.target.closest && event.target.closest("#coding-text .sentence");
    var region = document.getElementById("codes-here");
    // Only for keyboard focus: a mouse click that focuses a sentence must not move the text.
    if (!sentence || !region || !sentence.matches(":focus-visible")) return;
    var labels = [];
    sentence.querySelectorAll(".run.hl").forEach(function (run) {
      label(run);
      labelsOf(run).forEach(function (text) {
        if (labels.indexOf(text) < 0) labels.push(text);
      });
    });
    region.textContent = labels.length ? message("msgCodesHere", { codes: labels.join("; ") }) : message("msgNoCode");
  });

  function isSpace(character) { return /\s/.test(character); }
  function nudge(characters, position, edge, direction) {
    var n = characters.length;
    if (edge === "start" && direction < 0) {
      while (position > 0 && isSpace(characters[position - 1])) position--;
      while (position > 0 && !isSpace(characters[position - 1])) position--;
    } else if (edge === "start") {
      while (position < n && !isSpace(characters[position])) position++;
      while (position < n && isSpace(characters[position])) position++;
    } else if (direction > 0) {
      while (position < n && isSpace(characters[position])) position++;
      while (position < n && !isSpace(characters[position])) position++;
    } else {
      while (position > 0 && !isSpace(characters[position - 1])) position--;
      while (position > 0 && isSpace(characters[position - 1])) position--;
    }
    return position;
  }
  /* The document's text as an array of code points, rebuilt from the runs (paragraph breaks,
     which are not rendered as text, read as spaces). */
  function characters(root) {
    var all = new Array(Number(root.dataset.length)).fill(" ");
    root.querySelectorAll(".run").forEach(function (run) {
      var start = Number(run.dataset.start);
      Array.from(run.textContent).forEach(function (character, i) { all[start + i] = character; });
    });
    return all;
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-nudge], [data-show]");
    if (!button) return;
    var root = textRoot();
    if (!root) return;
    if (button.dataset.show !== undefined) {
      var offset = Number(button.dataset.show);
      var found = sentences().filter(function (s) { return Number(s.dataset.start) <= offset; }).pop();
      if (found) {
        found.scrollIntoView({ block: "center" });
        focusSentence(found, { preventScroll: true });
        found.classList.add("is-flashed");
        setTimeout(function () { found.classList.remove("is-flashed"); }, 1500);
      }
      return;
    }
    var input = button.closest("form").querySelector('input[name="' + button.dataset.nudge + '"]');
    var position = nudge(characters(root), Number(input.value), button.dataset.nudge, Number(button.dataset.by));
    input.value = position;
  });

  function refresh() {
    sentenceCache = null;
    labelCache = null;
    anchorIndex = null;
    picked = [];
    if (!textRoot()) {
      document.querySelectorAll(".nudges, [data-show]").forEach(function (el) { el.hidden = true; });
    }
  }
  document.addEventListener("htmx:afterSettle", refresh);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", refresh);
  else refresh();
})();
