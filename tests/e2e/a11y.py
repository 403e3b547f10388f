"""Accessibility checks run on a page in the browser: axe-core (every rule it
runs by default, every impact level), the language of the page, the heading
outline, the names of controls, and no sideways scrolling at 320 px.

Each check returns a list of problems (strings) rather than failing at once,
so that one run lists everything wrong on every page.
"""

NARROW = {"width": 320, "height": 640}

# Run in the page once axe is injected: every rule axe-core has, those it
# leaves off by default too (duplicate ids, WCAG 2.2's target size), but for
# the level AAA ones (enhanced contrast...): the site aims at WCAG 2.1 AA.
# ``resultTypes`` only trims the details of passes and incomplete results.
_AXE_RUN = """async () => {
  const rules = Object.fromEntries(axe.getRules()
    .filter((rule) => !rule.tags.includes("wcag2aaa"))
    .map((rule) => [rule.ruleId, {enabled: true}]));
  const results = await axe.run(document, {rules, resultTypes: ["violations"]});
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({target: n.target.join(" "), summary: n.failureSummary,
                                html: n.html.slice(0, 200)})),
  }));
}"""

_HEADINGS = """() => {
  const shown = (el) => el.checkVisibility({visibilityProperty: true})
    && !el.closest("[aria-hidden=true], [hidden]");
  return [...document.querySelectorAll("h1, h2, h3, h4, h5, h6, [role=heading]")]
    .filter(shown)
    .map((el) => ({
      level: Number(el.getAttribute("aria-level") || el.tagName.slice(1)),
      text: el.textContent.trim().replace(/\\s+/g, " ").slice(0, 60),
    }));
}"""

# The elements that stick out of a 320 px viewport, outside a scrolling box.
_WIDE = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (el.closest(".table-scroll") && !el.matches(".table-scroll")) continue;
    const rect = el.getBoundingClientRect();
    if (rect.width && rect.right > width + 0.5) {
      const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
        + (el.className && typeof el.className === "string"
           ? "." + el.className.trim().split(/\\s+/).join(".") : "");
      out.push(`${name} (right edge at ${Math.round(rect.right)} px)`);
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, culprits: out.slice(0, 8)};
}"""

# Boxes that scroll sideways must be reachable with the keyboard and named.
_SCROLLERS = """() => [...document.querySelectorAll("body *")].filter((el) => {
    const style = getComputedStyle(el);
    return ["auto", "scroll"].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1;
  }).filter((el) => !(el.tabIndex >= 0 && el.getAttribute("role") === "region"
                      && (el.getAttribute("aria-label") || el.getAttribute("aria-labelledby"))))
  .map((el) => el.outerHTML.slice(0, 120))"""

# Roles whose nodes need an accessible name (Chromium computes it).
_NAMED_ROLES = {
    "button",
    "checkbox",
    "combobox",
    "link",
    "listbox",
    "menuitem",
    "radio",
    "searchbox",
    "slider",
    "spinbutton",
    "switch",
    "textbox",
    "region",
}


def axe_violations(page, axe_source: str) -> list[dict]:
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # Evaluated through the DevTools protocol: the site's CSP, which
        # forbids inline scripts, does not stop it.
        page.evaluate(axe_source + "\n;undefined")
    return page.evaluate(_AXE_RUN)


def axe_version(page, axe_source: str) -> str:
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source + "\n;undefined")
    return page.evaluate("() => axe.version")


def heading_problems(page) -> list[str]:
    headings = page.evaluate(_HEADINGS)
    problems = []
    h1s = [h for h in headings if h["level"] == 1]
    if len(h1s) != 1:
        problems.append(f"{len(h1s)} h1 instead of one: {[h['text'] for h in h1s]}")
    previous = 0
    for heading in headings:
        if heading["level"] > previous + 1:
            problems.append(
                f"heading level skipped: h{heading['level']} “{heading['text']}” after "
                + (f"h{previous}" if previous else "no heading")
            )
        previous = heading["level"]
    return problems


def unnamed_controls(page) -> list[str]:
    """Controls with no accessible name, as Chromium's accessibility tree says."""
    session = page.context.new_cdp_session(page)
    try:
        problems = []
        for node in session.send("Accessibility.getFullAXTree")["nodes"]:
            if node.get("ignored"):
                continue
            role = node.get("role", {}).get("value")
            name = (node.get("name") or {}).get("value", "")
            if role in _NAMED_ROLES and not str(name).strip():
                html = _outer_html(session, node.get("backendDOMNodeId"))
                problems.append(f"{role} without an accessible name: {html}")
        return problems
    finally:
        session.detach()


def _outer_html(session, backend_node_id) -> str:
    try:
        handle = session.send("DOM.resolveNode", {"backendNodeId": backend_node_id})
        return session.send(
            "Runtime.callFunctionOn",
            {
                "objectId": handle["object"]["objectId"],
                "functionDeclaration": "function () { return this.outerHTML.slice(0, 160); }",
                "returnByValue": True,
            },
        )["result"]["value"]
    except Exception:  # the node went away: its id still helps
        return f"node {backend_node_id}"


def sideways_scroll_problems(page) -> list[str]:
    """At 320 px wide the page does not scroll sideways; a box that does
    (a wide table) is focusable and labelled."""
    size = page.viewport_size
    page.set_viewport_size(NARROW)
    try:
        page.wait_for_function("() => document.documentElement.clientWidth <= 320")
        wide = page.evaluate(_WIDE)
        problems = []
        if wide["scrollWidth"] > NARROW["width"]:
            problems.append(
                f"scrolls sideways at 320 px (scrollWidth {wide['scrollWidth']}): "
                + ", ".join(wide["culprits"])
            )
        for html in page.evaluate(_SCROLLERS):
            problems.append(f"a box scrolls sideways but is not a focusable named region: {html}")
        return problems
    finally:
        page.set_viewport_size(size)


def page_problems(page, axe_source: str, *, label: str, language: str) -> list[str]:
    """Every check on the page as it stands, each problem prefixed by the page."""
    problems = []
    lang = page.evaluate("() => document.documentElement.lang")
    if lang != language:
        problems.append(f'<html lang="{lang}">, expected "{language}"')
    for violation in axe_violations(page, axe_source):
        for node in violation["nodes"]:
            problems.append(
                f"axe {violation['id']} ({violation['impact']}): {violation['help']} "
                f"at {node['target']}: {node['html']} [{violation['helpUrl']}]"
            )
    problems += heading_problems(page)
    problems += unnamed_controls(page)
    problems += sideways_scroll_problems(page)
    return [f"[{language}] {label}: {problem}" for problem in problems]
