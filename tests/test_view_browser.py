"""The network page in a real headless Chromium, driven over the DevTools protocol.

The tests start Debian's chromium themselves (the launch flags of the "Network view" issue,
a fresh profile) and talk to it over ``--remote-debugging-pipe``: no port is opened and no
client library is needed. They evaluate JavaScript, click with real mouse events, type
into the search box, and record every console message, uncaught exception, JavaScript
dialog and network request the page makes. The seed graph's screenshot is saved to
``build/graph.png`` (linked from the README).

:class:`Chromium` is also used by ``bench/view.py``.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import queue
import shutil
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import Dataset

from kg.ns import ONTOLOGY_GRAPH, ONTOLOGY_PATH
from kg.ontology import load_ontology
from kg.pipeline import build, write_build
from kg.view import render_html

from .conftest import ROOT, TEST_DATA

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
SCREENSHOT = ROOT / "build" / "graph.png"


class ChromiumError(RuntimeError):
    """A DevTools command failed or timed out."""


class Chromium:
    """Headless Chromium with one page, driven over the DevTools protocol on a pipe.

    Use as a context manager; leaving it closes the browser and waits for the process.
    ``events`` collects every protocol event of the page since the last :meth:`open`.
    """

    def __init__(self, profile: Path, width: int = 1400, height: int = 900) -> None:
        if CHROMIUM is None:
            raise ChromiumError("Debian's chromium is not installed")
        profile.mkdir(parents=True, exist_ok=True)
        cmd_read, self._cmd_write = os.pipe()
        self._res_read, res_write = os.pipe()

        def as_fds_3_and_4() -> None:  # in the child: the pipe ends chromium expects
            a, b = os.dup(cmd_read), os.dup(res_write)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.proc = subprocess.Popen(
            [
                CHROMIUM,
                *FLAGS,
                f"--user-data-dir={profile}",
                "--remote-debugging-pipe",
                f"--window-size={width},{height}",
                "--hide-scrollbars",
                "--mute-audio",
                "about:blank",
            ],
            pass_fds=(3, 4, cmd_read, res_write),
            preexec_fn=as_fds_3_and_4,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(cmd_read)
        os.close(res_write)
        self._next_id = 0
        self._lock = threading.Lock()
        self._replies: dict[int, queue.Queue[dict[str, Any]]] = {}
        self._event_queue: queue.Queue[dict[str, Any]] = queue.Queue()
        self.events: list[dict[str, Any]] = []
        self.dialogs: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.session: str | None = None
        try:
            targets = self.send("Target.getTargets", session=False)["targetInfos"]
            page = next(t for t in targets if t["type"] == "page")
            self.session = self.send(
                "Target.attachToTarget", {"targetId": page["targetId"], "flatten": True}, session=False
            )["sessionId"]
            for domain in ("Page", "Runtime", "Log", "Network"):
                self.send(f"{domain}.enable")
            self.send(
                "Emulation.setDeviceMetricsOverride",
                {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
            )
        except BaseException:
            self.close()
            raise

    # ------------------------------------------------------------------ protocol

    def _read(self) -> None:
        buffer = b""
        with os.fdopen(self._res_read, "rb", buffering=0) as pipe:
            while True:
                chunk = pipe.read(1 << 16)
                if not chunk:
                    return
                buffer += chunk
                while b"\0" in buffer:
                    raw, buffer = buffer.split(b"\0", 1)
                    message = json.loads(raw)
                    if "id" in message:
                        with self._lock:
                            box = self._replies.get(message["id"])
                        if box is not None:
                            box.put(message)
                    else:
                        if message.get("method") == "Page.javascriptDialogOpening":
                            # a dialog would block the page: note it, dismiss it at once
                            self.dialogs.append(message["params"].get("message", ""))
                            self._write("Page.handleJavaScriptDialog", {"accept": False}, message.get("sessionId"))
                        self._event_queue.put(message)

    def _write(self, method: str, params: dict[str, Any] | None, session: str | None) -> int:
        with self._lock:
            self._next_id += 1
            ident = self._next_id
            self._replies[ident] = queue.Queue()
            message: dict[str, Any] = {"id": ident, "method": method, "params": params or {}}
            if session:
                message["sessionId"] = session
            os.write(self._cmd_write, json.dumps(message).encode() + b"\0")
        return ident

    def send(
        self, method: str, params: dict[str, Any] | None = None, session: bool = True, timeout: float = 120
    ) -> dict[str, Any]:
        """Run one DevTools command (on the page unless ``session`` is False) and return its result."""
        ident = self._write(method, params, self.session if session else None)
        try:
            reply = self._replies[ident].get(timeout=timeout)
        except queue.Empty:
            raise ChromiumError(f"{method}: no answer in {timeout} s") from None
        finally:
            with self._lock:
                self._replies.pop(ident, None)
        if "error" in reply:
            raise ChromiumError(f"{method}: {reply['error']}")
        result: dict[str, Any] = reply.get("result", {})
        return result

    def drain(self) -> list[dict[str, Any]]:
        """Move the events that arrived into :attr:`events` and return it."""
        while True:
            try:
                self.events.append(self._event_queue.get_nowait())
            except queue.Empty:
                return self.events

    def wait_for(self, check: Callable[[], bool], timeout: float = 60, every: float = 0.05) -> float:
        """Poll ``check`` until true; return the seconds it took."""
        start = time.monotonic()
        while not check():
            if time.monotonic() - start > timeout:
                raise ChromiumError(f"condition not met in {timeout} s")
            time.sleep(every)
        return time.monotonic() - start

    # ------------------------------------------------------------------ page

    def open(self, url: str, timeout: float = 120) -> None:
        """Load ``url`` and wait for its load event; forgets the previous page's events."""
        self.drain()
        self.events.clear()
        self.dialogs.clear()
        self.send("Page.navigate", {"url": url})
        self.wait_for(lambda: any(e["method"] == "Page.loadEventFired" for e in self.drain()), timeout)

    def js(self, expression: str, timeout: float = 120) -> Any:
        """Evaluate a JavaScript expression in the page and return its value (as JSON)."""
        result = self.send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
            timeout=timeout,
        )
        if "exceptionDetails" in result:
            raise ChromiumError(f"{expression[:60]}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def click(self, x: float, y: float) -> None:
        """A left click with real mouse events at page coordinates."""
        self.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y})
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1})

    def hover(self, x: float, y: float) -> None:
        self.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y})

    def type_text(self, selector: str, text: str, enter: bool = True) -> None:
        """Focus an input, type ``text`` into it and press Enter, as a keyboard would."""
        self.js(f"(function(){{var e=document.querySelector({json.dumps(selector)}); e.focus(); e.select();}})()")
        self.send("Input.insertText", {"text": text})
        if enter:
            for kind in ("keyDown", "keyUp"):
                self.send(
                    "Input.dispatchKeyEvent",
                    {"type": kind, "key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13, "text": "\r"},
                )

    def screenshot(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = self.send("Page.captureScreenshot", {"format": "png"})["data"]
        path.write_bytes(base64.b64decode(data))

    # ------------------------------------------------------------------ what happened

    def errors(self) -> list[str]:
        """Console errors, uncaught exceptions and error log entries since :meth:`open`."""
        found = []
        for e in self.drain():
            p = e.get("params", {})
            if e["method"] == "Runtime.exceptionThrown":
                found.append(json.dumps(p.get("exceptionDetails", {}))[:300])
            elif e["method"] == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                found.append(json.dumps(p.get("args", []))[:300])
            elif e["method"] == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
                found.append(p["entry"].get("text", "")[:300])
        return found

    def requests(self) -> list[str]:
        """URLs of every network request the page started since :meth:`open`."""
        return [e["params"]["request"]["url"] for e in self.drain() if e["method"] == "Network.requestWillBeSent"]

    # ------------------------------------------------------------------ end

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                self._write("Browser.close", None, None)
                self.proc.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait(timeout=10)
        with contextlib.suppress(OSError):
            os.close(self._cmd_write)
        self._reader.join(timeout=5)

    def __enter__(self) -> Chromium:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# ---------------------------------------------------------------------------- tests

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")

DRAWN = "document.documentElement.getAttribute('data-kg-drawn') === '1'"
ENTITIES = """
PREFIX kgo: <https://kg.example/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?e WHERE {
    ?e a ?c . ?c rdfs:subClassOf* ?k .
    VALUES ?k { kgo:Person kgo:Organization kgo:Place kgo:Event kgo:Concept }
}
"""
RELATIONS = """
PREFIX kgo: <https://kg.example/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?s ?p ?o WHERE {
    ?s ?p ?o .
    ?s a ?c1 . ?c1 rdfs:subClassOf* ?k1 . ?o a ?c2 . ?c2 rdfs:subClassOf* ?k2 .
    VALUES ?k1 { kgo:Person kgo:Organization kgo:Place kgo:Event kgo:Concept }
    VALUES ?k2 { kgo:Person kgo:Organization kgo:Place kgo:Event kgo:Concept }
    FILTER (?p NOT IN (rdf:type, owl:sameAs, rdfs:label, skos:altLabel))
}
"""


def sparql(trig: Path, query: str) -> list[tuple[str, ...]]:
    """An independent reading of a build: Oxigraph over graph.trig plus the ontology."""
    store = ox.Store()
    store.bulk_load(path=str(trig), format=ox.RdfFormat.TRIG)
    store.bulk_load(path=str(ONTOLOGY_PATH), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(str(ONTOLOGY_GRAPH)))
    rows = store.query(query, use_default_graph_as_union=True)
    return [tuple(term.value for term in row) for row in rows]  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Any:
    with Chromium(tmp_path_factory.mktemp("chromium-profile")) as chromium:
        yield chromium


def open_page(browser: Chromium, page: Path) -> None:
    browser.open(page.as_uri())
    browser.wait_for(lambda: bool(browser.js(DRAWN)), timeout=60)


def node_index(browser: Chromium, iri: str) -> int:
    index: int = browser.js(
        f"(function(){{var d=kgView.data, iri={json.dumps(iri)};"
        "return d.nodes.iri.findIndex(function(x){var i=x.indexOf(':');"
        "return (i>0 && d.prefixes[x.slice(0,i)] ? d.prefixes[x.slice(0,i)]+x.slice(i+1) : x) === iri;});})()"
    )
    assert index >= 0, iri
    return index


def node_point(browser: Chromium, index: int) -> tuple[float, float]:
    """Where node ``index`` is on the screen (page coordinates)."""
    x, y = browser.js(
        f"(function(){{var n=kgView.network, p=n.canvasToDOM(n.getPositions([{index}])[{index}]);"
        "var r=document.getElementById('kg-graph').getBoundingClientRect(); return [r.left+p.x, r.top+p.y];})()"
    )
    return float(x), float(y)


def panel_text(browser: Chromium) -> str:
    text: str = browser.js(
        "document.getElementById('kg-panel').hidden ? '' : document.getElementById('kg-panel').innerText"
    )
    return text


def assert_clean(browser: Chromium, page: Path) -> None:
    """No console error, no exception, no dialog, no request other than the page itself."""
    assert browser.errors() == []
    assert browser.dialogs == []
    assert set(browser.requests()) <= {page.as_uri()}


def test_seed_page_draws_every_entity_and_relation(seed_dir: Path, browser: Chromium) -> None:
    page = seed_dir / "graph.html"
    open_page(browser, page)
    entities = {row[0] for row in sparql(seed_dir / "graph.trig", ENTITIES)}
    relations = set(sparql(seed_dir / "graph.trig", RELATIONS))
    assert len(entities) > 10 and len(relations) > 10
    drawn = browser.js(
        "(function(){var n=kgView.network; return [n.body.nodeIndices.length, n.body.edgeIndices.length,"
        " kgView.nodes.length, kgView.edges.length];})()"
    )
    assert drawn == [len(entities), len(relations), len(entities), len(relations)]
    # the canvas holds a picture: many pixels differ from the background
    painted = browser.js(
        "(function(){var c=document.querySelector('#kg-graph canvas'), g=c.getContext('2d');"
        "var d=g.getImageData(0,0,c.width,c.height).data, k=0;"
        "for (var i=0;i<d.length;i+=4){ if (d[i+3] && (d[i]<200||d[i+1]<200||d[i+2]<200)) k++; } return k;})()"
    )
    assert painted > 2000
    assert browser.js("document.querySelectorAll('#kg-legend input[type=checkbox]').length") >= 5
    # the README's picture: the seed graph with the mayor's panel open
    mayor = node_index(browser, "https://kg.example/id/Oh_Se-hoon")
    browser.click(*node_point(browser, mayor))
    browser.wait_for(lambda: "Oh Se-hoon" in panel_text(browser), timeout=10)
    browser.screenshot(SCREENSHOT)
    assert SCREENSHOT.stat().st_size > 20_000
    assert_clean(browser, page)


def test_search_focuses_the_node(seed_dir: Path, browser: Chromium) -> None:
    page = seed_dir / "graph.html"
    open_page(browser, page)
    seoul = node_index(browser, "https://kg.example/id/Seoul")
    for query in ("Seoul", "서울시", "Q8684"):  # English label, Korean other name, Wikidata ID
        browser.js("kgView.network.unselectAll(); kgView.network.moveTo({position: {x: -5000, y: 5000}})")
        browser.type_text("#kg-search", query)
        assert browser.js("kgView.network.getSelectedNodes()") == [seoul], query
        centre = browser.js("kgView.network.getViewPosition()")
        where = browser.js(f"kgView.network.getPositions([{seoul}])[{seoul}]")
        assert abs(centre["x"] - where["x"]) < 1 and abs(centre["y"] - where["y"]) < 1
        assert panel_text(browser).splitlines()[1].startswith("서울")
    browser.type_text("#kg-search", "no such entity anywhere")
    assert browser.js("document.getElementById('kg-search-status').textContent") == "not found"
    assert_clean(browser, page)


def test_clicking_a_node_and_an_edge_shows_evidence(seed_dir: Path, browser: Chromium) -> None:
    page = seed_dir / "graph.html"
    open_page(browser, page)
    mayor = "https://kg.example/id/Oh_Se-hoon"
    sentences = sparql(
        seed_dir / "graph.trig",
        "PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> "
        "PREFIX schema: <https://schema.org/> "
        f"SELECT ?text WHERE {{ ?s a nif:Sentence ; schema:mentions <{mayor}> ; nif:anchorOf ?text }}",
    )
    assert sentences
    index = node_index(browser, mayor)
    browser.js(f"kgView.network.focus({index}, {{scale: 1.5, animation: false}})")
    browser.click(*node_point(browser, index))
    assert browser.js("kgView.network.getSelectedNodes()") == [index]
    text = panel_text(browser)
    assert "오세훈" in text and "Oh Se-hoon" in text and "Person" in text
    assert any(" ".join(s[0].split())[:60] in " ".join(text.split()) for s in sentences), text
    assert "2024" in text  # the document's date next to the sentence
    # an edge: click the middle of the mayorOf arrow and get the Assertion's sentence
    edge = browser.js(
        f"(function(){{var d=kgView.data; for (var j=0;j<d.edges.from.length;j++){{"
        f"if (d.edges.from[j]==={index} && d.props[d.edges.prop[j]][0].endsWith('#mayorOf')) return j;}}"
        " return -1;})()"
    )
    assert edge >= 0
    evidence = sparql(
        seed_dir / "graph.trig",
        "PREFIX kgo: <https://kg.example/ontology#> PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> "
        "PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> "
        f"SELECT ?text WHERE {{ ?a rdf:subject <{mayor}> ; rdf:predicate kgo:mayorOf ; kgo:evidence ?s . "
        "?s nif:anchorOf ?text }",
    )
    assert evidence
    x, y = browser.js(
        f"(function(){{var n=kgView.network, e=n.body.edges[{edge}], p=e.edgeType.getPoint(0.5);"
        "var d=n.canvasToDOM(p), r=document.getElementById('kg-graph').getBoundingClientRect();"
        "return [r.left+d.x, r.top+d.y];})()"
    )
    browser.js("kgView.network.unselectAll()")
    browser.click(x, y)
    assert browser.js("kgView.network.getSelectedEdges()") == [edge]
    text = " ".join(panel_text(browser).split())
    assert "mayor of" in text
    assert " ".join(evidence[0][0].split())[:60] in text
    assert_clean(browser, page)


def test_language_switch_and_class_filter(seed_dir: Path, browser: Chromium) -> None:
    page = seed_dir / "graph.html"
    open_page(browser, page)
    seoul = node_index(browser, "https://kg.example/id/Seoul")
    assert browser.js(f"kgView.nodes.get({seoul}).label") == "서울 / Seoul"
    browser.js(
        "(function(){var s=document.getElementById('kg-lang'); s.value='ko'; s.dispatchEvent(new Event('change'));})()"
    )
    assert browser.js(f"kgView.nodes.get({seoul}).label") == "서울"
    assert "도시" in browser.js("document.getElementById('kg-legend').innerText")
    browser.js("kgView.setLang('en')")
    assert browser.js(f"kgView.nodes.get({seoul}).label") == "Seoul"
    assert browser.js("document.documentElement.lang") == "en"
    # uncheck "City" in the legend: Seoul and its relations disappear, the rest stay
    box = browser.js(
        "(function(){var b=document.querySelector('#kg-legend input[data-class$=\"#City\"]');"
        "var r=b.getBoundingClientRect(); return [r.left+r.width/2, r.top+r.height/2];})()"
    )
    browser.click(*box)
    assert browser.js(f"kgView.nodes.get({seoul}).hidden") is True
    visible = browser.js("kgView.nodes.get({filter: function(n){return !n.hidden;}}).length")
    total = browser.js("kgView.nodes.length")
    cities = browser.js(
        "kgView.data.nodes.cls.filter(function(c){return kgView.data.classes[c][0].endsWith('#City');}).length"
    )
    assert visible == total - cities
    assert (
        browser.js(
            f"kgView.edges.get().filter(function(e){{return (e.from==={seoul}||e.to==={seoul}) && !e.hidden;}}).length"
        )
        == 0
    )
    browser.click(*box)
    assert browser.js(f"kgView.nodes.get({seoul}).hidden") is False
    assert_clean(browser, page)


def test_focus_page_opens_on_its_entity(seed_dir: Path, browser: Chromium, tmp_path: Path) -> None:
    from kg.evaluate import load_graph

    page = tmp_path / "ego.html"
    page.write_text(render_html(load_graph(seed_dir), load_ontology(), "en", focus="Q8684", depth=1), encoding="utf-8")
    open_page(browser, page)
    seoul = node_index(browser, "https://kg.example/id/Seoul")
    assert browser.js("kgView.network.getSelectedNodes()") == [seoul]
    assert panel_text(browser).splitlines()[1] == "Seoul"
    total = len(sparql(seed_dir / "graph.trig", ENTITIES))
    assert 1 < browser.js("kgView.nodes.length") < total
    assert_clean(browser, page)


HOSTILE_TRIG = r"""
@prefix kgo: <https://kg.example/ontology#> . @prefix kgr: <https://kg.example/id/> .
@prefix kgd: <https://kg.example/doc/> . @prefix schema: <https://schema.org/> .
@prefix nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
kgd:d {
  kgd:d schema:headline "<img src=x onerror=alert(3)> 제목"@ko ; schema:datePublished "2025-01-15"^^xsd:date .
  kgr:Evil a kgo:Company ; rdfs:label "<script>alert(1)</script>"@ko , "\" onmouseover=\"alert(2)"@en ;
      skos:altLabel "</script><script>alert(4)</script>"@en ; kgo:foundingDate "<b onclick=alert(5)>2020</b>" .
  kgr:Seoul a kgo:City ; rdfs:label "서울"@ko , "Seoul"@en .
  kgr:Evil kgo:locatedIn kgr:Seoul .
  <https://kg.example/doc/d/sentence/0> a nif:Sentence ; nif:referenceContext kgd:d ; nif:beginIndex 0 ;
      nif:anchorOf "<script>alert(1)</script> 와 \" onmouseover=\"alert(2) 가 서울에 있다."@ko ;
      schema:mentions kgr:Evil , kgr:Seoul .
}
"""


@pytest.mark.parametrize("source", ["document", "labels"])
def test_text_from_documents_runs_nothing(source: str, browser: Chromium, tmp_path: Path) -> None:
    if source == "document":  # the whole pipeline over a hostile article
        out = tmp_path / "build"
        write_build(build([TEST_DATA / "xss" / "hostile.txt"]), out)
        page = out / "graph.html"
    else:  # entity names and a sentence carrying <script>alert(1)</script> and " onmouseover="
        dataset = Dataset()
        dataset.parse(data=HOSTILE_TRIG, format="trig")
        page = tmp_path / "hostile.html"
        page.write_text(render_html(dataset, load_ontology(), "both"), encoding="utf-8")
    html = page.read_text(encoding="utf-8")
    assert "onmouseover" in html  # the hostile text is on the page, as data
    # the page's three script elements, none closed early (vis-network's code writes "<script>" once)
    assert html.count("<script") == 4 and html.count("</script>") == 3
    open_page(browser, page)
    # show every node's and edge's panel and hover every node (tooltips), then look
    count = browser.js("kgView.nodes.length")
    assert count >= 2
    for index in range(count):
        browser.js(f"kgView.showNode({index})")
        browser.hover(*node_point(browser, index))
        time.sleep(0.3)
    for index in range(browser.js("kgView.edges.length")):
        browser.js(f"kgView.showEdge({index})")
    browser.js("kgView.showNode(0)")
    text = panel_text(browser)
    assert "<" in text or "onmouseover" in text  # shown as text
    assert browser.js("document.querySelectorAll('script').length") == 3
    assert browser.js("document.querySelectorAll('img,b,[onmouseover],[onerror],[onclick]').length") == 0
    assert browser.js("document.body.hasAttribute('data-pwned')") is False
    assert browser.js("document.title") == "Knowledge graph"
    assert_clean(browser, page)
