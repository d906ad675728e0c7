"""Benchmark of the network page against a plain pyvis rendering of the same graph.

For graphs of 500, 2,000, 10,000 and 20,000 entities (generated here, with labels in
Korean and English, classes of every kind, relations with hubs, documents, sentences and
evidence records) it writes kg's page (``kg.view.render_html``) and pyvis's default page
(``pyvis.network.Network`` with its default options: physics with stabilisation; vis
inlined with ``cdn_resources="in_line"``, because pyvis's true default, "local", loads
vis-network itself from a CDN and draws nothing offline), opens each in a fresh headless
Chromium and reports:

* the HTML size;
* drawn: milliseconds from the start of navigation until the network's canvas is first
  stroked (a probe wraps ``CanvasRenderingContext2D.stroke`` before the page loads);
* interactive: seconds from navigation until a real mouse click (DevTools
  ``Input.dispatchMouseEvent``) on the node nearest the view's centre selects a node,
  tried again every 100 ms from the moment the network is drawn;
* click: milliseconds from that click being sent to the selection being seen, once
  interactive.

Requests to http(s) are blocked in the browser (pyvis's page links Bootstrap from a CDN),
so nothing leaves the machine. A page that is not interactive within ``--timeout``
seconds is reported as such, with the ratio as a lower bound.

Run: ``.venv/bin/python bench/view.py [--sizes 500,2000,10000,20000] [--timeout 300]``.
Results go to stdout; bench/RESULTS.md records a run.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rdflib import Dataset, Literal, URIRef  # noqa: E402
from rdflib.namespace import XSD  # noqa: E402

from kg.ns import KGD, KGO, KGR, KGS, NIF, RDF, RDFS, SCHEMA  # noqa: E402
from kg.ontology import load_ontology  # noqa: E402
from kg.view import render_html, view_data  # noqa: E402
from tests.test_view_browser import Chromium, ChromiumError  # noqa: E402

SIZES = (500, 2000, 10_000, 20_000)
CLASSES = (
    ("Person", "사람"),
    ("Company", "기업"),
    ("University", "대학"),
    ("ResearchOrganization", "연구소"),
    ("GovernmentBody", "기관"),
    ("City", "도시"),
    ("Country", "국가"),
    ("Facility", "시설"),
    ("Conference", "콘퍼런스"),
    ("Industry", "산업"),
)
PROPERTIES = ("cooperatesWith", "locatedIn", "heldAt", "affiliatedWith", "speakerAt", "designatesStrategicIndustry")
PROBE = """
(function () {
  var stroke = CanvasRenderingContext2D.prototype.stroke;
  CanvasRenderingContext2D.prototype.stroke = function () {
    if (!window.__firstStroke) { window.__firstStroke = performance.now(); }
    return stroke.apply(this, arguments);
  };
})();
"""
NETWORK = "(window.kgView ? window.kgView.network : (typeof network !== 'undefined' ? network : null))"
NEAREST = (
    "(function(){var n=" + NETWORK + "; if (!n || !n.body) return null;"
    "var c=n.getViewPosition(), best=null, d=Infinity, ids=n.body.nodeIndices;"
    "for (var i=0;i<ids.length;i++){var p=n.body.nodes[ids[i]]; var e=(p.x-c.x)*(p.x-c.x)+(p.y-c.y)*(p.y-c.y);"
    "if (e<d){d=e;best=p;}}"
    "if (!best) return null; var s=n.canvasToDOM({x:best.x,y:best.y});"
    "var r=n.body.container.getBoundingClientRect(); return [r.left+s.x, r.top+s.y];})()"
)


def generate(n: int, seed: int = 1) -> Dataset:
    """A graph of ``n`` entities: ~1.6 relations each, preferential attachment (hubs),
    one document per 50 entities, two sentences per entity, evidence for each relation."""
    rng = random.Random(seed)
    ds = Dataset()
    entities = [KGR[f"E{i}"] for i in range(n)]
    targets: list[int] = []
    for i, e in enumerate(entities):
        doc = KGD[f"bench_{i // 50}"]
        g = ds.graph(doc)
        cls, ko = CLASSES[i % len(CLASSES)]
        g.add((e, RDF.type, KGO[cls]))
        g.add((e, RDFS.label, Literal(f"{ko} {i}", lang="ko")))
        g.add((e, RDFS.label, Literal(f"{cls} {i}", lang="en")))
        if i % 50 == 0:
            g.add((doc, RDF.type, SCHEMA.NewsArticle))
            g.add((doc, SCHEMA.headline, Literal(f"벤치마크 기사 {i // 50}", lang="ko")))
            g.add((doc, SCHEMA.datePublished, Literal("2024-09-25", datatype=XSD.date)))
        if i % 7 == 0:
            g.add((e, KGO.foundingDate, Literal(str(1950 + i % 70), datatype=XSD.gYear)))
        for k in range(2):
            sent = URIRef(f"{doc}/sentence/{(i % 50) * 2 + k}")
            g.add((sent, RDF.type, NIF.Sentence))
            g.add((sent, NIF.anchorOf, Literal(f"{ko} {i}은(는) 벤치마크 문장 {k}에 나온다.", lang="ko")))
            g.add((sent, NIF.beginIndex, Literal(k * 40)))
            g.add((sent, NIF.referenceContext, doc))
            g.add((sent, SCHEMA.mentions, e))
        if i:
            links = 1 + (rng.random() < 0.6)
            for _ in range(links):
                j = rng.choice(targets) if targets and rng.random() < 0.7 else rng.randrange(i)
                prop = KGO[PROPERTIES[(i + j) % len(PROPERTIES)]]
                g.add((e, prop, entities[j]))
                a = KGS[f"a{i}_{j}"]
                g.add((a, RDF.type, KGO.Assertion))
                g.add((a, RDF.subject, e))
                g.add((a, RDF.predicate, prop))
                g.add((a, RDF.object, entities[j]))
                g.add((a, KGO.evidence, URIRef(f"{doc}/sentence/{(i % 50) * 2}")))
                targets += [i, j]
    return ds


def pyvis_page(ds: Dataset, folder: Path) -> Path:
    """pyvis's default page for the same entities and relations (labels, colours, titles)."""
    from pyvis.network import Network

    data = view_data(ds, load_ontology())
    net = Network(directed=True, cdn_resources="in_line")
    for e in sorted(data.entity_class, key=str):
        info = data.entity_class[e]
        label = str(e).rsplit("/", 1)[-1]
        net.add_node(str(e), label=label, title=f"{label} ({info.iri.split('#')[-1]})", color=info.color)
    for s, p, o in data.relations:
        net.add_edge(str(s), str(o), label=p.split("#")[-1], title=p.split("#")[-1])
    page = folder / "pyvis.html"
    page.write_text(net.generate_html(), encoding="utf-8")
    return page


def measure(page: Path, timeout: float) -> dict[str, Any]:
    """Drawn (ms), interactive (s) and click latency (ms) of one page in a fresh Chromium."""
    with tempfile.TemporaryDirectory() as profile, Chromium(Path(profile)) as browser:
        browser.send("Network.setBlockedURLs", {"urls": ["http://*", "https://*"]})
        browser.send("Page.addScriptToEvaluateOnNewDocument", {"source": PROBE})
        start = time.monotonic()
        browser.send("Page.navigate", {"url": page.as_uri()})
        result: dict[str, Any] = {"drawn_ms": None, "interactive_s": None, "click_ms": None}
        try:
            browser.wait_for(lambda: bool(browser.js("window.__firstStroke || 0", timeout=timeout)), timeout, 0.05)
            result["drawn_ms"] = browser.js("window.__firstStroke")
            while time.monotonic() - start < timeout:
                point = browser.js(NEAREST, timeout=timeout)
                if point:
                    sent = time.monotonic()
                    browser.click(*point)
                    if browser.js(f"{NETWORK}.getSelectedNodes().length", timeout=timeout):
                        result["interactive_s"] = time.monotonic() - start
                        result["click_ms"] = (time.monotonic() - sent) * 1000
                        break
                time.sleep(0.1)
        except ChromiumError:
            pass
        assert not browser.dialogs, browser.dialogs
        return result


def fmt_s(value: float | None, timeout: float) -> str:
    return f"{value:.2f}" if value is not None else f"> {timeout:.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds a page may take to become interactive")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if "model name" in line), platform.processor())
    chromium = subprocess.run(["chromium", "--version"], capture_output=True, text=True).stdout.strip()
    today = time.strftime("%Y-%m-%d")
    print(f"# {today} · {cpu} · {os.cpu_count()} cores · Python {platform.python_version()} · {chromium}")
    header = (
        "| entities | relations | page | HTML size | Python render | drawn | interactive | click | "
        "interactive vs pyvis |"
    )
    print(header)
    print("|---|---|---|---|---|---|---|---|---|")
    ontology = load_ontology()
    for n in sizes:
        ds = generate(n)
        relations = len(view_data(ds, ontology).relations)
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            t = time.monotonic()
            kg_page = folder / "kg.html"
            kg_page.write_text(render_html(ds, ontology, "both"), encoding="utf-8")
            kg = {"render_s": time.monotonic() - t, "bytes": kg_page.stat().st_size}
            t = time.monotonic()
            pv_page = pyvis_page(ds, folder)
            pv = {"render_s": time.monotonic() - t, "bytes": pv_page.stat().st_size}
            kg.update(measure(kg_page, args.timeout))
            pv.update(measure(pv_page, args.timeout))
        if kg["interactive_s"] is not None and pv["interactive_s"] is not None:
            ratio = f"{kg['interactive_s'] / pv['interactive_s']:.3f}"
        elif kg["interactive_s"] is not None:
            ratio = f"< {kg['interactive_s'] / args.timeout:.3f}"
        else:
            ratio = "n/a"
        for name, m, r in (("kg", kg, ratio), ("pyvis default", pv, "")):
            print(
                f"| {n:,} | {relations:,} | {name} | {m['bytes'] / 1e6:.2f} MB | {m['render_s']:.1f} s | "
                f"{fmt_ms(m['drawn_ms'])} | {fmt_s(m['interactive_s'], args.timeout)} s | "
                f"{fmt_ms(m['click_ms'])} | {r} |",
                flush=True,
            )


def fmt_ms(value: float | None) -> str:
    return f"{value:,.0f} ms" if value is not None else "—"


if __name__ == "__main__":
    main()
