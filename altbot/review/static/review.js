// altbot review: a small progressive enhancement of the page's forms (they work without it).
// Decisions are POSTed with the run's token; each card is updated in place and the
// result announced in the page's status region. No dependencies, no build.
(function () {
  "use strict";

  var token = document.querySelector('meta[name="altbot-token"]').content;
  var statusBox = document.getElementById("status");
  var alertBox = document.getElementById("alerts");
  var unwrittenBox = document.getElementById("unwritten");
  var shortcutsBox = document.getElementById("shortcuts");
  var current = null; // the card the shortcuts act on
  var busy = false;

  function cards() {
    return Array.prototype.slice.call(document.querySelectorAll("article.card"));
  }

  function say(text) {
    // re-set the text so that the same message twice is announced twice
    statusBox.textContent = "";
    window.setTimeout(function () {
      statusBox.textContent = text;
    }, 30);
  }

  function alarm(lines) {
    alertBox.textContent = "";
    lines.forEach(function (line) {
      var p = document.createElement("p");
      p.textContent = line;
      alertBox.appendChild(p);
    });
  }

  function post(url, fields) {
    var body = new URLSearchParams(fields);
    body.set("token", token);
    return fetch(url, {
      method: "POST",
      headers: { "X-Altbot-Token": token, Accept: "application/json", "Content-Type": "application/x-www-form-urlencoded" },
      body: body.toString(),
      credentials: "same-origin",
    }).then(function (r) {
      return r.json().then(function (j) {
        if (!r.ok) throw new Error(j.error || r.statusText);
        return j;
      });
    });
  }

  function count(card) {
    var box = card.querySelector("textarea");
    var out = card.querySelector(".count");
    var max = parseInt(out.getAttribute("data-max"), 10);
    var used = Array.from(box.value).length;
    var text = used + " of " + max + " characters";
    if (used > max) text += ": " + (used - max) + " over the limit";
    out.textContent = text;
    out.classList.toggle("over", used > max);
  }

  function updateCounts(counts, unwritten) {
    if (counts) {
      Object.keys(counts).forEach(function (key) {
        var a = document.querySelector('.filters a[data-filter="' + key + '"] .n');
        if (a) a.textContent = "(" + counts[key] + ")";
      });
    }
    if (typeof unwritten === "number") {
      unwrittenBox.setAttribute("data-count", String(unwritten));
      unwrittenBox.textContent = unwritten
        ? unwritten + " decision" + (unwritten === 1 ? "" : "s") + " not written yet."
        : "No decisions waiting to be written.";
    }
  }

  function applyCard(card, data) {
    card.setAttribute("data-state", data.state);
    card.querySelector(".state").textContent = data.state_text;
    var box = card.querySelector("textarea");
    if (box.value !== data.text) box.value = data.text;
    count(card);
    if (data.facts_html !== undefined) card.querySelector(".live-facts").innerHTML = data.facts_html;
  }

  function decide(card, action) {
    if (busy) return Promise.resolve(false);
    busy = true;
    var form = card.querySelector("form.decide");
    var msg = card.querySelector(".message");
    msg.textContent = "";
    form.setAttribute("aria-busy", "true");
    var fields = { id: card.getAttribute("data-id"), action: action };
    if (action === "accept") fields.text = card.querySelector("textarea").value;
    var url = action === "undo" ? "/undo" : "/decide";
    return post(url, fields)
      .then(function (j) {
        applyCard(card, j.card);
        updateCounts(j.counts, j.unwritten);
        say(j.message);
        return true;
      })
      .catch(function (err) {
        msg.textContent = err.message;
        say(card.querySelector(".card-h").textContent + ": " + err.message);
        return false;
      })
      .finally(function () {
        busy = false;
        form.removeAttribute("aria-busy");
      });
  }

  function write(button) {
    if (busy) return;
    busy = true;
    button.setAttribute("aria-busy", "true");
    alarm([]);
    post("/write", {})
      .then(function (j) {
        Object.keys(j.cards || {}).forEach(function (id) {
          var card = document.getElementById("p-" + id);
          if (card) applyCard(card, j.cards[id]);
        });
        updateCounts(j.counts, j.unwritten);
        var problems = (j.failed || []).map(function (f) {
          return "Not written: " + f.path + ": " + f.reason;
        }).concat(j.errors || []);
        if (problems.length) alarm(problems);
        say(j.message);
      })
      .catch(function (err) {
        alarm([err.message]);
      })
      .finally(function () {
        busy = false;
        button.removeAttribute("aria-busy");
      });
  }

  function finish() {
    var n = parseInt(unwrittenBox.getAttribute("data-count") || "0", 10);
    if (n && !window.confirm(n + " decision" + (n === 1 ? " is" : "s are") + " not written yet. Finish without writing " + (n === 1 ? "it" : "them") + "?")) {
      return;
    }
    post("/finish", {})
      .then(function (j) {
        var main = document.getElementById("main");
        main.textContent = "";
        var h = document.createElement("h2");
        h.textContent = "Review finished";
        h.tabIndex = -1;
        var p = document.createElement("p");
        p.textContent = "altbot review has stopped (exit code " + j.exit_code + "). You can close this tab.";
        main.appendChild(h);
        main.appendChild(p);
        document.querySelectorAll(".toolbar button").forEach(function (b) { b.disabled = true; });
        h.focus();
      })
      .catch(function (err) {
        alarm([err.message]);
      });
  }

  // forms: decide / undo on each card, write and finish for the page
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (form.matches("form.decide")) {
      ev.preventDefault();
      var button = ev.submitter;
      var card = form.closest("article.card");
      current = card;
      decide(card, button ? button.value : "accept");
    } else if (form.matches(".write-form")) {
      ev.preventDefault();
      write(form.querySelector("button"));
    } else if (form.matches(".finish-form")) {
      ev.preventDefault();
      finish();
    }
  });

  document.addEventListener("input", function (ev) {
    if (ev.target.matches("article.card textarea")) count(ev.target.closest("article.card"));
  });

  document.addEventListener("focusin", function (ev) {
    var card = ev.target.closest && ev.target.closest("article.card");
    if (card) current = card;
  });

  function move(step) {
    var list = cards();
    if (!list.length) return;
    var i = current ? list.indexOf(current) : -1;
    var next = list[Math.min(list.length - 1, Math.max(0, i + step))];
    if (i < 0) next = list[step > 0 ? 0 : list.length - 1];
    current = next;
    next.focus();
  }

  var SHORTCUTS = { a: "accept", d: "decorative", r: "reject", s: "skip" };
  try {
    if (window.localStorage && window.localStorage.getItem("altbot-shortcuts") === "off") shortcutsBox.checked = false;
  } catch (e) { /* storage may be unavailable */ }
  shortcutsBox.addEventListener("change", function () {
    try { window.localStorage.setItem("altbot-shortcuts", shortcutsBox.checked ? "on" : "off"); } catch (e) { /* ignore */ }
    say("Single-key shortcuts " + (shortcutsBox.checked ? "on." : "off."));
  });

  document.addEventListener("keydown", function (ev) {
    var t = ev.target;
    var typing = t.matches && t.matches("textarea, input, select, [contenteditable]");
    if (typing && t.matches("article.card textarea")) {
      var card = t.closest("article.card");
      if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) {
        ev.preventDefault();
        decide(card, "accept");
      } else if (ev.key === "Escape") {
        ev.preventDefault();
        card.focus();
      }
      return;
    }
    if (typing || ev.ctrlKey || ev.metaKey || ev.altKey || !shortcutsBox.checked) return;
    var key = ev.key;
    if (key === "j") { ev.preventDefault(); move(1); return; }
    if (key === "k") { ev.preventDefault(); move(-1); return; }
    if (key === "w") { ev.preventDefault(); document.getElementById("write").focus(); return; }
    if (!current) return;
    if (key === "e") {
      ev.preventDefault();
      var box = current.querySelector("textarea");
      box.focus();
      box.setSelectionRange(box.value.length, box.value.length);
      return;
    }
    if (key === "u") { ev.preventDefault(); decide(current, "undo"); return; }
    if (SHORTCUTS[key]) {
      ev.preventDefault();
      var here = current;
      decide(here, SHORTCUTS[key]).then(function (ok) {
        if (ok && current === here) move(1);
      });
    }
  });

  cards().forEach(count);
})();
