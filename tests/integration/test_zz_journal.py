#!/usr/bin/python3
# Copyright 2026 The tender authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Runs last: nothing that ran in the lab reported a sanitizer error or a GLib critical."""

import unittest

from tenderlab import run


class JournalTest(unittest.TestCase):
    def test_no_sanitizer_reports_or_criticals(self):
        log = run(["journalctl", "--no-pager", "-o", "short", "-u", "tenderd.service"],
                  check=False).stdout
        bad = [line for line in log.splitlines()
               if "AddressSanitizer" in line or "LeakSanitizer" in line
               or "runtime error:" in line or "-CRITICAL **" in line
               or "assertion" in line and "failed" in line]
        self.assertEqual(bad, [])
        self.assertIn("acquired org.tender.Agent1", log)


if __name__ == "__main__":
    unittest.main()
