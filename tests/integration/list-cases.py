#!/usr/bin/python3
# Copyright 2026 The tender authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Prints FILE:Class.test for every test in the given files, so meson runs each on its own.
A class also runs the tests it inherits from classes of the same file; a class whose name
ends in Mixin only lends its tests."""
import ast
import os
import sys


def tests_of(name, classes):
    node = classes[name]
    found = [item.name for item in node.body
             if isinstance(item, ast.FunctionDef) and item.name.startswith("test_")]
    for base in node.bases:
        if isinstance(base, ast.Name) and base.id in classes:
            found += [t for t in tests_of(base.id, classes) if t not in found]
    return found


for path in sys.argv[1:]:
    with open(path) as f:
        tree = ast.parse(f.read(), path)
    classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
    for name in classes:
        if name.endswith("Mixin"):
            continue
        for test in tests_of(name, classes):
            print(f"{os.path.basename(path)}:{name}.{test}")
