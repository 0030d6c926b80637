"""What a browser test listens to in the console: CSP violations and uncaught script errors."""

from typing import Any

# Chromium logs every blocked inline script, handler or style ("Executing inline script violates the following
# Content Security Policy directive ...", older builds: "Refused to execute inline script ..."); the event
# listener below reports the same violations in a stable form. Init scripts are exempt from the page's CSP.
CSP_VIOLATION_REPORTER = """
document.addEventListener("securitypolicyviolation", (e) => console.error(
  `CSP violation: ${e.effectiveDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`));
"""


def is_csp_problem(text: str) -> bool:
    return "Content Security Policy" in text or text.startswith(("CSP violation", "Refused to"))


def watch_console(context: Any, *, all_errors: bool = False) -> list[str]:
    """The CSP violations and uncaught script errors of every page of `context` (with all_errors, also every
    console.error, e.g. htmx's own error reports), as `url: text` lines, collected while the test runs."""
    problems: list[str] = []
    context.add_init_script(CSP_VIOLATION_REPORTER)

    def on_console(message: Any) -> None:
        if message.location.get("url", "").endswith("/favicon.ico"):
            return  # Chromium asks for /favicon.ico by itself; the platform has none (a 404, not a page error)
        if is_csp_problem(message.text) or (all_errors and message.type == "error"):
            problems.append(f"{message.page.url if message.page else '?'}: {message.text}")

    context.on("console", on_console)
    context.on("weberror", lambda error: problems.append(f"{error.page.url if error.page else '?'}: {error.error}"))
    return problems
