"""``aez sources fetch`` against a local HTTP server on 127.0.0.1 serving fixture files.

The server answers HEAD and GET with byte ranges (as the providers' servers do), and
has faulty paths: ``/flaky/`` cuts the first answer to each file in half, ``/short/``
always announces more bytes than it sends, ``/html/`` answers with a web page, and
anything else missing is a 404. Every request stays on this machine. The server runs
in its own process: GDAL holds the GIL while it opens a remote file, so a server thread
of the test process could not answer it.
"""

from __future__ import annotations

import gzip
import re
import socket
import subprocess
import sys
import time
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest
import rasterio

from aez.errors import DataSourceError
from aez.sources.fetch import download, fetch_source, load_endpoints
from aez.sources.samples import write_chirps, write_soilgrids, write_worldclim

BOUNDS = (122.0, -8.7, 122.4, -8.4)
WINDOW = (122.1, -8.6, 122.25, -8.5)


class _Handler(BaseHTTPRequestHandler):
    root: Path
    seen: dict[str, int]

    def log_message(self, *args) -> None:  # keep the test output quiet
        pass

    def _target(self) -> tuple[str, Path]:
        match = re.match(r"^/(flaky|short|html|files)/(.+)$", self.path)
        if not match:
            return "", self.root / "missing"
        return match.group(1), self.root / match.group(2)

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def do_GET(self) -> None:
        self._answer(body=True)

    def _answer(self, *, body: bool) -> None:
        mode, path = self._target()
        if mode == "html":
            page = b"<html><body>Service temporarily unavailable</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            if body:
                self.wfile.write(page)
            return
        if not path.is_file():
            self.send_error(404, "Not Found")
            return
        data = path.read_bytes()
        start, end = 0, len(data) - 1
        ranged = self.headers.get("Range")
        if ranged:
            first, _, last = ranged.removeprefix("bytes=").partition("-")
            start = int(first)
            end = min(int(last), len(data) - 1) if last else len(data) - 1
        part = data[start:end + 1]
        self.send_response(206 if ranged else 200)
        if ranged:
            self.send_header("Content-Range", f"bytes {start}-{end}/{len(data)}")
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Length", str(len(part)))
        self.end_headers()
        if not body:
            return
        count = self.seen.get(self.path, 0)
        self.seen[self.path] = count + 1
        if mode == "short" or (mode == "flaky" and count == 0):
            self.wfile.write(part[: len(part) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(part)


def serve(root: str, port_file: str) -> None:
    """Serve ``root`` on a free port of 127.0.0.1 until killed; write the port to a file."""
    handler = type("Handler", (_Handler,), {"root": Path(root), "seen": {}})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    Path(port_file).write_text(str(httpd.server_address[1]))
    httpd.serve_forever()


@pytest.fixture
def server(tmp_path):
    root = tmp_path / "served"
    root.mkdir()
    port_file = tmp_path / "port"
    code = (f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); "
            f"import test_sources_fetch as t; t.serve({str(root)!r}, {str(port_file)!r})")
    process = subprocess.Popen([sys.executable, "-c", code])
    try:
        deadline = time.monotonic() + 30
        while not port_file.exists() or not port_file.read_text():
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("the test HTTP server did not start")
            time.sleep(0.05)
        yield root, f"http://127.0.0.1:{port_file.read_text()}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_download_resumes_an_interrupted_transfer(server, tmp_path):
    root, base = server
    data = bytes(range(256)) * 400
    (root / "blob.bin").write_bytes(data)
    got = download(f"{base}/flaky/blob.bin", tmp_path / "blob.bin")
    assert got.read_bytes() == data
    assert not (tmp_path / "blob.bin.part").exists()


def test_download_404_is_one_line_with_the_url(server, tmp_path):
    _, base = server
    out = tmp_path / "downloads"
    out.mkdir()
    with pytest.raises(DataSourceError) as info:
        download(f"{base}/files/nothing-here.tif.gz", out / "x")
    message = str(info.value)
    assert f"{base}/files/nothing-here.tif.gz" in message and "404" in message
    assert "\n" not in message and not list(out.iterdir())


def test_download_of_the_wrong_size_fails(server, tmp_path):
    root, base = server
    (root / "blob.bin").write_bytes(b"x" * 10_000)
    out = tmp_path / "downloads"
    out.mkdir()
    with pytest.raises(DataSourceError, match=r"got \d+ bytes where the server announced"):
        download(f"{base}/short/blob.bin", out / "blob.bin", retries=1)
    assert not list(out.iterdir())


def test_without_network_the_error_names_the_url(tmp_path):
    with socket.socket() as probe:  # a port on this machine with nothing listening
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/chirps-v2.0.2010.01.tif.gz"
    with pytest.raises(DataSourceError) as info:
        download(url, tmp_path / "x")
    assert str(info.value).startswith(f"Cannot download {url}: ")
    assert "\n" not in str(info.value)


def _serve_chirps(root: Path, years=(2010, 2010)) -> list[Path]:
    files = write_chirps(root / "chirps-src", BOUNDS, years=years)
    for path in files:
        with gzip.open(root / f"{path.name}.gz", "wb") as packed:
            packed.write(path.read_bytes())
    return files


def _endpoints(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "endpoints.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_fetch_chirps_clips_the_window(server, tmp_path):
    root, base = server
    originals = _serve_chirps(root)
    settings = _endpoints(tmp_path, f'[chirps]\nurl = "{base}/flaky/chirps-v2.0.{{year}}.'
                                    '{month:02d}.tif.gz"\n')
    out = tmp_path / "chirps"
    files = fetch_source("chirps", WINDOW, out, years="2010", endpoints=settings)
    assert sorted(p.name for p in files) == [f"chirps-v2.0.2010.{m:02d}.tif" for m in range(1, 13)]
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in files)
    with rasterio.open(files[0]) as got, rasterio.open(originals[0]) as whole:
        assert got.crs == whole.crs and got.dtypes == whole.dtypes and got.nodata == whole.nodata
        assert got.width < whole.width
        window = rasterio.windows.from_bounds(*got.bounds, transform=whole.transform)
        np.testing.assert_array_equal(got.read(1), whole.read(1, window=window.round_offsets()
                                                              .round_lengths()))


def test_fetch_chirps_404_and_html(server, tmp_path):
    root, base = server
    _serve_chirps(root)
    settings = _endpoints(tmp_path, f'[chirps]\nurl = "{base}/files/chirps-v2.0.{{year}}.'
                                    '{month:02d}.tif.gz"\n')
    with pytest.raises(DataSourceError, match=r"chirps-v2.0.2009.01.tif.gz: HTTP 404"):
        fetch_source("chirps", WINDOW, tmp_path / "a", years="2009", endpoints=settings)
    page = _endpoints(tmp_path, f'[chirps]\nurl = "{base}/html/chirps-v2.0.{{year}}.'
                                '{month:02d}.tif.gz"\n')
    with pytest.raises(DataSourceError, match=r"Cannot read .*/html/chirps-v2.0.2010.01.tif.gz"):
        fetch_source("chirps", WINDOW, tmp_path / "b", years="2010", endpoints=page)
    assert not list((tmp_path / "b").glob("*.tif"))


def test_fetch_soilgrids_reads_only_the_window(server, tmp_path):
    root, base = server
    write_soilgrids(root / "sg", BOUNDS, properties=("phh2o", "clay"), depths=("0-5cm",))
    settings = _endpoints(tmp_path, f'[soilgrids]\nurl = "{base}/files/sg/{{property}}_'
                                    '{depth}_{statistic}.tif"\n')
    files = fetch_source("soilgrids", WINDOW, tmp_path / "sg", endpoints=settings,
                         properties=["phh2o", "clay"], depths=["0-5cm"])
    assert [p.name for p in files] == ["phh2o_0-5cm_mean.tif", "clay_0-5cm_mean.tif"]
    with rasterio.open(files[0]) as got, rasterio.open(root / "sg" / files[0].name) as whole:
        assert got.dtypes[0] == "int16" and got.nodata == -32768 and got.crs == whole.crs
        assert got.width < whole.width
        col = round((got.transform.c - whole.transform.c) / 250)
        row = round((whole.transform.f - got.transform.f) / 250)
        np.testing.assert_array_equal(
            got.read(1), whole.read(1)[row:row + got.height, col:col + got.width])


def test_fetch_worldclim_members_of_a_remote_zip(server, tmp_path):
    root, base = server
    files = write_worldclim(root / "wc", BOUNDS)
    with zipfile.ZipFile(root / "wc2.1_30s_prec.zip", "w") as archive:
        for path in files:
            if "_prec_" in path.name:
                archive.write(path, path.name)
    settings = _endpoints(tmp_path, f'[worldclim]\nurl = "{base}/files/wc2.1_{{res}}_'
                                    '{variable}.zip"\nvariables = ["prec"]\n')
    got = fetch_source("worldclim", WINDOW, tmp_path / "wc", endpoints=settings)
    assert [p.name for p in got] == [f"wc2.1_30s_prec_{m:02d}.tif" for m in range(1, 13)]
    with rasterio.open(got[0]) as src:
        assert src.dtypes[0] == "int16" and src.crs.to_epsg() == 4326


def test_cli_fetch_fails_in_one_line(run_cli, tiny_region, tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = _endpoints(tmp_path, f'[chirps]\nurl = "http://127.0.0.1:{port}/c.{{year}}.'
                                    '{month:02d}.tif.gz"\n')
    result = run_cli("sources", "fetch", "chirps", "--config", str(tiny_region), "--to",
                     str(tmp_path / "out"), "--years", "2010", "--endpoints", str(settings))
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and f"http://127.0.0.1:{port}/c.2010.01.tif.gz" in lines[0]


def test_endpoints_are_settings(tmp_path, monkeypatch):
    shipped = load_endpoints()
    assert set(shipped) == {"soilgrids", "chirps", "worldclim"}
    override = _endpoints(tmp_path, '[chirps]\nurl = "http://example.invalid/{year}.{month}"\n')
    monkeypatch.setenv("AEZ_SOURCES_ENDPOINTS", str(override))
    assert load_endpoints()["chirps"]["url"] == "http://example.invalid/{year}.{month}"
    assert load_endpoints()["soilgrids"] == shipped["soilgrids"]
