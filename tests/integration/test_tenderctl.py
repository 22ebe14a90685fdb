#!/usr/bin/python3
# Copyright 2026 The tender authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""tenderctl end to end."""

import unittest

from tenderlab import TenderTestCase

if __name__ == "__main__":
    unittest.main()
