"use strict";
// Search and filter of a report's page (view/page.py). Nothing runs at load but showing the
// controls: the marks are looked up on the first input, so a large report opens at once.
(function () {
  var controls = document.getElementById("controls");
  var report = document.getElementById("report");
  if (!controls || !report) { return; }
  controls.hidden = false;
  var q = document.getElementById("q"), status = document.getElementById("status");
  var code = document.getElementById("code"), only = document.getElementById("only");
  var count = document.getElementById("count");
  var marks = null, findings = null, lines = null;

  function has(haystack, needle) { return !needle || haystack.toLowerCase().indexOf(needle) >= 0; }

  function findingText(el) {
    var msg = el.querySelector(".msg");
    return (el.dataset.code || "") + " " + (el.dataset.path || "") + " " + (msg ? msg.textContent : "");
  }

  function apply() {
    if (!marks) {
      marks = report.querySelectorAll("mark.v");
      findings = document.querySelectorAll(".finding");
      lines = report.querySelectorAll(".l");
    }
    var needle = q.value.trim().toLowerCase(), wanted = status.value, chosen = code.value;
    var active = Boolean(needle || wanted || chosen);
    // a status picks marks, a code picks findings, a text both; a status and a code together pick the
    // marks and findings that share a line (what the code says about numbers of that status)
    var pickMarks = Boolean(wanted || (needle && !chosen)), pickFindings = Boolean(chosen || (needle && !wanted));
    var markHits = [], findingHits = [], markLines = new Set(), findingLines = new Set(), i, el;
    for (i = 0; i < marks.length; i++) {
      el = marks[i];
      if (pickMarks && (!wanted || el.dataset.status === wanted) &&
          has((el.dataset.path || "") + " " + (el.dataset.label || "") + " " + el.textContent, needle)) {
        markHits.push(el); markLines.add(el.closest(".l"));
      }
    }
    for (i = 0; i < findings.length; i++) {
      el = findings[i];
      if (pickFindings && (!chosen || el.dataset.code === chosen) && has(findingText(el), needle)) {
        findingHits.push(el); findingLines.add(el.closest(".l"));
      }
    }
    if (wanted && chosen) {
      markHits = markHits.filter(function (m) { return findingLines.has(m.closest(".l")); });
      findingHits = findingHits.filter(function (f) { return markLines.has(f.closest(".l")); });
    }
    var hit = new Set(markHits.concat(findingHits)), hitLines = new Set();
    hit.forEach(function (h) { hitLines.add(h.closest(".l")); });
    for (i = 0; i < marks.length; i++) { marks[i].classList.toggle("hit", hit.has(marks[i])); }
    for (i = 0; i < findings.length; i++) { findings[i].classList.toggle("hit", hit.has(findings[i])); }
    for (i = 0; i < lines.length; i++) { lines[i].classList.toggle("hit-line", hitLines.has(lines[i])); }
    report.classList.toggle("only", active && only.checked);
    count.textContent = active ? markHits.length + " marks, " + findingHits.length + " findings match" : "";
  }

  q.addEventListener("input", apply);
  status.addEventListener("change", apply);
  code.addEventListener("change", apply);
  only.addEventListener("change", apply);
})();
