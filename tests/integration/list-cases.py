#!/usr/bin/python3
# Copyright 2026 The tender authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Prints FILE:Class.test for every test in the given files, so meson runs each on its own.
A class also runs the tests it inherits from classes of the same file, and, if its body says
`INHERIT_CASES = True`, from classes of a test file beside it that it imports them from
(`from test_x import XTest`); a class whose name ends in Mixin only lends its tests."""
import ast
import os
import sys


def inherits_cases(node):
    return any(isinstance(item, ast.Assign) and any(isinstance(t, ast.Name) and
                                                    t.id == "INHERIT_CASES"
                                                    for t in item.targets)
               and isinstance(item.value, ast.Constant) and item.value.value is True
               for item in node.body)


def tests_of(name, classes, imported=None):
    node = classes[name]
    imported = imported or {}
    if inherits_cases(node):
        classes = {**imported, **classes}
    found = [item.name for item in node.body
             if isinstance(item, ast.FunctionDef) and item.name.startswith("test_")]
    for base in node.bases:
        if isinstance(base, ast.Name) and base.id in classes:
            found += [t for t in tests_of(base.id, classes, imported) if t not in found]
    return found


for path in sys.argv[1:]:
    with open(path) as f:
        tree = ast.parse(f.read(), path)
    classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
    imported = {}
    for node in tree.body:
        source = os.path.join(os.path.dirname(path), f"{node.module}.py") \
            if isinstance(node, ast.ImportFrom) and node.module else None
        if source is None or not node.module.startswith("test_") or not os.path.exists(source):
            continue
        with open(source) as f:
            there = {c.name: c for c in ast.parse(f.read(), source).body
                     if isinstance(c, ast.ClassDef)}
        imported.update({a.name: there[a.name] for a in node.names if a.name in there})
    for name in classes:
        if name.endswith("Mixin"):
            continue
        for test in tests_of(name, classes, imported):
            print(f"{os.path.basename(path)}:{name}.{test}")
