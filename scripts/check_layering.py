#!/usr/bin/env python3
"""Checks that every `#include "ridesweep/<layer>/..."` in a layer's sources follows docs/architecture.md's edges."""
import pathlib
import re
import sys

root = pathlib.Path(__file__).resolve().parent.parent
doc = (root / "docs" / "architecture.md").read_text()
block = doc.split("## Allowed edges", 1)[1].split("```")[1]
allowed = {}
for line in block.strip().splitlines():
    layer, deps = (part.strip() for part in line.split("->"))
    allowed[layer] = {d.strip() for d in deps.split(",")} | {layer}
allowed.setdefault("base", {"base"})

include = re.compile(r'#include\s+"ridesweep/([a-z_]+)/')
errors = []
for path in sorted((root / "src").rglob("*")):
    if path.suffix not in {".h", ".cc"}:
        continue
    parts = path.relative_to(root / "src").parts
    layer = parts[0]
    if "tests" in parts or "fuzz" in parts:
        continue  # Test binaries may link any layer (e.g. real stores behind the worker's port).
    for number, line in enumerate(path.read_text().splitlines(), 1):
        m = include.search(line)
        if m and m.group(1) not in allowed.get(layer, {layer}):
            errors.append(f"{path.relative_to(root)}:{number}: layer '{layer}' may not include '{m.group(1)}'")
for e in errors:
    print(e)
print(f"layering: {len(errors)} violation(s)")
sys.exit(1 if errors else 0)
