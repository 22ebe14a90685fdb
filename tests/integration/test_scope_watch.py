#!/usr/bin/python3
# Copyright 2026 The tender authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Many runs of the scope runtime that end at once: every end is reported, each with its own
exit code, and every descriptor tenderd held for them is closed (their shims' pidfds and
status pipes are watched by one event source, TenderScopeWatch)."""

import concurrent.futures
import os
import sys
import time
import unittest

from tenderlab import TenderTestCase, tenderd_pid, wait_for

COUNT = 300


def fd_count(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


class ManyEndsTest(TenderTestCase):
    def exit_code(self, i):
        # 1 to 250, and each of the first 250 its own
        return i % 250 + 1

    def states(self, names):
        """the state of each of @names, from one ListWorkloads"""
        listed = {name: state for name, state, _, _ in self.tender.list()}
        return {name: listed.get(name) for name in names}

    def test_three_hundred_end_at_once(self):
        fifo = self.tmpfile("many-ends.fifo")
        os.mkfifo(fifo)
        # held open for reading and writing: no reader's open waits for a writer, and a line
        # written later waits in the pipe for a reader that has yet to open it
        trigger = os.open(fifo, os.O_RDWR | os.O_CLOEXEC)
        self.addCleanup(os.close, trigger)

        # a first run and its removal: whatever tenderd opens once is open from here on
        warm = self.workload("many-ends-warm")
        self.tender.create(warm, argv=["true"])
        self.tender.start(warm)
        self.tender.wait_state(warm, "exited")
        self.tender.remove(warm)
        fds_before = fd_count(tenderd_pid())

        names = [self.workload(f"many-ends-{i}") for i in range(COUNT)]

        def launch(i):
            # sh reads a pipe a byte at a time: each takes one line
            self.tender.create(names[i],
                               argv=["sh", "-c", f"read line < {fifo}; exit {self.exit_code(i)}"])
            self.tender.start(names[i])

        with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(launch, range(COUNT)))
        states = self.states(names)
        self.assertEqual([n for n in names if states[n] != "running"], [])
        # with them all running, tenderd holds more descriptors (each shim's pidfd and status
        # pipe)
        self.assertGreater(fd_count(tenderd_pid()), fds_before)

        os.write(trigger, b"\n" * COUNT)
        began = time.monotonic()
        self.assertTrue(
            wait_for(lambda: "running" not in self.states(names).values(), timeout=180,
                     interval=0.5),
            f"{list(self.states(names).values()).count('running')} of {COUNT} never ended")
        print(f"{COUNT} runs ended within {time.monotonic() - began:.1f} s", file=sys.stderr)
        with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
            props = list(pool.map(self.tender.props, names))
        for i, (name, p) in enumerate(zip(names, props)):
            self.assertEqual(p["State"], "exited", name)
            self.assertEqual(p["ExitCode"], self.exit_code(i), name)
            self.assertEqual(p["ExitSignal"], 0, name)
            self.assertEqual(p["Reason"], f"exit-code: {self.exit_code(i)}", name)
            self.assertEqual(p["MainPID"], 0, name)

        with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(self.tender.remove, names))
        self.names = [n for n in self.names if n not in set(names)]
        # nothing of theirs is left open
        self.assertTrue(wait_for(lambda: fd_count(tenderd_pid()) == fds_before),
                        f"tenderd holds {fd_count(tenderd_pid())} descriptors, "
                        f"{fds_before} before the runs")


if __name__ == "__main__":
    unittest.main()
