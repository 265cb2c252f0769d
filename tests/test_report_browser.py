"""The HTML report in headless Chromium: no console errors, no outside requests, a real picture.

The browser is driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``:
JSON messages ending in NUL on file descriptors 3 and 4), with the standard library
only. Each page is opened in a fresh tab of a fixed 1280 × 900 viewport; uncaught
exceptions, ``console.error`` calls, browser log errors (such as a failed image) and
every request that is not a ``data:`` URI or the page itself are collected. A page
with deliberate faults shows that each of these checks can fail.

A real run of the small demo (three crops, its atlas maps) gives the report whose
interactive map is clicked with the mouse and opened with the keyboard: the panel must
show the kecamatan's product and alternatives as the decision table has them. Its
size per embedded map is checked against the 4 MB budget of the 30-crop demo, and its
print media must show the static maps and none of the interactive parts.

Skipped when Chromium is not installed, unless ``AEZ_REQUIRE_BROWSER=1``.
"""

from __future__ import annotations

import base64
import fcntl
import io
import json
import os
import queue
import re
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from test_report import demo_config, demo_context, demo_run

from aez.errors import OutputExistsError
from aez.pipeline import run as run_aez
from aez.render.report import report_pdf, write_report
from aez.words import TEXT

VIEWPORT = (1280, 900)
#: Seconds to wait for one DevTools answer or event.
TIMEOUT = 30.0


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        message = "Chromium is not installed (Debian: apt-get install chromium)"
        if os.environ.get("AEZ_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{message}, and AEZ_REQUIRE_BROWSER=1 requires it.")
        pytest.skip(message)
    return found


class DevTools:
    """A headless Chromium driven over ``--remote-debugging-pipe``."""

    def __init__(self, executable: str, profile: Path) -> None:
        commands, self._commands = os.pipe()  # the browser reads fd 3
        self._answers, answers = os.pipe()  # the browser writes fd 4
        # Move the child's ends above 9, so that dup2 onto 3 and 4 cannot clobber them.
        commands, answers = (self._high(fd) for fd in (commands, answers))
        null = os.open(os.devnull, os.O_RDWR | os.O_CLOEXEC)
        args = [executable, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-dev-shm-usage",
                "--remote-debugging-pipe", "--no-first-run", "--hide-scrollbars",
                "--mute-audio", f"--user-data-dir={profile}", "about:blank"]
        actions = [(os.POSIX_SPAWN_DUP2, commands, 3), (os.POSIX_SPAWN_DUP2, answers, 4),
                   *((os.POSIX_SPAWN_DUP2, null, fd) for fd in (0, 1, 2))]
        self.pid = os.posix_spawn(executable, args, os.environ, file_actions=actions)
        for fd in (commands, answers, null):
            os.close(fd)
        self._inbox: queue.Queue[dict[str, Any] | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self._id = 0
        self.events: list[dict[str, Any]] = []

    @staticmethod
    def _high(fd: int) -> int:
        moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(fd)
        return moved

    def _read(self) -> None:
        buffer = b""
        with os.fdopen(self._answers, "rb", buffering=0) as pipe:
            while chunk := pipe.read(1 << 16):
                *messages, buffer = (buffer + chunk).split(b"\0")
                for message in messages:
                    self._inbox.put(json.loads(message))
        self._inbox.put(None)

    def _next(self, deadline: float) -> dict[str, Any]:
        message = self._inbox.get(timeout=max(0.01, deadline - time.monotonic()))
        if message is None:
            raise RuntimeError("Chromium closed the DevTools pipe")
        return message

    def send(self, method: str, params: dict[str, Any] | None = None,
             session: str | None = None) -> dict[str, Any]:
        """Call a DevTools method and return its result; events seen meanwhile are kept."""
        self._id += 1
        message: dict[str, Any] = {"id": self._id, "method": method, "params": params or {}}
        if session is not None:
            message["sessionId"] = session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT
        while True:
            answer = self._next(deadline)
            if answer.get("id") == self._id:
                if "error" in answer:
                    raise RuntimeError(f"{method} failed: {answer['error']}")
                return answer["result"]
            self.events.append(answer)

    def wait_for(self, method: str, session: str) -> None:
        if any(e.get("method") == method and e.get("sessionId") == session for e in self.events):
            return
        deadline = time.monotonic() + TIMEOUT
        while True:
            event = self._next(deadline)
            self.events.append(event)
            if event.get("method") == method and event.get("sessionId") == session:
                return

    def close(self) -> None:
        try:
            self.send("Browser.close")
        except (RuntimeError, OSError, queue.Empty):
            os.kill(self.pid, 9)
        os.close(self._commands)
        os.waitpid(self.pid, 0)


class Tab:
    """One page open in a tab of ``browser``: evaluate scripts, click, press keys."""

    def __init__(self, browser: DevTools, page: Path, *, scripts: bool = True) -> None:
        self.browser = browser
        self.url = page.resolve().as_uri()
        self.target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = browser.send("Target.attachToTarget", {"targetId": self.target,
                                                              "flatten": True})["sessionId"]
        for domain in ("Runtime", "Log", "Page", "Network"):
            browser.send(f"{domain}.enable", session=self.session)
        browser.send("Emulation.setDeviceMetricsOverride",
                     {"width": VIEWPORT[0], "height": VIEWPORT[1], "deviceScaleFactor": 1,
                      "mobile": False}, session=self.session)
        if not scripts:
            browser.send("Emulation.setScriptExecutionDisabled", {"value": True},
                         session=self.session)
        browser.send("Page.navigate", {"url": self.url}, session=self.session)
        browser.wait_for("Page.loadEventFired", self.session)

    def eval(self, expression: str) -> Any:
        """Evaluate ``expression`` in the page; return its value (JSON-able)."""
        answer = self.browser.send("Runtime.evaluate", {"expression": expression,
                                                        "returnByValue": True},
                                   session=self.session)
        if "exceptionDetails" in answer:
            raise RuntimeError(f"{expression!r} failed: {answer['exceptionDetails']}")
        return answer["result"].get("value")

    def click(self, x: float, y: float) -> None:
        """A left click of the mouse at viewport pixel (x, y)."""
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.browser.send("Input.dispatchMouseEvent",
                              {"type": kind, "x": x, "y": y, "button": "left",
                               "clickCount": 0 if kind == "mouseMoved" else 1},
                              session=self.session)

    def press(self, key: str, code: int) -> None:
        """Press and release a key on the focused element."""
        for kind in ("keyDown", "keyUp"):
            self.browser.send("Input.dispatchKeyEvent",
                              {"type": kind, "key": key, "code": key,
                               "windowsVirtualKeyCode": code, "nativeVirtualKeyCode": code},
                              session=self.session)

    def problems(self) -> tuple[list[str], list[str]]:
        """Close the tab; return its errors and the requests that left the page."""
        self.browser.send("Target.closeTarget", {"targetId": self.target})
        return _problems(self.browser, self.session, self.url)


def _problems(browser: DevTools, session: str, url: str) -> tuple[list[str], list[str]]:
    errors, outside = [], []
    for event in (e for e in browser.events if e.get("sessionId") == session):
        method, params = event["method"], event["params"]
        if method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            errors.append(details.get("exception", {}).get("description", details["text"]))
        elif method == "Runtime.consoleAPICalled" and params["type"] in ("error", "assert"):
            errors.append(" ".join(str(a.get("value", a.get("description"))) for a in
                                   params["args"]))
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            errors.append(params["entry"]["text"])
        elif method == "Network.requestWillBeSent":
            request = params["request"]["url"]
            if not request.startswith("data:") and request != url:
                outside.append(request)
    return errors, outside


@dataclass
class Visit:
    errors: list[str]
    outside: list[str]
    images: list[list[Any]]
    overflow: bool
    title: str
    screenshot: bytes
    seconds: float


def visit(browser: DevTools, page: Path) -> Visit:
    """Open ``page`` in a new 1280 × 900 tab; collect errors, requests and a screenshot."""
    start = time.perf_counter()
    target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = browser.send("Target.attachToTarget", {"targetId": target,
                                                     "flatten": True})["sessionId"]
    for domain in ("Runtime", "Log", "Page", "Network"):
        browser.send(f"{domain}.enable", session=session)
    browser.send("Emulation.setDeviceMetricsOverride",
                 {"width": VIEWPORT[0], "height": VIEWPORT[1], "deviceScaleFactor": 1,
                  "mobile": False}, session=session)
    url = page.resolve().as_uri()
    browser.send("Page.navigate", {"url": url}, session=session)
    browser.wait_for("Page.loadEventFired", session)
    state = json.loads(browser.send("Runtime.evaluate", {"expression": """JSON.stringify({
        images: Array.from(document.images).map(i => [i.complete, i.naturalWidth]),
        overflow: document.documentElement.scrollWidth > window.innerWidth,
        title: document.title})""", "returnByValue": True}, session=session)["result"]["value"])
    shot = browser.send("Page.captureScreenshot", {"format": "png"}, session=session)
    browser.send("Target.closeTarget", {"targetId": target})
    errors, outside = _problems(browser, session, url)
    return Visit(errors, outside, state["images"], state["overflow"], state["title"],
                 base64.b64decode(shot["data"]), time.perf_counter() - start)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevTools]:
    executable = _chromium()
    devtools = DevTools(executable, tmp_path_factory.mktemp("chromium-profile"))
    yield devtools
    devtools.close()


@pytest.fixture(scope="module")
def reports(small_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    _chromium()  # skip before building the run when there is no browser
    folder = tmp_path_factory.mktemp("browser-report")
    run = demo_run(small_demo, folder)
    return {lang: write_report(folder / f"report_{lang}.html", demo_context(run), lang=lang)
            for lang in ("id", "en")}


def _colours(png: bytes) -> tuple[tuple[int, int], int, float]:
    """Size, number of distinct colours, and the share of pixels that are not white."""
    with Image.open(io.BytesIO(png)) as image:
        rgb = image.convert("RGB")
        size = rgb.size
        colours = rgb.getcolors(maxcolors=1 << 20) or []
    white = sum(n for n, c in colours if c == (255, 255, 255))
    return size, len(colours), 1 - white / (size[0] * size[1])


@pytest.mark.parametrize("lang", ["id", "en"])
def test_report_renders_cleanly(browser, reports, lang, tmp_path) -> None:
    result = visit(browser, reports[lang])
    html = reports[lang].read_text(encoding="utf-8")
    assert result.errors == []
    assert result.outside == []
    assert len(result.images) == html.count("<img ") > 0
    assert all(complete and width > 0 for complete, width in result.images)
    assert not result.overflow  # nothing wider than the window
    assert "Kabupaten Muara Batola" in result.title
    (tmp_path / f"screenshot_{lang}.png").write_bytes(result.screenshot)
    size, colours, ink = _colours(result.screenshot)
    assert size == VIEWPORT
    assert colours > 100  # text anti-aliasing, the header band, tables
    assert 0.05 < ink < 0.95
    assert result.seconds < 15


def test_faults_are_detected(browser, tmp_path) -> None:
    page = tmp_path / "faulty.html"
    page.write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>faulty</title></head><body>'
        '<p>Faults on purpose.</p><img src="http://127.0.0.1:9/outside.png" alt="">'
        '<script>console.error("deliberate console error"); undefinedFunction();</script>'
        "</body></html>", encoding="utf-8")
    result = visit(browser, page)
    assert any("deliberate console error" in e for e in result.errors)
    assert any("undefinedFunction is not defined" in e for e in result.errors)
    assert any("Failed to load resource" in e for e in result.errors)
    assert result.outside == ["http://127.0.0.1:9/outside.png"]
    assert result.images == [[True, 0]]  # the broken image has no pixels


def test_blank_page_is_detected(browser, tmp_path) -> None:
    page = tmp_path / "blank.html"
    page.write_text("<!DOCTYPE html><html><head><title>blank</title></head><body></body></html>",
                    encoding="utf-8")
    result = visit(browser, page)
    assert result.errors == []
    size, colours, ink = _colours(result.screenshot)
    assert size == VIEWPORT and colours == 1 and ink == 0


def test_report_prints_to_a4_pdf(reports, tmp_path) -> None:
    chromium = _chromium()
    pdf = report_pdf(reports["en"], tmp_path / "report.pdf", chromium=chromium)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    pages = re.findall(rb"/Type\s*/Page\b(?!s)", data)
    assert len(pages) >= 6  # cover and contents, then each of the five sections on a new page
    boxes = {tuple(round(float(v)) for v in box.split()) for box in
             re.findall(rb"/MediaBox\s*\[\s*([\d.\s]+)\]", data)}
    assert boxes == {(0, 0, 595, 842)}  # A4 in points, from the report's @page rule
    with pytest.raises(OutputExistsError):
        report_pdf(reports["en"], pdf, chromium=chromium)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.pdf"]


# -- the interactive report of a real run -------------------------------------------------------

#: The report of the 30-crop demo (60 commodity maps and three others) must stay under this
#: (``benchmarks/report_bench.py`` measures that report itself).
DEMO_BUDGET = 4_000_000
DEMO_CROP_MAPS = 60


@pytest.fixture(scope="module")
def real_run(small_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The small demo run with three crops, its atlas maps and report, in English."""
    _chromium()
    folder = tmp_path_factory.mktemp("real-run")
    return run_aez(demo_config(small_demo, folder / "out"), executor="threads", lang="en")


def _names(result: Any) -> dict[str, str]:
    return {c.id: c.name_en for c in result.crops}


#: A point of the kecamatan's shape where a click lands on it: first scrolled into view,
#: then a grid of points over its box tried until the topmost element there is the shape.
_POINT = """(() => {
  const shape = document.getElementById(%s);
  shape.scrollIntoView({block: "center"});
  const box = shape.getBoundingClientRect();
  for (let i = 1; i < 24; i++) for (let j = 1; j < 24; j++) {
    const x = box.left + box.width * i / 24, y = box.top + box.height * j / 24;
    if (document.elementFromPoint(x, y) === shape) return [x, y];
  }
  return null;
})()"""


def _panel(tab: Tab) -> dict[str, Any]:
    return tab.eval("""(() => { const p = document.getElementById("kec-panel");
        return {kec: p.getAttribute("data-kec"), text: p.innerText,
                alternatives: Array.from(p.querySelectorAll(".panel-alternatives li"))
                                   .map(li => li.innerText)}; })()""")


def test_demo_report_fits_its_size_budget(real_run) -> None:
    report = real_run.outdir / "report.html"
    html = report.read_text(encoding="utf-8")
    images = re.findall(r'<img src="(data:[^"]+)"[^>]*alt="([^"]*)"', html)
    crop = [len(src) for src, alt in images if " – " in alt]  # "Suitability class – Maize"
    assert len(crop) == 2 * len(real_run.crops)
    assert len(images) == len(crop) + 4  # overview, products, robustness, potential value
    # This run's commodity maps, as many as the demo's, with the rest of this report.
    size = report.stat().st_size
    assert sum(crop) / len(crop) * DEMO_CROP_MAPS + (size - sum(crop)) <= DEMO_BUDGET
    full = sum(p.stat().st_size for p in (real_run.outdir / "maps").rglob("*.png"))
    assert size < full / 3  # far smaller than the full-resolution maps alone


def test_click_a_kecamatan_opens_its_panel(browser, real_run) -> None:
    table = real_run.decision.kecamatan
    names = _names(real_run)
    tab = Tab(browser, real_run.outdir / "report.html")
    assert tab.eval("document.documentElement.classList.contains('js')")
    assert tab.eval("document.getElementById('kec-panel').getAttribute('data-kec')") is None
    chosen = [k for k, row in table.iterrows() if isinstance(row["alternative_1"], str)][:2]
    assert chosen
    for kid in chosen:
        point = tab.eval(_POINT % json.dumps(f"kec-{kid}"))
        assert point is not None, kid
        tab.click(*point)
        panel = _panel(tab)
        row = table.loc[kid]
        assert panel["kec"] == kid
        assert tab.eval("document.getElementById('kec-chosen').getAttribute('d') === "
                        f"document.getElementById({json.dumps('kec-' + kid)}).getAttribute('d')")
        assert row["kecamatan"] in panel["text"]
        assert names[row["product"]] in panel["text"]
        expected = [(names[row[f"alternative_{i}"]], row[f"alternative_{i}_score"])
                    for i in (1, 2, 3) if isinstance(row[f"alternative_{i}"], str)]
        assert len(panel["alternatives"]) == len(expected)
        for shown, (name, score) in zip(panel["alternatives"], expected, strict=True):
            label, number = re.fullmatch(r"(.+) \(([\d.,]+)\)", shown).groups()
            assert label == name
            assert float(number.replace(",", "")) == pytest.approx(score, abs=5e-4)
        for criterion in real_run.decision.scores.weights:
            assert TEXT["en"].get(f"criterion.{criterion}", criterion) in panel["text"]
    # The hover title names the kecamatan and its product.
    kid = chosen[0]
    title = tab.eval(f"document.getElementById({json.dumps('kec-' + kid)})"
                     ".querySelector('title').textContent")
    assert title == f"{table.loc[kid, 'kecamatan']}: {names[table.loc[kid, 'product']]}"
    errors, outside = tab.problems()
    assert errors == [] and outside == []


def test_enter_on_a_focused_kecamatan_opens_its_panel(browser, real_run) -> None:
    table = real_run.decision.kecamatan
    tab = Tab(browser, real_run.outdir / "report.html")
    kid = table.index[-1]
    tab.eval(f"document.getElementById({json.dumps('kec-' + kid)}).focus()")
    assert tab.eval("document.activeElement.getAttribute('data-kec')") == kid
    tab.press("Enter", 13)
    panel = _panel(tab)
    assert panel["kec"] == kid and table.loc[kid, "kecamatan"] in panel["text"]
    assert tab.eval("document.activeElement.getAttribute('aria-pressed')") == "true"
    tab.press("Escape", 27)  # closes the panel, the focus stays on the kecamatan
    assert _panel(tab)["kec"] is None and _panel(tab)["text"] == ""
    assert tab.eval("document.activeElement.getAttribute('data-kec')") == kid
    assert tab.eval("document.getElementById('kec-chosen').hasAttribute('d')") is False
    # Tab reaches the shapes in document order, so every kecamatan is reachable.
    assert tab.eval("Array.from(document.querySelectorAll('path.kec'))"
                    ".every(p => p.tabIndex === 0)")
    errors, outside = tab.problems()
    assert errors == [] and outside == []


def test_the_selector_shows_one_commodity_map_at_a_time(browser, real_run) -> None:
    tab = Tab(browser, real_run.outdir / "report.html")
    shown = """Array.from(document.querySelectorAll("figure.crop-map"))
        .filter(f => f.getClientRects().length > 0).map(f => f.getAttribute("data-map"))"""
    options = tab.eval("Array.from(document.querySelectorAll('#crop-map-select option'))"
                       ".map(o => o.value)")
    assert len(options) == 2 * len(real_run.crops)
    assert tab.eval(shown) == [options[0]]
    tab.eval(f"""(() => {{ const s = document.getElementById("crop-map-select");
        s.value = {json.dumps(options[-1])}; s.dispatchEvent(new Event("change")); }})()""")
    assert tab.eval(shown) == [options[-1]]
    width = tab.eval("document.querySelector('figure.crop-map.current img')"
                     ".getBoundingClientRect().width")
    assert width >= 700  # one large map, not a thumbnail
    # Each map links to its full-resolution file next to the report.
    for href in tab.eval("Array.from(document.querySelectorAll('figure.crop-map a'))"
                         ".map(a => a.getAttribute('href'))"):
        assert href.startswith("maps/") and (real_run.outdir / href).is_file()
    errors, outside = tab.problems()
    assert errors == [] and outside == []


def test_print_shows_static_maps_and_no_interactive_parts(browser, real_run) -> None:
    tab = Tab(browser, real_run.outdir / "report.html")
    point = tab.eval(_POINT % json.dumps(f"kec-{real_run.decision.kecamatan.index[0]}"))
    tab.click(*point)  # an open panel must not print either
    tab.browser.send("Emulation.setEmulatedMedia", {"media": "print"}, session=tab.session)
    visible = """(selector) => Array.from(document.querySelectorAll(selector))
        .filter(e => e.getClientRects().length > 0).length"""
    count = lambda selector: tab.eval(f"({visible})({json.dumps(selector)})")  # noqa: E731
    for interactive in ("#kecamatan-map", "#kec-panel", "#crop-map-select", ".js-only",
                        "path.kec", ".panel-close"):
        assert count(interactive) == 0, interactive
    assert count(".print-only img") == 1  # the static product map
    assert count("figure.crop-map img") == 2 * len(real_run.crops)  # every commodity map
    tab.browser.send("Emulation.setEmulatedMedia", {"media": "screen"}, session=tab.session)
    assert count("#kecamatan-map") == 1 and count(".print-only img") == 0
    errors, outside = tab.problems()
    assert errors == [] and outside == []


def test_without_scripts_every_map_is_shown(browser, real_run) -> None:
    tab = Tab(browser, real_run.outdir / "report.html", scripts=False)
    shown = """(selector) => Array.from(document.querySelectorAll(selector))
        .filter(e => e.getClientRects().length > 0).length"""
    count = lambda selector: tab.eval(f"({shown})({json.dumps(selector)})")  # noqa: E731
    assert not tab.eval("document.documentElement.classList.contains('js')")
    assert count("figure.crop-map img") == 2 * len(real_run.crops)
    assert count(".js-only") == 0  # no selector and no empty panel without a script
    assert count("path.kec") == len(real_run.decision.kecamatan)  # the map, titles on hover
    errors, outside = tab.problems()
    assert errors == [] and outside == []
