# Copyright 2026 The tender authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Test images, built offline from busybox-static, and their import into tenderd's store.

    busybox_rootfs(dir)                     a root file system: /bin/busybox and its applets
    busybox_tar(path, compression=None)     it as a tar file: None, "gz", "xz" or "zst"
    busybox_oci(path, config=None)          an OCI image layout (a tar file) of two layers
    docker_save(path, config=None)          the same image as `docker save` writes it
    import_image(name, path, **options)     ImportImage over D-Bus with the file's descriptor

The layered images (OCI_*, docker_save) have the busybox root file system in their first
layer, with LAYER1_ONLY and OPAQUE_DIR/old in it too; the second layer deletes LAYER1_ONLY
(.wh.) and makes OPAQUE_DIR opaque (.wh..wh..opq) with OPAQUE_DIR/new in it, and adds
LAYER2_FILE.  Their config is CONFIG unless another is given (the "config" of the image's
config JSON: Env, Entrypoint, Cmd, WorkingDir, User): what `tenderctl image inspect` shows as
Config.
"""

import gzip
import hashlib
import io
import json
import os
import shutil
import subprocess
import tarfile
import tempfile

import gi

gi.require_version("Gio", "2.0")
gi.require_version("GLib", "2.0")
from gi.repository import Gio, GLib  # noqa: E402

BUSYBOX = "/bin/busybox"  # busybox-static: a static binary runs in any root
LAYER1_ONLY = "etc/layer1-only"
OPAQUE_DIR = "opt/opaque"
LAYER2_FILE = "etc/layer2"
CONFIG = {
    "Env": ["PATH=/usr/sbin:/usr/bin:/sbin:/bin", "IMAGE=busybox"],
    "Entrypoint": ["/bin/sh", "-c"],
    "Cmd": ["echo hello from the image"],
    "WorkingDir": "/root",
    "User": "0:0",
}
# Config as D-Bus gives it (org.tender.Agent1.Image)
CONFIG_DBUS = {
    "env": CONFIG["Env"],
    "entrypoint": CONFIG["Entrypoint"],
    "cmd": CONFIG["Cmd"],
    "working_directory": CONFIG["WorkingDir"],
    "user": CONFIG["User"],
}
PASSWD = ("root:x:0:0:root:/root:/bin/sh\n"
          "nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n")
GROUP = "root:x:0:\nnogroup:x:65534:\n"


def busybox_rootfs(root):
    """Makes @root a root file system: /bin/busybox, a symbolic link to it for every applet
    where `busybox --list-full` puts it, /etc/passwd and /etc/group with root and nobody, and
    the usual empty directories (/srv among them).  Returns @root."""
    os.makedirs(os.path.join(root, "bin"), exist_ok=True)
    shutil.copy(BUSYBOX, os.path.join(root, "bin", "busybox"))
    os.chmod(os.path.join(root, "bin", "busybox"), 0o755)
    applets = subprocess.run([BUSYBOX, "--list-full"], check=True, capture_output=True,
                             text=True).stdout.split()
    for applet in applets:
        path = os.path.join(root, applet)
        if applet == "bin/busybox" or os.path.lexists(path):
            continue
        os.makedirs(os.path.dirname(path), exist_ok=True)
        os.symlink("/bin/busybox", path)
    for d in ("dev", "proc", "sys", "tmp", "root", "run", "home", "var/tmp", "etc", "srv"):
        os.makedirs(os.path.join(root, d), exist_ok=True)
    os.chmod(os.path.join(root, "tmp"), 0o1777)
    with open(os.path.join(root, "etc", "passwd"), "w") as f:
        f.write(PASSWD)
    with open(os.path.join(root, "etc", "group"), "w") as f:
        f.write(GROUP)
    return root


def _root_owned(info):
    info.uid = info.gid = 0
    info.uname = info.gname = "root"
    return info


def _tar_bytes(add):
    """A tar file (bytes) that @add(tarfile) fills."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        add(tar)
    return buf.getvalue()


def _add_tree(tar, root):
    for name in sorted(os.listdir(root)):
        tar.add(os.path.join(root, name), arcname=name, filter=_root_owned)


def _add_file(tar, name, data=b"", mode=0o644):
    info = _root_owned(tarfile.TarInfo(name))
    info.size = len(data)
    info.mode = mode
    tar.addfile(info, io.BytesIO(data))


def _add_dir(tar, name):
    info = _root_owned(tarfile.TarInfo(name))
    info.type = tarfile.DIRTYPE
    info.mode = 0o755
    tar.addfile(info)


def busybox_tar(path, compression=None):
    """Writes the busybox root file system as a tar file to @path: plain, or compressed
    with "gz", "xz" or "zst" (zstd(1)).  Returns @path."""
    scratch = busybox_rootfs(tempfile.mkdtemp(prefix="tender-images-rootfs."))
    try:
        data = _tar_bytes(lambda tar: _add_tree(tar, scratch))
    finally:
        shutil.rmtree(scratch)
    if compression == "gz":
        data = gzip.compress(data, mtime=0)
    elif compression == "xz":
        import lzma
        data = lzma.compress(data)
    elif compression == "zst":
        data = subprocess.run(["zstd", "-q", "-c"], input=data, check=True,
                              capture_output=True).stdout
    elif compression is not None:
        raise ValueError(f"no compression {compression}")
    with open(path, "wb") as f:
        f.write(data)
    return path


def _layers():
    """The two layers of the layered test image, as tar files (bytes)."""
    scratch = busybox_rootfs(tempfile.mkdtemp(prefix="tender-images-layer."))
    try:
        def lower(tar):
            _add_tree(tar, scratch)
            _add_file(tar, LAYER1_ONLY, b"deleted by the second layer\n")
            _add_dir(tar, "opt")
            _add_dir(tar, OPAQUE_DIR)
            _add_file(tar, OPAQUE_DIR + "/old", b"hidden by the second layer\n")
        layer1 = _tar_bytes(lower)
    finally:
        shutil.rmtree(scratch)

    def upper(tar):
        _add_dir(tar, OPAQUE_DIR)
        _add_file(tar, OPAQUE_DIR + "/.wh..wh..opq")
        _add_file(tar, OPAQUE_DIR + "/new", b"new in the second layer\n")
        _add_file(tar, os.path.dirname(LAYER1_ONLY) + "/.wh." + os.path.basename(LAYER1_ONLY))
        _add_file(tar, LAYER2_FILE, b"added by the second layer\n")
    return layer1, _tar_bytes(upper)


def _config_json(diff_ids, config=None):
    config = CONFIG if config is None else config
    return json.dumps({"architecture": "amd64", "os": "linux", "config": config,
                       "rootfs": {"type": "layers", "diff_ids": diff_ids}}).encode()


def _sha256(data):
    return hashlib.sha256(data).hexdigest()


def _write_archive(path, files):
    """A tar file of @files: (name, bytes) in order, directories made as needed."""
    def add(tar):
        made = set()
        for name, data in files:
            parts = name.split("/")[:-1]
            for i in range(len(parts)):
                d = "/".join(parts[:i + 1])
                if d not in made:
                    _add_dir(tar, d)
                    made.add(d)
            _add_file(tar, name, data)
    with open(path, "wb") as f:
        f.write(_tar_bytes(add))
    return path


def busybox_oci(path, config=None):
    """Writes an OCI image layout, as a tar file, to @path: index.json, a manifest of two
    layers (the first gzip-compressed, with the busybox root file system; the second a plain
    tar with a whiteout and an opaque directory) and @config (CONFIG if None).  Returns
    @path."""
    layer1, layer2 = _layers()
    layer1_gz = gzip.compress(layer1, mtime=0)
    config = _config_json([f"sha256:{_sha256(layer1)}", f"sha256:{_sha256(layer2)}"], config)
    manifest = json.dumps({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                   "digest": f"sha256:{_sha256(config)}", "size": len(config)},
        "layers": [
            {"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
             "digest": f"sha256:{_sha256(layer1_gz)}", "size": len(layer1_gz)},
            {"mediaType": "application/vnd.oci.image.layer.v1.tar",
             "digest": f"sha256:{_sha256(layer2)}", "size": len(layer2)},
        ],
    }).encode()
    index = json.dumps({
        "schemaVersion": 2,
        "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
                       "digest": f"sha256:{_sha256(manifest)}", "size": len(manifest),
                       "annotations": {"org.opencontainers.image.ref.name": "latest"},
                       "platform": {"architecture": "amd64", "os": "linux"}}],
    }).encode()
    files = [("oci-layout", b'{"imageLayoutVersion": "1.0.0"}'), ("index.json", index)]
    files += [(f"blobs/sha256/{_sha256(blob)}", blob)
              for blob in (layer1_gz, layer2, config, manifest)]
    return _write_archive(path, files)


def docker_save(path, config=None):
    """Writes the layered image as `docker save` does, to @path: manifest.json naming the
    config (@config, CONFIG if None) and the two layer tars, in order.  Returns @path."""
    layer1, layer2 = _layers()
    config = _config_json([f"sha256:{_sha256(layer1)}", f"sha256:{_sha256(layer2)}"], config)
    id1, id2 = _sha256(layer1), _sha256(layer2)
    config_name = f"{_sha256(config)}.json"
    manifest = json.dumps([{"Config": config_name, "RepoTags": ["busybox:test"],
                            "Layers": [f"{id1}/layer.tar", f"{id2}/layer.tar"]}]).encode()
    files = [(config_name, config),
             (f"{id1}/VERSION", b"1.0"), (f"{id1}/layer.tar", layer1),
             (f"{id2}/VERSION", b"1.0"), (f"{id2}/layer.tar", layer2),
             ("manifest.json", manifest),
             ("repositories", json.dumps({"busybox": {"test": id2}}).encode())]
    return _write_archive(path, files)


def import_image(name, path, bus=None, timeout_ms=600000, **options):
    """ImportImage(@name, the descriptor of @path, @options: booleans) on the system bus;
    returns the image's object path.  Raises GLib.Error as D-Bus reports it."""
    bus = bus or Gio.bus_get_sync(Gio.BusType.SYSTEM, None)
    flags = os.O_RDONLY | (os.O_DIRECTORY if os.path.isdir(path) else 0)
    fds = Gio.UnixFDList.new_from_array([os.open(path, flags)])
    opts = {k: GLib.Variant("b", v) for k, v in options.items()}
    reply, _ = bus.call_with_unix_fd_list_sync(
        "org.tender.Agent1", "/org/tender/Agent1", "org.tender.Agent1.Manager", "ImportImage",
        GLib.Variant("(sha{sv})", (name, 0, opts)), GLib.VariantType("(o)"),
        Gio.DBusCallFlags.NONE, timeout_ms, fds, None)
    return reply.unpack()[0]
