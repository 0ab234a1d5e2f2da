"""The HTML report renders in a real browser (headless Chromium) with every chart drawn.

Needs the warehouse of `make test-build` (CX_TEST_WAREHOUSE) and Debian's `chromium` (`make browser-deps`);
skips with the reason when either is missing. The missing-mart test needs neither.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import duckdb
import numpy as np
import pytest
from PIL import Image

from scripts import report

WINDOW_WIDTH = 1000
CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome")

# Appended to a copy of the report only: writes every chart's box and image size into the DOM once the page
# (and its data: images) has loaded, so `--dump-dom` can read the layout the screenshot will show.
PROBE_SCRIPT = """
<script>
window.addEventListener('load', () => {
  const charts = [...document.querySelectorAll('section[data-chart]')].map((section) => {
    const img = section.querySelector('img.chart-img');
    const box = img ? img.getBoundingClientRect() : null;
    return {
      key: section.dataset.chart,
      drawn: !!img,
      natural_width: img ? img.naturalWidth : 0,
      natural_height: img ? img.naturalHeight : 0,
      x: box ? box.left + window.scrollX : 0,
      y: box ? box.top + window.scrollY : 0,
      width: box ? box.width : 0,
      height: box ? box.height : 0,
    };
  });
  const probe = document.createElement('pre');
  probe.id = 'probe';
  probe.textContent = JSON.stringify({height: document.documentElement.scrollHeight, charts});
  document.body.appendChild(probe);
});
</script>
"""


def _chromium() -> str | None:
    for name in CHROMIUM_CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


def _chromium_args(binary: str, height: int) -> list[str]:
    return [
        binary,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        "--no-first-run",
        "--disable-extensions",
        f"--window-size={WINDOW_WIDTH},{height}",
    ]


def _run_chromium(args: list[str], home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HOME": str(home)}
    return subprocess.run(args, capture_output=True, text=True, timeout=120, env=env, check=False)


@pytest.fixture(scope="module")
def warehouse() -> Path:
    path = os.environ.get("CX_TEST_WAREHOUSE")
    if not path or not Path(path).exists():
        pytest.skip("CX_TEST_WAREHOUSE is not set or not built (run `make test-build`)")
    return Path(path)


def test_report_is_self_contained_and_every_chart_draws(warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    charts = report.build_report(warehouse, out)
    assert [chart.key for chart in charts] == [chart.key for chart in report.CHARTS]
    not_drawn = {chart.key: chart.note for chart in charts if chart.png_base64 is None}
    assert not not_drawn, f"charts without a picture: {not_drawn}"

    page = out.read_text(encoding="utf-8")
    # self-contained: no script, no external stylesheet, image or font
    assert "<script" not in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page), "the report references the network"
    assert page.count('<img class="chart-img"') == len(report.CHARTS)

    binary = _chromium()
    if binary is None:
        pytest.skip("headless Chromium not installed (run `make browser-deps`: apt-get install chromium)")

    # 1. lay the page out in the browser and read each chart's box
    probe_page = tmp_path / "probe.html"
    probe_page.write_text(page.replace("</body>", PROBE_SCRIPT + "</body>"), encoding="utf-8")
    dumped = _run_chromium([*_chromium_args(binary, 1200), "--dump-dom", probe_page.as_uri()], tmp_path)
    match = re.search(r'<pre id="probe">(.*?)</pre>', dumped.stdout, re.S)
    assert match, f"Chromium did not run the page: {dumped.stderr[-2000:]}"
    layout = json.loads(match.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    boxes = {chart["key"]: chart for chart in layout["charts"]}
    assert set(boxes) == {chart.key for chart in report.CHARTS}

    # 2. screenshot the real report (no probe) tall enough to hold the whole page
    height = int(layout["height"]) + 40
    shot = tmp_path / "report.png"
    result = _run_chromium([*_chromium_args(binary, height), f"--screenshot={shot}", out.as_uri()], tmp_path)
    assert shot.exists(), f"no screenshot: {result.stderr[-2000:]}"
    image = Image.open(shot).convert("RGB")
    assert image.size[0] == WINDOW_WIDTH

    # 3. every chart area has a decoded image and is not blank on screen
    for key, box in boxes.items():
        assert box["drawn"], f"{key}: no <img>"
        assert box["natural_width"] > 100 and box["natural_height"] > 100, (
            f"{key}: image did not decode: {box}"
        )
        assert box["width"] > 100 and box["height"] > 100, f"{key}: zero-size box on the page: {box}"
        left, top = int(box["x"]), int(box["y"])
        right, bottom = int(box["x"] + box["width"]), int(box["y"] + box["height"])
        assert bottom <= image.size[1], f"{key}: below the screenshot ({bottom} > {image.size[1]})"
        area = image.crop((left, top, right, bottom))
        pixels = np.asarray(area).reshape(-1, 3)
        inked = int((pixels.min(axis=1) < 200).sum())
        colours = len(np.unique(pixels, axis=0))
        assert inked / len(pixels) > 0.02, f"{key}: chart area is blank ({inked} inked pixels)"
        assert colours > 8, f"{key}: chart area has only {colours} colours"


def test_missing_marts_give_notes_not_errors(tmp_path: Path) -> None:
    empty = tmp_path / "empty.duckdb"
    con = duckdb.connect(str(empty))
    con.execute("create schema outcomes")
    con.execute(
        "create table outcomes.mart_effort_calibration (effort_band varchar, band_order integer, "
        "matured_journeys bigint, ces_journeys bigint, ces_score_total double)"
    )
    # a mart from an older build without the columns the chart reads: a note too, not a crash
    con.execute("create table outcomes.mart_retention_curve (ai_interaction_type varchar)")
    con.close()
    out = tmp_path / "report.html"
    charts = report.build_report(empty, out)
    assert all(chart.png_base64 is None for chart in charts)
    notes = {chart.key: chart.note or "" for chart in charts}
    assert "has no rows yet" in notes["effort_calibration"]
    assert "is not in this warehouse yet" in notes["voice_risk"]
    assert notes["retention_curves"].startswith("Could not be drawn: Binder Error")
    page = out.read_text(encoding="utf-8")
    assert page.count('class="missing"') == len(report.CHARTS)


def test_cli_help() -> None:
    with pytest.raises(SystemExit) as exit_info:
        report.parse_args(["--help"])
    assert exit_info.value.code == 0
