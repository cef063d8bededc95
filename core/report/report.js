// The quotation list of quoteledger's report: filtered as you type, each row opening its journey.
// Text from the ledger (from pages: hostile input) is only ever set with textContent.
(function () {
  "use strict";
  var PAGE = 100;                      // rows drawn at a time: the page stays quick at 100,000 quotations
  var data = JSON.parse(document.getElementById("ledger-data").textContent);
  var outlets = data.outlets, speakers = data.speakers, quotations = data.quotations;
  var input = document.getElementById("filter"), rows = document.getElementById("rows");
  var count = document.getElementById("count"), more = document.getElementById("more");
  var matches = [], shown = 0;

  function outletName(i) { return i >= 0 ? outlets[i] : "outlet not given"; }
  function speakerName(i) { return i >= 0 ? speakers[i] : ""; }

  // What the filter looks in: the words, the speaker, the outlets and the id, in lower case.
  var haystack = quotations.map(function (q) {
    var names = q[8].map(function (s) { return s[0] >= 0 ? outlets[s[0]] : ""; }).join(" ");
    return (q[1] + " " + speakerName(q[2]) + " " + names + " " + q[0]).toLowerCase();
  });

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function safeHref(where) {
    return /^https?:\/\//i.test(where || "") ? where : null;    // never javascript:, data: and the like
  }

  function wordsWithChanges(changes) {
    var span = el("span");
    changes.forEach(function (op, n) {
      if (n) span.appendChild(document.createTextNode(" "));
      if (op[0] === "same") { span.appendChild(document.createTextNode(op[1])); return; }
      if (op[1]) span.appendChild(el("del", null, op[1]));
      if (op[1] && op[2]) span.appendChild(document.createTextNode(" "));
      if (op[2]) span.appendChild(el("ins", null, op[2]));
    });
    return span;
  }

  function timeline(journey) {
    var line = el("div", "timeline");
    var times = journey.map(function (s) { return s[1] ? Date.parse(s[1].length === 10 ? s[1] + "T00:00:00Z" : s[1]) : NaN; });
    var dated = times.filter(function (t) { return !isNaN(t); });
    var low = Math.min.apply(null, dated), high = Math.max.apply(null, dated);
    journey.forEach(function (s, n) {
      var stop = el("span", "stop" + (isNaN(times[n]) ? " undated" : ""));
      var share = isNaN(times[n]) ? 1 : (high > low ? (times[n] - low) / (high - low) : 0);
      stop.style.left = (share * 100).toFixed(2) + "%";
      stop.style.zIndex = String(n + 1);
      var label = el("span", "label", outletName(s[0]) + (s[1] ? " " + s[1].slice(0, 10) : " undated"));
      label.style.bottom = (16 + (n % 2) * 18) + "px";
      if (share > 0.5) { label.style.left = "auto"; label.style.right = "0"; }   // keep the label on the page
      stop.appendChild(el("span", "dot"));
      stop.appendChild(label);
      line.appendChild(stop);
    });
    return line;
  }

  function journeyView(q) {
    var box = el("div", "journey");
    box.appendChild(el("div", "said", "Said by " + (speakerName(q[2]) || "no one named") + (q[3] ? ", " + q[3] : "") +
      "; " + q[5] + (q[5] === 1 ? " sighting" : " sightings") + " in " + q[6] + (q[6] === 1 ? " outlet" : " outlets") + "."));
    box.appendChild(timeline(q[8]));
    var list = el("ol", "sightings");
    q[8].forEach(function (s) {
      var item = el("li", "sighting");
      var head = el("div");
      head.appendChild(el("span", "outlet", outletName(s[0])));
      head.appendChild(document.createTextNode(" \u00b7 " + (s[1] ? s[1].slice(0, 10) : "undated") +
        (s[4] ? " \u00b7 via " + s[4] : "") + (s[3] ? " \u00b7 cue \u201c" + s[3] + "\u201d" : "")));
      item.appendChild(head);
      var where = el("div", "where");
      var href = safeHref(s[2]);
      if (href) {
        var link = el("a", null, s[2]);
        link.href = href;
        link.rel = "noopener noreferrer";
        where.appendChild(link);
      } else {
        where.textContent = s[2] || "";
      }
      item.appendChild(where);
      var said = el("div", "said");
      if (s[6]) said.appendChild(wordsWithChanges(s[6]));
      else said.textContent = s[5] !== null ? s[5] : q[1];
      item.appendChild(said);
      list.appendChild(item);
    });
    box.appendChild(list);
    return box;
  }

  function toggle(tr, q) {
    var next = tr.nextSibling;
    if (next && next.className === "journey-row") {
      rows.removeChild(next);
      tr.classList.remove("open");
      return;
    }
    var row = el("tr", "journey-row");
    var cell = el("td");
    cell.colSpan = 5;
    cell.appendChild(journeyView(q));
    row.appendChild(cell);
    rows.insertBefore(row, next);
    tr.classList.add("open");
  }

  function quotationRow(i) {
    var q = quotations[i];
    var tr = el("tr", "quotation");
    tr.dataset.id = q[0];
    tr.appendChild(el("td", "date", q[4] || "undated"));
    tr.appendChild(el("td", "speaker", speakerName(q[2])));
    tr.appendChild(el("td", "num", q[6]));
    tr.appendChild(el("td", "num", q[5]));
    tr.appendChild(el("td", "words", q[1]));
    tr.addEventListener("click", function () { toggle(tr, q); });
    return tr;
  }

  function showMore() {
    var end = Math.min(matches.length, shown + PAGE);
    var frag = document.createDocumentFragment();
    for (var k = shown; k < end; k++) frag.appendChild(quotationRow(matches[k]));
    rows.appendChild(frag);
    shown = end;
    more.hidden = shown >= matches.length;
    count.textContent = matches.length.toLocaleString("en") + " of " + quotations.length.toLocaleString("en") +
      " quotations" + (shown < matches.length ? " (" + shown.toLocaleString("en") + " shown)" : "");
  }

  function applyFilter() {
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    matches = [];
    for (var i = 0; i < haystack.length; i++) {
      var hay = haystack[i], ok = true;
      for (var w = 0; w < words.length && ok; w++) ok = hay.indexOf(words[w]) !== -1;
      if (ok) matches.push(i);
    }
    rows.textContent = "";
    shown = 0;
    showMore();
    if (matches.length === 1) toggle(rows.firstChild, quotations[matches[0]]);
  }

  input.addEventListener("input", applyFilter);
  more.addEventListener("click", showMore);
  // report.html#filter=WORDS (an id, say) opens filtered: a link to one quotation's journey.
  if (location.hash.indexOf("#filter=") === 0) {
    var given = location.hash.slice(8);
    try { input.value = decodeURIComponent(given); } catch (e) { input.value = given; }
  }
  applyFilter();
  document.body.setAttribute("data-ready", "1");
}());
