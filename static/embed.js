/* coverdiff embed loader. On any page:
 *
 *   <div data-coverdiff="https://coverdiff.example/c/ID"></div>
 *   <script src="https://coverdiff.example/static/embed.js" async></script>
 *
 * turns each such element into an iframe of https://coverdiff.example/embed/ID (query
 * parameters of the address, e.g. ?show=changed&accent=%23cc0000, are passed on) that grows and
 * shrinks to its content. Iframes with a data-coverdiff-embed attribute (the oEmbed HTML) get
 * the same resizing. A height message is accepted only from the iframe it resizes
 * (event.source) and from that iframe's origin (event.origin).
 */
(function () {
  "use strict";

  var MAX_HEIGHT = 100000;  // px; a larger claim is ignored
  var frames = [];  // {iframe, origin}

  function embedAddress(address) {
    var url;
    try { url = new URL(address, document.baseURI); } catch (e) { return null; }
    if (url.protocol !== "https:" && url.protocol !== "http:") { return null; }
    var match = /^\/(?:c|embed)\/([0-9a-f]{8,64})\/?$/.exec(url.pathname);
    if (!match) { return null; }
    return { src: url.origin + "/embed/" + match[1] + url.search, origin: url.origin };
  }

  /* Ask a frame for its height. The question carries nothing, so it may go to any origin ("*"):
     a frame that has not loaded yet is still about:blank, and naming our origin then makes the
     browser log an error. The answer is checked (source and origin) in the listener below. */
  function ask(iframe) {
    if (iframe.contentWindow) { iframe.contentWindow.postMessage({ type: "coverdiff:ask-height" }, "*"); }
  }

  function track(iframe, origin) {
    frames.push({ iframe: iframe, origin: origin });
    iframe.addEventListener("load", function () { ask(iframe); });
  }

  function upgrade(el) {
    var target = embedAddress(el.getAttribute("data-coverdiff"));
    if (!target) {
      el.setAttribute("data-coverdiff-error", "not a coverdiff comparison address");
      return;
    }
    var iframe = document.createElement("iframe");
    iframe.src = target.src;
    iframe.title = el.getAttribute("data-coverdiff-title") || "coverdiff comparison";
    iframe.setAttribute("sandbox", "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox");
    iframe.style.display = "block";
    iframe.style.width = "100%";
    iframe.style.border = "0";
    iframe.style.height = (el.getAttribute("data-coverdiff-height") || "600") + "px";
    el.appendChild(iframe);
    track(iframe, target.origin);
  }

  function scan(root) {
    var scope = root || document;
    var divs = scope.querySelectorAll("[data-coverdiff]:not([data-coverdiff-ready])");
    for (var i = 0; i < divs.length; i++) {
      divs[i].setAttribute("data-coverdiff-ready", "");
      upgrade(divs[i]);
    }
    var iframes = scope.querySelectorAll("iframe[data-coverdiff-embed]:not([data-coverdiff-ready])");
    for (var j = 0; j < iframes.length; j++) {
      var target = embedAddress(iframes[j].src);
      iframes[j].setAttribute("data-coverdiff-ready", "");
      if (target) {
        track(iframes[j], target.origin);
        ask(iframes[j]);  // it may have loaded before this script ran
      }
    }
  }

  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || data.type !== "coverdiff:height") { return; }
    for (var i = 0; i < frames.length; i++) {
      var frame = frames[i];
      if (event.source !== frame.iframe.contentWindow || event.origin !== frame.origin) { continue; }
      var height = Number(data.height);
      if (isFinite(height) && height > 0 && height <= MAX_HEIGHT) {
        frame.iframe.style.height = Math.ceil(height) + "px";
      }
      return;
    }
  });

  window.coverdiff = window.coverdiff || {};
  window.coverdiff.scan = scan;  // call after adding embeds to the page later
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { scan(); });
  } else {
    scan();
  }
}());
