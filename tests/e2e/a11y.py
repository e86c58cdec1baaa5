"""What a browser test checks on any page: axe-core's WCAG 2.1 AA rules, the phone layout,
the text a page shows in a language.

axe-core comes from the npm package that ./scripts/test installs into the
virtualenv (the ``axe_script`` fixture); it is injected into the page, never
fetched. Pages under a Content-Security-Policy need a context opened with
``bypass_csp=True`` for the injected script to run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import translation

from plenary.accounts.tests.helpers import verified_session_cookie

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}
SHOTS = Path("/tmp/shots/walk")  # noqa: S108 - screenshots for people to look at


def translated(language: str, msgid: str) -> str:
    """``msgid`` as the page shows it in ``language`` (the product's catalogs)."""
    with translation.override(language):
        return translation.gettext(msgid)


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


_DETACHED_LABELS = """() => {
  const rtl = getComputedStyle(document.documentElement).direction === "rtl";
  const shown = (box) => box.width > 0 && box.height > 0;
  return [...document.querySelectorAll("label[for]")].flatMap((label) => {
    const field = document.getElementById(label.htmlFor);
    if (!field || field.type === "checkbox" || field.type === "radio") return [];
    if (label.classList.contains("visually-hidden")) return [];  // read, not seen
    const l = label.getBoundingClientRect(), f = field.getBoundingClientRect();
    if (!shown(l) || !shown(f)) return [];
    const sameRow = l.top < f.bottom && f.top < l.bottom;
    const gap = rtl ? l.left - f.right : f.left - l.right;  // label first, then field
    const beside = sameRow && gap >= -1 && gap < 32;
    const start = rtl ? Math.abs(l.right - f.right) : Math.abs(l.left - f.left);
    const above = l.bottom <= f.top + 1 && f.top - l.bottom < 24 && start < 8;
    return beside || above ? [] : ["#" + label.htmlFor];
  });
}"""


def detached_labels(page: Any) -> list[str]:
    """The fields whose label is neither just before them on their row nor just above
    them at their start edge (as when a wrapping row leaves a label at one line's end
    and its field at the next line's start)."""
    return list(page.evaluate(_DETACHED_LABELS))


def screenshot(page: Any, name: str, *, full_page: bool = True) -> Path:
    """A screenshot under ``SHOTS`` (for people to look at; nothing compares it): the
    whole page, or what the first screen shows (``full_page=False``)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def browser_for(
    new_page: Any, live_url: str, user: Any, *, language: str, size: dict[str, int]
) -> Any:
    """A page signed in as ``user``, in ``language``, at ``size`` (CSP bypassed for axe)."""
    page = new_page(viewport=size, bypass_csp=True)
    page.context.add_cookies(
        [
            verified_session_cookie(user, live_url),
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_url},
        ]
    )
    return page


def checked(page: Any, name: str, axe_script: Path) -> None:
    """The page fits its width, passes axe-core's rules, and is kept as a screenshot."""
    assert not (overflow := horizontal_overflow(page)), (name, overflow)
    screenshot(page, name)
    assert not (violations := axe_violations(page, axe_script)), describe(violations)
