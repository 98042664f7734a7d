"""Sphinx extension: a page never includes the same script twice.

sphinx-thebe registers its inline configuration script (``const THEBE_JS_URL = ...``) each time
Sphinx reads the sources, and Jupyter Book's build reads them more than once, so every page got
the script twice and the browser reported "Identifier 'THEBE_JS_URL' has already been declared".
This removes duplicates (same file or inline body, same attributes, whatever their priority)
from each page's list of scripts, keeping the first.
"""

from __future__ import annotations

from sphinx.application import Sphinx


def _drop_duplicate_scripts(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree: object
) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for script in scripts:
        filename = getattr(script, "filename", script)
        attributes = getattr(script, "attributes", {})
        key = (str(filename or ""), tuple(sorted((k, str(v)) for k, v in attributes.items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def setup(app: Sphinx) -> dict[str, object]:
    app.connect("html-page-context", _drop_duplicate_scripts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
