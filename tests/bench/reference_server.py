# Copyright 2026 The tender authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The peer of tenderd's HTTP API in the benchmarks: seed 000's two read-only endpoints,
written as its Container Control Core is (FastAPI + uvicorn, metrics from psutil).

    python3 reference_server.py --port 8087 --pids-file FILE

GET /api/health   {"status": "ok"}
GET /metrics      Prometheus text: for each process in FILE (one "NAME PID" a line, the same
                  workloads tenderd serves), CPU seconds, resident memory, threads and I/O
                  bytes read with psutil, then the server's own process_* metrics.
Listens on 127.0.0.1 only.
"""

import argparse
import os

import psutil
import uvicorn
from fastapi import FastAPI
from fastapi.responses import PlainTextResponse

app = FastAPI()
WORKLOADS = []  # (name, psutil.Process)
SELF = psutil.Process()


@app.get("/api/health")
def health():
    return {"status": "ok"}


def _family(lines, name, kind, help_text, values):
    lines.append(f"# HELP {name} {help_text}")
    lines.append(f"# TYPE {name} {kind}")
    for labels, value in values:
        lines.append(f"{name}{{{labels}}} {value}")


@app.get("/metrics", response_class=PlainTextResponse)
def metrics():
    cpu, mem, threads, rd, wr = [], [], [], [], []
    for name, proc in WORKLOADS:
        labels = f'workload="{name}"'
        try:
            with proc.oneshot():
                t = proc.cpu_times()
                cpu.append((labels, f"{t.user + t.system:.9f}"))
                mem.append((labels, proc.memory_info().rss))
                threads.append((labels, proc.num_threads()))
                io = proc.io_counters()
                rd.append((labels, io.read_bytes))
                wr.append((labels, io.write_bytes))
        except psutil.Error:
            continue
    lines = []
    _family(lines, "ref_workload_cpu_usage_seconds_total", "counter", "CPU time.", cpu)
    _family(lines, "ref_workload_memory_bytes", "gauge", "Resident memory.", mem)
    _family(lines, "ref_workload_tasks", "gauge", "Threads.", threads)
    _family(lines, "ref_workload_io_read_bytes_total", "counter", "Bytes read.", rd)
    _family(lines, "ref_workload_io_write_bytes_total", "counter", "Bytes written.", wr)
    with SELF.oneshot():
        t = SELF.cpu_times()
        lines.append("# TYPE process_cpu_seconds_total counter")
        lines.append(f"process_cpu_seconds_total {t.user + t.system:.2f}")
        lines.append("# TYPE process_resident_memory_bytes gauge")
        lines.append(f"process_resident_memory_bytes {SELF.memory_info().rss}")
        lines.append("# TYPE process_open_fds gauge")
        lines.append(f"process_open_fds {SELF.num_fds()}")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=8087)
    parser.add_argument("--pids-file")
    args = parser.parse_args()
    if args.pids_file:
        with open(args.pids_file) as f:
            for line in f:
                name, pid = line.split()
                try:
                    WORKLOADS.append((name, psutil.Process(int(pid))))
                except psutil.Error:
                    pass
    os.environ.pop("TENDER_BENCH_TOKEN", None)
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
