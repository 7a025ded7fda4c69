/* coverdiff embed, inside the iframe: tell the embedding page how tall this document is.
 *
 * Posts {type: "coverdiff:height", height: <CSS px>} to the parent on load, whenever the
 * layout's size changes (ResizeObserver) and after htmx swaps (filters, row chunks). The
 * message carries one number and nothing else, so it goes to any origin ("*"): which sites may
 * frame this page at all is decided by the server's CSP frame-ancestors, and the loader
 * (static/embed.js) checks that the message comes from its own iframe and from our origin.
 */
(function () {
  "use strict";

  if (window.parent === window) { return; }  // opened on its own: nobody to tell

  var last = -1;

  /* The content's height: the <html> box is as tall as its content (not the frame). */
  function contentHeight() {
    var root = document.documentElement;
    return Math.ceil(Math.max(root.getBoundingClientRect().height, document.body ? document.body.scrollHeight : 0));
  }

  function report() {
    var height = contentHeight();
    if (height === last) { return; }
    last = height;
    window.parent.postMessage({ type: "coverdiff:height", height: height }, "*");
  }

  function start() {
    report();
    if (window.ResizeObserver) {
      new ResizeObserver(report).observe(document.documentElement);
    }
    document.body.addEventListener("htmx:afterSettle", report);
  }

  /* The loader asks again when it starts listening after this frame has loaded. */
  window.addEventListener("message", function (event) {
    if (event.source === window.parent && event.data && event.data.type === "coverdiff:ask-height") {
      last = -1;
      report();
    }
  });
  window.addEventListener("load", report);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
