"""Vendor Plotly's partial bundle: static/vendor/plotly-basic.min.js from npm's
plotly.js-basic-dist-min (traces bar, pie and scatter: every trace type the app's charts use).

    .venv/bin/python bin/vendor_plotly.py [VERSION]        (default: the version vendored now)

It runs `npm pack` for the package (nothing is installed), then writes npm's plotly-basic.min.js
with two changes that cost nothing to Plotly and halve the main thread's work when a chart page
loads (docs/performance.md, Lighthouse):

- the first line is V8's explicit compile hint ``//# allFunctionsCalledOnLoad``
  (https://v8.dev/blog/explicit-compile-hints, Chrome 136+; other browsers read a comment): V8
  compiles every function while it streams the script, on a background thread, instead of on the
  main thread the first time Plotly calls it (drawing a first chart calls most of them);
- the UMD wrapper around the bundle is dropped (we load it with a <script>, never as a module):
  the wrapper made the whole bundle one inner function, compiled on the main thread when called;
  at the top level the script streamer compiles it. The bundle still sets ``window.Plotly``.

The bundle's own header and licence comments are kept; static/vendor/plotly.LICENSE holds the
licence (MIT) and the vendored version.
"""

import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "plotly.js-basic-dist-min"
HINT = "//# allFunctionsCalledOnLoad\n"
TARGET = Path(__file__).resolve().parent.parent / "static" / "vendor" / "plotly-basic.min.js"
# npm's file: a header comment, then (function(root, factory) {…}(…, () => {BUNDLE…return Plotly;})).
UMD_HEAD = re.compile(
    r"\(\s*function\(root, factory\) \{.*?\} \(typeof self !== \"undefined\" \? self : this, \(\) => \{\n", re.S
)
UMD_TAIL = re.compile(r"window\.Plotly = Plotly;\nreturn Plotly;\n\}\)\);\s*$")


def flatten(source: str) -> str:
    """npm's bundle → the vendored one (see the module's docstring). Fails loudly when a new
    version changes the wrapper, rather than vendoring something half transformed."""
    head, tail = UMD_HEAD.search(source), UMD_TAIL.search(source)
    if not head or not tail or not source[: head.start()].lstrip().startswith("/*"):
        raise SystemExit(
            f"{PACKAGE}: unexpected wrapper, read the bundle's first and last lines and update this script"
        )
    return HINT + source[: head.start()] + source[head.end() : tail.start()] + "window.Plotly = Plotly;\n"


def current_version() -> str:
    match = re.search(r"plotly\.js \(basic - minified\) v(\S+)", TARGET.read_text(encoding="utf-8")[:500])
    if not match:
        raise SystemExit(f"no version in {TARGET}'s header: pass one")
    return match.group(1)


def main() -> None:
    version = sys.argv[1] if len(sys.argv) > 1 else current_version()
    with tempfile.TemporaryDirectory() as folder:
        # A fixed command from PATH; npm validates the version.
        command = ["npm", "pack", f"{PACKAGE}@{version}", "--silent"]
        subprocess.run(command, cwd=folder, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
        with tarfile.open(next(Path(folder).glob("*.tgz"))) as archive:
            member = archive.extractfile("package/plotly-basic.min.js")
            assert member is not None
            source = member.read().decode("utf-8")
    TARGET.write_text(flatten(source), encoding="utf-8")
    sys.stdout.write(f"{TARGET}: {PACKAGE} {version}; update static/vendor/plotly.LICENSE's version line\n")


if __name__ == "__main__":
    main()
