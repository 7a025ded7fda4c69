"""A corpus of known XSS payloads, each trying to set window.__xss (or open a dialog).

The vectors come from the public cheat sheets every sanitizer is tested with
(OWASP XSS Filter Evasion, PortSwigger's XSS cheat sheet, html5sec.org,
mutation-XSS papers): script tags, event handlers, javascript: URLs,
SVG/MathML tricks, mutation XSS, broken markup and entity tricks. Each
vector is used as written and inside the wrappers below, which are the
contexts a hostile page puts them in.
"""

from __future__ import annotations

JS = "window.__xss=1"

VECTORS = [
    # script tags
    f"<script>{JS}</script>",
    f"<SCRIPT>{JS}</SCRIPT>",
    f"<script type='text/javascript'>{JS}</script>",
    f"<script src=data:text/javascript,{JS}></script>",
    f"<script>/*</script><script>*/{JS}</script>",
    f"<scr<script>ipt>{JS}</scr</script>ipt>",
    f"<script\x20type=\"text/javascript\">{JS};</script>",
    f"<script/xss>{JS}</script>",
    f"<<script>{JS}//<</script>",
    f"<script>{JS}<!--",
    f"</title><script>{JS}</script>",
    f"</textarea><script>{JS}</script>",
    f"</style><script>{JS}</script>",
    f"</noscript><script>{JS}</script>",
    "<script>alert(1)</script>",
    "<script>confirm(1)</script>",
    "<script>prompt(1)</script>",
    # event handlers
    f"<img src=x onerror={JS}>",
    f"<img src=x onerror=\"{JS}\">",
    f"<IMG SRC=x OnErRoR={JS}>",
    "<img src=x:alert(1) onerror=eval(src) alt=0>",
    "<img src=\"x\" onerror=\"alert(1)\">",
    f"<img/src/onerror={JS}>",
    f"<body onload={JS}>",
    f"<body onpageshow={JS}>",
    f"<svg onload={JS}>",
    f"<svg/onload={JS}>",
    f"<input autofocus onfocus={JS}>",
    f"<select autofocus onfocus={JS}>",
    f"<textarea autofocus onfocus={JS}>",
    f"<keygen autofocus onfocus={JS}>",
    f"<video><source onerror={JS}>",
    f"<audio src=x onerror={JS}>",
    f"<video src=x onerror={JS}>",
    f"<details open ontoggle={JS}>",
    f"<marquee onstart={JS}>",
    f"<div onmouseover={JS}>hover</div>",
    f"<a onmouseover={JS}>link</a>",
    f"<iframe onload={JS}>",
    f"<object data=x onerror={JS}>",
    f"<embed src=x onerror={JS}>",
    f"<style onload={JS}></style>",
    f"<link rel=stylesheet href=x onerror={JS}>",
    f"<form><button formaction=javascript:{JS}>x</button></form>",
    f"<isindex type=image src=1 onerror={JS}>",
    "<img src=1 onerror=&#119;indow.__xss=1>",
    f"<div style=\"width:expression({JS})\">",
    f"<x onclick={JS}>click",
    f"<body onresize={JS}>",
    f"<img src=`x` onerror={JS}>",
    # javascript: and data: URLs
    f"<a href=\"javascript:{JS}\">click</a>",
    f"<a href=\"JaVaScRiPt:{JS}\">click</a>",
    f"<a href=\"jav&#x09;ascript:{JS}\">click</a>",
    f"<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;{JS}\">x</a>",
    f"<a href=\"data:text/html,<script>{JS}</script>\">x</a>",
    f"<iframe src=\"javascript:{JS}\"></iframe>",
    f"<iframe src=\"data:text/html,<script>parent.{JS}</script>\"></iframe>",
    f"<iframe srcdoc=\"<script>parent.{JS}</script>\"></iframe>",
    f"<object data=\"javascript:{JS}\">",
    f"<embed src=\"javascript:{JS}\">",
    f"<form action=\"javascript:{JS}\"><input type=submit>",
    f"<meta http-equiv=\"refresh\" content=\"0;url=javascript:{JS}\">",
    f"<base href=\"javascript:{JS}//\">",
    f"<img src=\"javascript:{JS}\">",
    f"<math href=\"javascript:{JS}\">CLICK</math>",
    "<a href=\"vbscript:msgbox(1)\">x</a>",
    # SVG and MathML
    f"<svg><script>{JS}</script></svg>",
    f"<svg><script href=data:,{JS} />",
    f"<svg><a xlink:href=\"javascript:{JS}\"><text x=20 y=20>XSS</text></a></svg>",
    f"<svg><animate onbegin={JS} attributeName=x dur=1s>",
    f"<svg><set attributeName=onmouseover to={JS}>",
    f"<svg><use href=\"data:image/svg+xml,<svg id='x' xmlns='http://www.w3.org/2000/svg'><image href='1' onerror='{JS}'/></svg>#x\"/></svg>",
    f"<svg><foreignObject><iframe srcdoc=\"<script>parent.{JS}</script>\"></iframe></foreignObject></svg>",
    f"<svg><style><img src=x onerror={JS}></style></svg>",
    f"<math><mtext><table><mglyph><style><img src=x onerror={JS}>",
    f"<math><mi xlink:href=\"javascript:{JS}\">x</mi></math>",
    f"<math><maction actiontype=statusline xlink:href=javascript:{JS}>CLICK</maction></math>",
    # mutation XSS and parser differentials
    f"<noscript><p title=\"</noscript><img src=x onerror={JS}>\">",
    f"<svg></p><style><a id=\"</style><img src=1 onerror={JS}>\">",
    f"<math><mtext><h1><a><h6></a></h6><mglyph><svg><mtext><style><a title=\"</style><img src onerror={JS}>\"></style></h1>",
    f"<form><math><mtext></form><form><mglyph><style></math><img src onerror={JS}>",
    f"<listing>&lt;img src=x onerror={JS}&gt;</listing>",
    f"<xmp><img src=x onerror={JS}></xmp>",
    f"<noembed><img src=x onerror={JS}></noembed>",
    f"<template><img src=x onerror={JS}></template>",
    f"<textarea><img src=x onerror={JS}></textarea>",
    f"<title><img src=x onerror={JS}></title>",
    f"<style><img src=x onerror={JS}></style>",
    f"<!--<img src=x onerror={JS}>-->",
    f"<!--><img src=x onerror={JS}>-->",
    f"<![CDATA[><img src=x onerror={JS}>]]>",
    f"<?xml-stylesheet ?><img src=x onerror={JS}>",
    f"<a title=\"`\"><img src=x onerror={JS}>",
    # broken markup
    f"<img src=x onerror={JS}",
    f"<img \"\"\"><script>{JS}</script>\">",
    f"<scri\x00pt>{JS}</scri\x00pt>",
    f"<img src=x onerror\x0b={JS}>",
    f"<img src=x onerror\x0c={JS}>",
    f"<img src=x\nonerror={JS}>",
    f"<div><p><img src=x onerror={JS}></div></p>",
    f"<table><td><img src=x onerror={JS}></td>",
    f"<a href=x><img src=x onerror={JS}></a></a></a>",
    f"\"><img src=x onerror={JS}>",
    f"'><img src=x onerror={JS}>",
    f"</p><img src=x onerror={JS}><p>",
    f"</div></section></article><img src=x onerror={JS}>",
    # entity and encoding tricks
    f"&lt;script&gt;{JS}&lt;/script&gt;",
    f"&#60;script&#62;{JS}&#60;/script&#62;",
    f"&#x3C;img src=x onerror={JS}&#x3E;",
    f"\\u003cscript\\u003e{JS}\\u003c/script\\u003e",
    f"%3Cscript%3E{JS}%3C/script%3E",
    f"\u003cimg src=x onerror={JS}\u003e",
    f"＜script＞{JS}＜/script＞",
    "<img src=x onerror=&#x77;&#x69;&#x6e;&#x64;&#x6f;&#x77;.__xss=1>",
    "<img src=x onerror=\\u0077indow.__xss=1>",
    # template and framework injection (htmx included)
    "{{constructor.constructor('window.__xss=1')()}}",
    "${window.__xss=1}",
    "{% raw %}{{ 7*7 }}{% endraw %}",
    f"<div hx-get=\"/\" hx-trigger=\"load\" hx-on::after-request=\"{JS}\">",
    f"<div hx-on:click=\"{JS}\">x</div>",
    "<button hx-post=\"/compare\" hx-trigger=\"load\">x</button>",
    f"<div hx-get=\"data:text/html,<img src=x onerror={JS}>\" hx-trigger=\"load\"></div>",
    "<div data-hx-get=\"/\" data-hx-trigger=\"load\" data-hx-swap=\"innerHTML\"></div>",
    f"<div x-data x-init=\"{JS}\"></div>",
    f"<div ng-app ng-csp>{{{{$eval.constructor('{JS}')()}}}}</div>",
    # style and CSS
    f"<style>@import 'javascript:{JS}';</style>",
    f"<div style=\"background:url(javascript:{JS})\">",
    f"<style>*{{background:url('javascript:{JS}')}}</style>",
    "<link rel=import href=data:text/html,<script>window.__xss=1</script>>",
]

# Contexts a hostile page wraps a vector in.
WRAPPERS = [
    "{}",
    "<p>Before the payload {} after it.</p>",
    "<article><p>{}</p></article>",
]


def payloads() -> list[str]:
    """Every vector in every wrapper (at least 200 distinct strings)."""
    out: list[str] = []
    for wrapper in WRAPPERS:
        for vector in VECTORS:
            candidate = wrapper.format(vector) if "{}" in wrapper else vector
            if candidate not in out:
                out.append(candidate)
    return out
