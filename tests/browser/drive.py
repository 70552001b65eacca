"""Drive Debian's headless Chromium through a list of steps, for the portal's
browser tests (Playwright on the system Python; Odoo's tests run it as a
subprocess and assert on what it saw).

Usage: ``drive.py --base URL --out DIR < steps.json``; prints one JSON
object: ``{"steps": [...], "error": null}``, one result per step. Steps:

- ``{"do": "login", "login": ..., "password": ...}``
- ``{"do": "visit", "url": "/my/home", "shot": "01-home"}``
- ``{"do": "click", "selector": ..., "shot": ...}`` (waits for the page)
- ``{"do": "tap", "selector": ...}``: a click that stays on the page
- ``{"do": "fill", "selector": ..., "value": ...}``
- ``{"do": "select", "selector": ..., "value": ...}``: an option of a select
- ``{"do": "check", "selector": ...}``
- ``{"do": "upload", "selector": ..., "path": ...}``
- ``{"do": "download", "selector": ...}``: the file, saved under ``DIR``,
  with its size and first bytes

Each page step records the HTTP status, the URL, the page's text and
whether it scrolls sideways (its width beyond the viewport's): a mobile page
must not. Screenshots go to ``DIR/<shot>.png`` at a 360×740 viewport.
"""
import argparse
import json
import os
import sys

from playwright.sync_api import sync_playwright

VIEWPORT = {"width": 360, "height": 740}
TIMEOUT_MS = 30000


def _page_facts(page, response=None):
    width = page.evaluate("document.documentElement.scrollWidth")
    return {
        "status": response.status if response is not None else None,
        "url": page.url,
        "text": page.inner_text("body")[:20000],
        "scroll_width": width,
        "sideways": width > VIEWPORT["width"],
    }


def _shot(page, out, name):
    if not name:
        return None
    path = os.path.join(out, "%s.png" % name)
    page.screenshot(path=path, full_page=True)
    return path


def _step(page, base, out, step):
    kind = step["do"]
    if kind == "login":
        page.goto(base + "/web/login")
        page.fill("input[name=login]", step["login"])
        page.fill("input[name=password]", step["password"])
        with page.expect_navigation():
            page.click("form.oe_login_form button[type=submit]")
        facts = _page_facts(page)
    elif kind == "visit":
        response = page.goto(base + step["url"])
        facts = _page_facts(page, response)
    elif kind == "click":
        with page.expect_navigation():
            page.click(step["selector"])
        facts = _page_facts(page)
    elif kind == "tap":
        page.click(step["selector"])
        return {}
    elif kind == "fill":
        page.fill(step["selector"], step["value"])
        return {}
    elif kind == "select":
        page.select_option(step["selector"], step["value"])
        return {}
    elif kind == "check":
        page.check(step["selector"])
        return {}
    elif kind == "upload":
        page.set_input_files(step["selector"], step["path"])
        return {}
    elif kind == "download":
        with page.expect_download() as info:
            page.click(step["selector"])
        filename = os.path.basename(info.value.suggested_filename) or "download"
        path = os.path.join(out, filename)
        info.value.save_as(path)
        with open(path, "rb") as handle:
            data = handle.read()
        return {"size": len(data), "head": data[:8].decode("latin-1"),
                "filename": filename, "path": path}
    else:
        raise ValueError("unknown step %r" % kind)
    facts["shot"] = _shot(page, out, step.get("shot"))
    return facts


def main(argv):
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--base", required=True)
    options.add_argument("--out", required=True)
    options.add_argument("--chromium", default=os.environ.get(
        "PROPERTY_CHROMIUM", "/usr/bin/chromium"))
    args = options.parse_args(argv)
    steps = json.load(sys.stdin)
    os.makedirs(args.out, exist_ok=True)
    results, error = [], None
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=args.chromium,
            args=["--no-sandbox", "--disable-dev-shm-usage"])
        try:
            context = browser.new_context(
                viewport=VIEWPORT, locale="zh-CN", timezone_id="Asia/Shanghai",
                accept_downloads=True,
                user_agent="Mozilla/5.0 (Linux; Android 14; Pixel 7) "
                           "AppleWebKit/537.36 (KHTML, like Gecko) "
                           "Chrome/156.0 Mobile Safari/537.36")
            context.set_default_timeout(TIMEOUT_MS)
            page = context.new_page()
            for step in steps:
                try:
                    results.append(_step(page, args.base, args.out, step))
                except Exception as failure:  # the test reports it
                    error = "step %d (%s): %s" % (
                        len(results) + 1, step.get("do"), failure)
                    _shot(page, args.out, "error")
                    break
        finally:
            browser.close()
    json.dump({"steps": results, "error": error}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
