"""What a browser test checks on any page: axe-core's WCAG 2.1 AA rules, the phone layout.

axe-core comes from the npm package that ./scripts/test installs into the
virtualenv (the ``axe_script`` fixture); it is injected into the page, never
fetched. Pages under a Content-Security-Policy need a context opened with
``bypass_csp=True`` for the injected script to run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}
SHOTS = Path("/tmp/shots/walk")  # noqa: S108 - screenshots for people to look at

_RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
  });
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
  }));
}"""

# Elements wider than the viewport (the deepest ones: they cause the overflow).
_OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.body.querySelectorAll("*")].filter((el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && (box.right > width + 1 || box.left < -1);
  });
  const deepest = wide.filter((el) => !wide.some((other) => other !== el && el.contains(other)));
  return deepest.slice(0, 5).map((el) => {
    const id = el.id ? "#" + el.id : "";
    const cls = el.classList.length ? "." + [...el.classList].join(".") : "";
    return el.tagName.toLowerCase() + id + cls;
  });
}"""


def axe_violations(page: Any, axe_script: Path) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.0/2.1 A and AA violations on the page as it is now."""
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(axe_script))
    return list(page.evaluate(_RUN_AXE, AXE_TAGS))


def describe(violations: list[dict[str, Any]]) -> str:
    """One line per violated rule: id, impact, help and the first elements."""
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {', '.join(v['nodes'])}" for v in violations
    )


def horizontal_overflow(page: Any) -> list[str]:
    """The elements that stick out of the viewport sideways (empty: the page fits)."""
    scroll = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    if scroll <= 1:
        return []
    return list(page.evaluate(_OVERFLOWING)) or [f"the page scrolls {scroll}px sideways"]


def screenshot(page: Any, name: str) -> Path:
    """A full-page screenshot under ``SHOTS`` (for people to look at; nothing compares it)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
