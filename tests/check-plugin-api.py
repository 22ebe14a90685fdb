#!/usr/bin/python3
# Copyright 2026 The tender authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The plugin API is exactly what tenderd exports, and every function of it is documented.

  check-plugin-api.py TENDERD SOURCE_ROOT

Fails when a function of an installed header is not exported by TENDERD (a plugin using it
could not load), when TENDERD exports a tender_ symbol that no installed header declares
(plugins could reach tenderd's internals), or when a function's doc comment lacks "Since:".
"""

import glob
import os
import re
import subprocess
import sys

HEADERS = ["tender-plugin.h", "tender-adapter.h", "tender-call.h", "tender-caller.h",
           "tender-plugin-request.h", "tender-error.h", "tender-json.h", "tender-run.h"]


def main():
    tenderd, root = sys.argv[1], sys.argv[2]
    declared = {"tender_plugin_get_type"}  # from G_DECLARE_FINAL_TYPE
    for header in HEADERS:
        with open(os.path.join(root, "agent", "include", "tender-1", header)) as f:
            declared |= set(re.findall(r"^(tender_[a-z0-9_]+)\(", f.read(), re.M))
    out = subprocess.run(["nm", "-D", "--defined-only", tenderd], check=True,
                         capture_output=True, text=True).stdout
    exported = {line.split()[-1] for line in out.splitlines()
                if line.split()[-1].startswith("tender_")}
    failures = []
    for name in sorted(declared - exported):
        failures.append(f"{name} is in an installed header but tenderd does not export it")
    for name in sorted(exported - declared):
        failures.append(f"tenderd exports {name}, which no installed header declares")
    sources = ""
    for path in glob.glob(os.path.join(root, "agent", "**", "*.c"), recursive=True):
        with open(path) as f:
            sources += f.read()
    for name in sorted(declared - {"tender_plugin_get_type", "tender_adapter_get_type"}):
        m = re.search(r"/\*\*\n \* " + name + r":\n(.*?)\*/\n", sources, re.S)
        if m is None:
            failures.append(f"{name} has no doc comment")
        elif "Since:" not in m.group(1):
            failures.append(f"the doc comment of {name} has no Since:")
    for failure in failures:
        print(failure)
    print(f"{len(declared)} functions in the plugin API, {len(failures)} problems")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
