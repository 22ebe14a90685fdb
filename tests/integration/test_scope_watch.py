#!/usr/bin/python3
# Copyright 2026 The tender authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Many runs of the scope runtime that end at once: every end is reported, each with its own
exit code, and every descriptor tenderd held for them is closed (their shims' pidfds and
status pipes are watched by one event source, TenderScopeWatch)."""

import concurrent.futures
import os
import unittest

from tenderlab import TenderTestCase, tenderd_pid, wait_for

COUNT = 300


def fd_count(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


class ManyEndsTest(TenderTestCase):
    def exit_code(self, i):
        # 1 to 250, and each of the first 250 its own
        return i % 250 + 1

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
        for name in names:
            self.assertEqual(self.tender.prop(name, "State"), "running", name)
        # with them all running, tenderd holds more descriptors (each shim's pidfd and status
        # pipe)
        self.assertGreater(fd_count(tenderd_pid()), fds_before)

        os.write(trigger, b"\n" * COUNT)
        pending = set(range(COUNT))

        def all_ended():
            for i in list(pending):
                if self.tender.prop(names[i], "State") != "running":
                    pending.discard(i)
            return not pending

        self.assertTrue(wait_for(all_ended, timeout=60, interval=0.5),
                        f"{len(pending)} of {COUNT} never ended")
        for i, name in enumerate(names):
            p = self.tender.props(name)
            self.assertEqual(p["State"], "exited", name)
            self.assertEqual(p["ExitCode"], self.exit_code(i), name)
            self.assertEqual(p["ExitSignal"], 0, name)
            self.assertEqual(p["Reason"], f"exit-code: {self.exit_code(i)}", name)
            self.assertEqual(p["MainPID"], 0, name)

        with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(self.tender.remove, names))
        # nothing of theirs is left open
        self.assertTrue(wait_for(lambda: fd_count(tenderd_pid()) == fds_before),
                        f"tenderd holds {fd_count(tenderd_pid())} descriptors, "
                        f"{fds_before} before the runs")


if __name__ == "__main__":
    unittest.main()
