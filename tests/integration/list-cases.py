#!/usr/bin/python3
# Copyright 2026 The tender authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Prints FILE:Class.test for every test in the given files, so meson runs each on its own."""
import ast
import os
import sys

for path in sys.argv[1:]:
    with open(path) as f:
        tree = ast.parse(f.read(), path)
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and item.name.startswith("test_"):
                    print(f"{os.path.basename(path)}:{node.name}.{item.name}")
