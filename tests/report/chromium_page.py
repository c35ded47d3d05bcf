"""Loads a page in Debian's headless Chromium and inspects it over the DevTools protocol.

Chromium is started with the project's fixed flags (no sandbox, no GPU, no network services, a new empty profile)
and --remote-debugging-port=0; the port is read from the profile's DevToolsActivePort file and one flat DevTools
session is driven with the `websockets` package. For each page the helper records console errors, uncaught
exceptions, log errors and every network request, evaluates a script in the page and can take a full-page
screenshot. Nothing is downloaded: the browser is the system's `chromium`.

Also a small command line for docs: `python tests/report/chromium_page.py page.html --screenshot out.png`.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field

import websockets

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--remote-debugging-address=127.0.0.1",
    "--remote-debugging-port=0",
]


def chromium_binary() -> str:
    """The system Chromium; fails loudly when it is missing (scripts/setup.sh installs Debian's `chromium`)."""
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    raise RuntimeError("chromium not found on PATH; run scripts/setup.sh (installs Debian's chromium)")


@dataclass
class PageResult:
    value: object = None  # what the evaluated script returned (JSON-compatible)
    console_errors: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    log_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)  # every URL the page asked for, the page itself included
    screenshot: bytes | None = None
    width: int = 0
    height: int = 0


class Chromium:
    """One headless Chromium process; open pages with load(). Use as a context manager."""

    def __init__(self) -> None:
        self._profile = tempfile.mkdtemp(prefix="ridesweep-chromium-")
        self._process: subprocess.Popen | None = None
        self._ws_url = ""

    def __enter__(self) -> "Chromium":
        self._process = subprocess.Popen(
            [chromium_binary(), *CHROMIUM_FLAGS, f"--user-data-dir={self._profile}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port_file = pathlib.Path(self._profile) / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"chromium exited early with status {self._process.returncode}")
            if port_file.exists():
                lines = port_file.read_text().split("\n")
                if len(lines) >= 2 and lines[0].strip() and lines[1].strip():
                    self._ws_url = f"ws://127.0.0.1:{lines[0].strip()}{lines[1].strip()}"
                    return self
            time.sleep(0.05)
        self.__exit__(None, None, None)
        raise RuntimeError("chromium did not open its DevTools port within 30 s")

    def __exit__(self, *exc_info) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        shutil.rmtree(self._profile, ignore_errors=True)

    def load(self, url: str, script: str | None = None, screenshot: bool = False, width: int = 1280,
             timeout: float = 60) -> PageResult:
        """Opens `url` in a new tab, waits for the load event, evaluates `script` (an expression whose value is
        returned by value) and optionally captures the whole page as PNG, `width` CSS pixels wide."""
        return asyncio.run(asyncio.wait_for(self._load(url, script, screenshot, width), timeout))

    async def _load(self, url: str, script: str | None, screenshot: bool, width: int) -> PageResult:
        result = PageResult()
        async with websockets.connect(self._ws_url, max_size=None) as ws:
            session = _Session(ws)
            reader = asyncio.create_task(session.read_forever())
            try:
                target = await session.call("Target.createTarget", {"url": "about:blank"})
                attached = await session.call("Target.attachToTarget",
                                              {"targetId": target["targetId"], "flatten": True})
                sid = attached["sessionId"]
                session.on_event = lambda method, params: _record(result, method, params)
                for domain in ("Runtime.enable", "Log.enable", "Page.enable", "Network.enable"):
                    await session.call(domain, {}, sid)
                await session.call("Emulation.setDeviceMetricsOverride",
                                   {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False}, sid)
                loaded = session.wait_for_event("Page.loadEventFired", sid)
                navigation = await session.call("Page.navigate", {"url": url}, sid)
                if navigation.get("errorText"):
                    raise RuntimeError(f"navigation to {url} failed: {navigation['errorText']}")
                await loaded
                if script is not None:
                    evaluated = await session.call(
                        "Runtime.evaluate", {"expression": script, "returnByValue": True, "awaitPromise": True}, sid)
                    if "exceptionDetails" in evaluated:
                        raise RuntimeError(f"page script failed: {evaluated['exceptionDetails']}")
                    result.value = evaluated["result"].get("value")
                if screenshot:
                    metrics = await session.call("Page.getLayoutMetrics", {}, sid)
                    size = metrics.get("cssContentSize") or metrics["contentSize"]
                    result.width = width
                    result.height = int(size["height"] + 0.5)
                    await session.call("Emulation.setDeviceMetricsOverride",
                                       {"width": width, "height": result.height, "deviceScaleFactor": 1,
                                        "mobile": False}, sid)
                    shot = await session.call("Page.captureScreenshot",
                                              {"format": "png", "captureBeyondViewport": True,
                                               "clip": {"x": 0, "y": 0, "width": width, "height": result.height,
                                                        "scale": 1}}, sid)
                    result.screenshot = base64.b64decode(shot["data"])
                # Let late console messages arrive before the tab goes away.
                await asyncio.sleep(0.2)
                await session.call("Target.closeTarget", {"targetId": target["targetId"]})
            finally:
                reader.cancel()
        return result


def _record(result: PageResult, method: str, params: dict) -> None:
    if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
        result.console_errors.append(" ".join(str(a.get("value", a.get("description", ""))) for a in params["args"]))
    elif method == "Runtime.exceptionThrown":
        details = params.get("exceptionDetails", {})
        result.exceptions.append(details.get("exception", {}).get("description") or details.get("text", ""))
    elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
        result.log_errors.append(params["entry"].get("text", ""))
    elif method == "Network.requestWillBeSent":
        result.requests.append(params["request"]["url"])


class _Session:
    """Request/response matching and event dispatch over one DevTools websocket (flat sessions)."""

    def __init__(self, ws) -> None:
        self._ws = ws
        self._next_id = 0
        self._pending: dict[int, asyncio.Future] = {}
        self._waiters: list[tuple[str, str | None, asyncio.Future]] = []
        self.on_event = lambda method, params: None

    async def call(self, method: str, params: dict, session_id: str | None = None) -> dict:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params}
        if session_id:
            message["sessionId"] = session_id
        future = asyncio.get_running_loop().create_future()
        self._pending[self._next_id] = future
        await self._ws.send(json.dumps(message))
        return await future

    def wait_for_event(self, method: str, session_id: str | None) -> asyncio.Future:
        future = asyncio.get_running_loop().create_future()
        self._waiters.append((method, session_id, future))
        return future

    async def read_forever(self) -> None:
        async for raw in self._ws:
            message = json.loads(raw)
            if "id" in message:
                future = self._pending.pop(message["id"], None)
                if future is None or future.done():
                    continue
                if "error" in message:
                    future.set_exception(RuntimeError(f"DevTools error: {message['error']}"))
                else:
                    future.set_result(message.get("result", {}))
                continue
            method, params = message.get("method", ""), message.get("params", {})
            self.on_event(method, params)
            for waiter in list(self._waiters):
                if waiter[0] == method and waiter[1] in (None, message.get("sessionId")) and not waiter[2].done():
                    waiter[2].set_result(params)
                    self._waiters.remove(waiter)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("page", help="HTML file or URL")
    parser.add_argument("--screenshot", required=True, help="PNG file to write (the whole page)")
    parser.add_argument("--width", type=int, default=1280)
    args = parser.parse_args()
    url = args.page if "://" in args.page else pathlib.Path(args.page).resolve().as_uri()
    with Chromium() as browser:
        page = browser.load(url, screenshot=True, width=args.width)
    pathlib.Path(args.screenshot).write_bytes(page.screenshot or b"")
    problems = page.console_errors + page.exceptions + page.log_errors
    print(f"{args.screenshot}: {page.width}x{page.height}; console errors: {len(problems)}")
    for problem in problems:
        print(f"  {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
