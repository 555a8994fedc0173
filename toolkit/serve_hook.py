"""MkDocs hook used by 'build.py serve': re-render the course before every rebuild."""

from __future__ import annotations

import logging
from pathlib import Path

from toolkit.errors import ToolkitError
from toolkit.serve import render_docs

log = logging.getLogger("mkdocs.toolkit")


def on_pre_build(config, **kwargs):
    extra = config["extra"]
    try:
        changed = render_docs(Path(extra["toolkit_root"]), extra["country"], Path(extra["toolkit_docs"]))
        if changed:
            log.info("re-rendered %s", ", ".join(changed))
    except ToolkitError as err:
        # Keep the last good pages on screen; the author reads the problem in the terminal.
        log.error("the course did not render; showing the last good version:\n%s", err.format_message())
