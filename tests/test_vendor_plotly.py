"""bin/vendor_plotly.py: npm's Plotly bundle → the vendored one (compile hint first, no UMD wrapper)."""

import importlib.util
from pathlib import Path

import pytest
from django.conf import settings

SCRIPT = Path(settings.BASE_DIR) / "bin" / "vendor_plotly.py"
# The shape of npm's plotly-basic.min.js (4.1.1), its 1.2 MB bundle reduced to one statement.
NPM = """/**
* plotly.js (basic - minified) v9.9.9
* Licensed under the MIT license
*/
(
 function(root, factory) {
  if (typeof module === "object" && module.exports) {
   module.exports = factory();
  } else {
   root.moduleName = factory();
  }
} (typeof self !== "undefined" ? self : this, () => {
"use strict";var Plotly=(()=>{return {newPlot(){}};})();
/*! Bundled license information: … */

window.Plotly = Plotly;
return Plotly;
}));
"""


@pytest.fixture(scope="module")
def vendor():
    spec = importlib.util.spec_from_file_location("vendor_plotly", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_it_puts_the_compile_hint_first_and_drops_the_wrapper(vendor):
    assert vendor.flatten(NPM) == (
        "//# allFunctionsCalledOnLoad\n"
        "/**\n* plotly.js (basic - minified) v9.9.9\n* Licensed under the MIT license\n*/\n"
        '"use strict";var Plotly=(()=>{return {newPlot(){}};})();\n'
        "/*! Bundled license information: … */\n\n"
        "window.Plotly = Plotly;\n"
    )


def test_it_refuses_a_wrapper_it_does_not_know(vendor):
    with pytest.raises(SystemExit):
        vendor.flatten(NPM.replace("function(root, factory)", "function(global, make)"))


def test_it_vendored_the_flattened_bundle(vendor):
    vendored = vendor.TARGET.read_text(encoding="utf-8")
    assert vendored.startswith("//# allFunctionsCalledOnLoad\n/**\n* plotly.js (basic - minified) v")
    assert "function(root, factory)" not in vendored[:2000]
    assert vendored.endswith("\nwindow.Plotly = Plotly;\n")
    assert vendor.current_version() in (settings.BASE_DIR / "static" / "vendor" / "plotly.LICENSE").read_text()
