/* coverdiff: keyboard shortcuts and focus management for the comparison view.
 *
 * A static script: the Content-Security-Policy forbids inline script and eval,
 * so nothing here is attached through hx-on or markup. Every listener is
 * delegated from `document`, so rows, filters and panels that htmx swaps in
 * need no re-binding; htmx.onLoad only restores focus after a swap.
 *
 *   j / n        next difference          k / p    previous difference
 *   Enter, e, o  show or hide the current row's details
 *   1-5          filters (all, shared, changed, only left, only right)
 *   ?            keyboard help            Esc      close it
 */
(function () {
  "use strict";

  var FILTER_KEYS = { "1": "all", "2": "shared", "3": "changed", "4": "left", "5": "right" };
  var ROW = "[data-row-index]";
  var DIFFERENCE = '[data-row-kind]:not([data-row-kind="same"])';
  var CURRENT = "is-current";
  var refocus = null;  // selector of the element to focus once htmx swapped in its replacement
  var busy = false;  // an htmx request is under way: its new content is not wired up yet
  var queued = [];  // keyboard actions waiting for it

  /* Run a keyboard action now, or once the pending swap has settled: a link swapped in a
     moment ago is not yet handled by htmx, and clicking it then would load a whole page. */
  function whenIdle(action) {
    if (busy) { queued.push(action); } else { action(); }
  }

  function idle() {
    busy = false;
    var actions = queued;
    queued = [];
    actions.forEach(whenIdle);
  }

  function isTyping(el) {
    return !!el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }

  function currentRow() {
    var active = document.activeElement;
    var row = active && active.closest ? active.closest(ROW) : null;
    return row || document.querySelector(ROW + "." + CURRENT);
  }

  function makeCurrent(row) {
    var old = document.querySelectorAll(ROW + "." + CURRENT);
    for (var i = 0; i < old.length; i++) { old[i].classList.remove(CURRENT); }
    row.classList.add(CURRENT);
    row.focus({ preventScroll: true });
    row.scrollIntoView({ block: "nearest" });
  }

  /* Move to the next (dir = 1) or previous (dir = -1) row that is not "same". */
  function step(dir) {
    var rows = Array.prototype.slice.call(document.querySelectorAll(DIFFERENCE));
    if (!rows.length) { return; }
    var from = currentRow();
    var target = null;
    if (!from) {
      target = dir > 0 ? rows[0] : rows[rows.length - 1];
    } else {
      var following = Node.DOCUMENT_POSITION_FOLLOWING;
      for (var i = 0; i < rows.length; i++) {
        var after = (from.compareDocumentPosition(rows[i]) & following) !== 0;
        if (dir > 0 && after && rows[i] !== from) { target = rows[i]; break; }
        if (dir < 0 && !after && rows[i] !== from) { target = rows[i]; }
      }
    }
    if (target) {
      makeCurrent(target);
    } else if (dir > 0) {
      var more = document.querySelector('[data-testid="more-rows"]');
      if (more) { more.scrollIntoView({ block: "end" }); }  // its rows load once revealed
    }
  }

  function toggleRow(row) {
    var toggle = row && row.querySelector('[data-testid="row-toggle"]');
    if (!toggle) { return; }
    toggle.click();
    refocus = "#" + row.id;  // after click(): the click listener below points it at the toggle
  }

  function filter(key) {
    var link = document.querySelector('[data-testid="filter-' + key + '"]');
    if (link) { link.click(); }
  }

  function help() {
    var dialog = document.getElementById("keyboard-help");
    if (dialog && !dialog.open && dialog.showModal) { dialog.showModal(); }
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (isTyping(event.target)) { return; }
    var dialog = document.getElementById("keyboard-help");
    if (dialog && dialog.open) { return; }  // the dialog has its own keys (Esc, Tab)
    var key = event.key;
    var onControl = event.target.closest && event.target.closest("a, button, summary");
    var action = null;
    if (key === "j" || key === "n") { action = function () { step(1); }; }
    else if (key === "k" || key === "p") { action = function () { step(-1); }; }
    else if (key === "e" || key === "o" || (key === "Enter" && !onControl)) {
      action = function () { toggleRow(currentRow()); };
    }
    else if (FILTER_KEYS[key]) { action = function () { filter(FILTER_KEYS[key]); }; }
    else if (key === "?") { action = help; }
    if (!action) { return; }
    event.preventDefault();
    whenIdle(action);
  });

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!target.closest) { return; }
    if (target.closest('[data-action="keyboard-help"]')) { help(); return; }
    var link = target.closest("a[data-row-link]");
    if (link) {
      // a link to another row: go to it when it is on the page, else to its own page
      var row = document.getElementById("row-" + link.getAttribute("data-row-link"));
      event.preventDefault();
      if (row) { makeCurrent(row); }
      else if (link.getAttribute("data-row-url")) { window.location.assign(link.getAttribute("data-row-url")); }
      return;
    }
    var control = target.closest("[hx-get]");
    if (control) {
      // the control is replaced by the swap: focus its namesake in the new content
      var testid = control.getAttribute("data-testid");
      refocus = control.id ? "#" + control.id : (testid ? '[data-testid="' + testid + '"]' : null);
      return;
    }
    var row = target.closest(ROW);
    if (row && !target.closest("a, button, summary")) { makeCurrent(row); }
  });

  /* After a swap, put focus back where the reader was: the same control (or row) in the
     new content; a new comparison from the form gets focus itself, so it is announced. */
  function afterLoad(element) {
    if (element.id === "comparison") { element.focus(); refocus = null; return; }
    if (!refocus) { return; }
    var again = document.querySelector(refocus);
    if (again && (element === again || element.contains(again))) {
      if (again.matches(ROW)) { makeCurrent(again); } else { again.focus(); }
      refocus = null;
    }
  }

  /* A filter replaces the whole rows panel. With thousands of rows loaded, htmx's clean-up of
     each old element took most of a second: the old rows go first, natively, then the swap. */
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (target && target.id === "rows-panel" && event.detail.shouldSwap) {
      var rows = document.getElementById("rows");
      if (rows) { rows.replaceChildren(); }
    }
  });

  document.addEventListener("htmx:beforeRequest", function () { busy = true; });
  ["htmx:responseError", "htmx:sendError", "htmx:timeout", "htmx:swapError", "htmx:sendAbort"].forEach(
    function (name) { document.addEventListener(name, idle); });

  function start() {
    if (window.htmx) {
      // called for the page, then for every piece of content a swap brings, once settled
      window.htmx.onLoad(function (element) { afterLoad(element); idle(); });
    }
    // a row named in the URL (#row-N) becomes the current one
    var named = window.location.hash && document.getElementById(window.location.hash.slice(1));
    named = named || document.querySelector(ROW + ".expanded");
    if (named && named.matches(ROW)) { makeCurrent(named); }
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); }
  else { start(); }
}());
