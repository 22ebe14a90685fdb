# Copyright 2026 The tender authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""A dockerd of the lab's own, for the Docker plugin's tests, and its test images.

    start_dockerd()     a tmpfs on /var/lib/docker (overlay2 does not work on the lab's
                        overlay root), then dockerd as the transient unit lab-dockerd
                        (it starts its own containerd); returns once /run/docker.sock
                        answers /_ping
    restart_dockerd()   stops and starts dockerd again, keeping /var/lib/docker (its
                        images); its containers stop, as they do when dockerd stops
    stop_dockerd()      removes every container, stops the unit, unmounts the tmpfs, and
                        undoes what dockerd did to the lab's network: its bridges, its
                        iptables tables (when it made them), ip_forward
    build_images()      tender-test/busybox:latest (`docker import` of images.py's busybox
                        root file system) and tender-test/web:latest (`docker build` FROM it:
                        busybox httpd on the EXPOSEd port 8080, serving /www/health);
                        build_images(web=False) the busybox one only
    start_with_images() start_dockerd() and build_images(), for a test class's setUpClass
    docker(*args)       runs the Debian CLI (/usr/bin/docker; /usr/local/bin/docker may be
                        another version), returns its CompletedProcess
    ping(path)          whether dockerd answers /_ping at the socket path

The lab is a network namespace of its own, and no registry is reachable: the images are built
offline.  The lab's tender-lab removes Debian's docker.socket and docker.service from the
boot, so there is no dockerd but this one.
"""

import json
import os
import re
import shutil
import socket
import tempfile

from images import busybox_tar
from tenderlab import run, wait_for

DOCKER = "/usr/bin/docker"
DOCKERD = "/usr/sbin/dockerd"
SOCKET = "/run/docker.sock"
UNIT = "lab-dockerd"
DATA_ROOT = "/var/lib/docker"
# what the lab's network was like before dockerd (lab's /run: gone with the lab)
NETWORK_STATE = "/run/tender-dockerlab-network.json"
FORWARD = "/proc/sys/net/ipv4/ip_forward"
BUSYBOX_IMAGE = "tender-test/busybox:latest"
WEB_IMAGE = "tender-test/web:latest"
WEB_PORT = 8080
WEB_DOCKERFILE = f"""FROM {BUSYBOX_IMAGE}
COPY www /www
EXPOSE {WEB_PORT}
CMD ["httpd", "-f", "-p", "{WEB_PORT}", "-h", "/www"]
"""


def docker(*args, check=True, **kwargs):
    # the classic builder: BuildKit would look for its frontend images online
    env = dict(os.environ, DOCKER_BUILDKIT="0", DOCKER_HOST=f"unix://{SOCKET}")
    return run([DOCKER, *args], check=check, env=env, **kwargs)


def ping(path=SOCKET, timeout=2.0):
    """Whether dockerd answers GET /_ping with 200 OK on the unix socket @path."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(timeout)
            s.connect(path)
            s.sendall(b"GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n")
            answer = b""
            while True:
                chunk = s.recv(4096)
                if not chunk:
                    break
                answer += chunk
    except OSError:
        return False
    return answer.startswith(b"HTTP/1.0 200") or answer.startswith(b"HTTP/1.1 200")


def _unit_active():
    return run(["systemctl", "is-active", "--quiet", UNIT], check=False).returncode == 0


def _start_unit(timeout):
    # a failed unit of an earlier run would keep the name taken
    run(["systemctl", "reset-failed", UNIT], check=False)
    # KillMode=mixed: SIGTERM to dockerd only, which stops its containers and its containerd
    # (SIGTERM to all of them at once left dockerd waiting 15 s for a containerd gone)
    # the systemd cgroup driver (dockerd's default on cgroup v2, as Debian 12 has): each
    # container is a scope of systemd's, which systemd leaves alone; with cgroupfs on a v1
    # host, systemd takes the containers out of their blkio cgroups whenever it realizes
    # that controller for any unit (a scope with IOAccounting=yes), and docker exec then
    # fails
    run(["systemd-run", f"--unit={UNIT}", "-p", "Delegate=yes", "-p", "KillMode=mixed",
         "--collect", DOCKERD, "-H", f"unix://{SOCKET}",
         "--exec-opt", "native.cgroupdriver=systemd"])
    if not wait_for(ping, timeout=timeout, interval=0.05):
        status = run(["systemctl", "status", "--no-pager", "-n", "30", UNIT], check=False)
        raise AssertionError(f"dockerd did not answer at {SOCKET}:\n{status.stdout}")


def _stop_unit():
    run(["systemctl", "stop", UNIT], check=False)
    if not wait_for(lambda: not _unit_active(), timeout=30):
        raise AssertionError("dockerd did not stop")


def _nft_tables():
    return set(run(["nft", "list", "tables"]).stdout.splitlines())


def _read_forward():
    with open(FORWARD) as f:
        return f.read().strip()


def _save_network():
    """Notes what the lab's network is like before the first dockerd."""
    if os.path.exists(NETWORK_STATE):
        return
    with open(NETWORK_STATE, "w") as f:
        json.dump({"tables": sorted(_nft_tables()), "forward": _read_forward()}, f)


def _restore_network():
    """Removes dockerd's bridges and the tables it made, and restores ip_forward."""
    if not os.path.exists(NETWORK_STATE):
        return
    with open(NETWORK_STATE) as f:
        state = json.load(f)
    for line in run(["ip", "-o", "link", "show", "type", "bridge"]).stdout.splitlines():
        name = line.split(":")[1].strip()
        if name == "docker0" or re.fullmatch(r"br-[0-9a-f]{12}", name):
            run(["ip", "link", "delete", name], check=False)
    for table in sorted(_nft_tables() - set(state["tables"])):
        run(["nft", "delete", *table.split()], check=False)
    with open(FORWARD, "w") as f:
        f.write(state["forward"])
    os.unlink(NETWORK_STATE)


def start_dockerd(timeout=30):
    """Starts the lab's dockerd on a fresh tmpfs, unless it is running already."""
    if _unit_active() and ping():
        return
    _save_network()
    os.makedirs(DATA_ROOT, exist_ok=True)
    if not os.path.ismount(DATA_ROOT):
        run(["mount", "-t", "tmpfs", "-o", "mode=0711", "tmpfs", DATA_ROOT])
    _start_unit(timeout)


def restart_dockerd(timeout=30):
    """Stops dockerd and starts it again on the same data (images kept)."""
    _stop_unit()
    _start_unit(timeout)


def stop_dockerd():
    """Removes every container, stops dockerd and unmounts its tmpfs."""
    if _unit_active() and ping():
        ids = docker("ps", "-aq", check=False).stdout.split()
        if ids:
            docker("rm", "-f", *ids, check=False)
    _stop_unit()
    if os.path.ismount(DATA_ROOT):
        run(["umount", "--recursive", "--lazy", DATA_ROOT], check=False)
    _restore_network()


def _has_image(name):
    return docker("image", "inspect", name, check=False).returncode == 0


def build_images(web=True):
    """Makes the test images in the running dockerd, unless they are there already (the web
    image only if @web: the benchmarks need the busybox one only)."""
    scratch = tempfile.mkdtemp(prefix="tender-docker-images.")
    try:
        if not _has_image(BUSYBOX_IMAGE):
            tar = busybox_tar(os.path.join(scratch, "busybox.tar"))
            docker("import", "--change", 'CMD ["/bin/sh"]', tar, BUSYBOX_IMAGE)
        if web and not _has_image(WEB_IMAGE):
            context = os.path.join(scratch, "web")
            os.makedirs(os.path.join(context, "www"))
            with open(os.path.join(context, "www", "health"), "w") as f:
                f.write("ok\n")
            with open(os.path.join(context, "Dockerfile"), "w") as f:
                f.write(WEB_DOCKERFILE)
            docker("build", "--quiet", "--network", "none", "-t", WEB_IMAGE, context)
    finally:
        shutil.rmtree(scratch)


def start_with_images():
    """start_dockerd() and build_images(); dockerd is stopped again if that fails."""
    start_dockerd()
    try:
        build_images()
    except BaseException:
        stop_dockerd()
        raise


def container_ids(all_=True):
    """The ids of dockerd's containers."""
    return docker("ps", "-q", "--no-trunc", *(["-a"] if all_ else [])).stdout.split()


def dockerd_pid():
    return int(run(["systemctl", "show", "-P", "MainPID", UNIT]).stdout.strip())
