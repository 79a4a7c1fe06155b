"""Output folders that sesim owns: checked before a run, locked while it runs, replaced atomically.

sesim never deletes what it did not write.  An output folder (``--out``) is

- used as it is when it does not exist or is empty;
- replaced only when it holds a sesim result of the same kind (its ``manifest.json`` says so)
  and nothing but the files that manifest lists;
- refused, with one line naming it, in every other case.

The new result is written into a hidden ``.NAME.partial-*`` folder beside ``out`` and swapped in
with one atomic ``renameat2(RENAME_EXCHANGE)`` where the system has it (Linux), so a kill at any
instant leaves either the old or the new complete result at ``out``.  Elsewhere the old result is
first renamed aside to ``.NAME.old-*`` and the next run into the same place puts it back if the
new one never arrived.  Leftover hidden folders of killed runs are removed by the next run into
the same place, under the lock.

Two commands writing the same ``out`` at once: the second is refused while the first holds the
lock file ``.NAME.lock`` beside ``out`` (``fcntl.flock``, released by the kernel if the holder
dies, so a killed run never leaves a stale lock).

Outputs that grow in place and resume (``sesim sweep``, ``calibrate``, ``compare --uncertainty``, and
the replicate store ``OUT.replicates/`` of ``run`` and ``compare``, :mod:`sim.replicates`)
are not replaced but added to, so :func:`check_resumable` accepts only a new or empty folder or one
that sesim's own manifest (with the kind and the command) says it wrote; they take the same lock
(:class:`ResumableLock`).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import json
import os
import secrets
import shutil
import stat
import sys
import tempfile
from pathlib import Path
from typing import Any

from .scenario import ScenarioError

MANIFEST = "manifest.json"
NAME_MAX = 200  # bytes of the folder name: the hidden siblings add about 25 to it (limit 255)
LEGACY_FILES = {  # what results written before manifests listed their files contained
    "run": {"summary.csv", "timeseries.parquet", "spells.parquet", "scenario.resolved.toml", MANIFEST},
    "compare": {"comparison.csv", "survival.csv", "summary.csv", "timeseries.parquet", "report.html", MANIFEST},
}
LEGACY_FIGURES = ("forest", "timeseries", "skills", "survival")


def current_umask() -> int:
    """The process's umask (read without a window in which it is changed, where Linux allows)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def result_kind(folder: Path) -> tuple[str | None, set[str] | None]:
    """The kind of sesim result in ``folder`` and the files it consists of (None if it is not one)."""
    try:
        m = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None, None
    if not isinstance(m, dict) or m.get("package") != "sesim":
        return None, None
    kind = m.get("kind") or ("compare" if "scenarios" in m else "run" if "scenario" in m and "sweep" not in m else None)
    files = m.get("files")
    if isinstance(files, list) and all(isinstance(f, str) for f in files):
        return kind, {*files, MANIFEST}
    if kind is None:
        return None, None
    figures = {f"{fig}.{ext}" for fig in LEGACY_FIGURES for ext in ("png", "svg")} if kind == "compare" else set()
    return kind, LEGACY_FILES.get(kind, set()) | figures


KEPT_KINDS = ("workshop",)  # results sesim cannot re-create (people's decisions): never replaced


def check_path(out: Path, flag: str = "--out") -> Path:
    """Refuse, in one line, a path that can be no output folder whatever it holds (the root, the
    current folder or one holding it, a symbolic link, a file, a name too long, a place that is
    not writable); return it resolved."""
    try:
        full = Path(os.path.abspath(out))
    except (OSError, ValueError) as e:
        raise ScenarioError(f"{flag} {out}: not a usable path ({e})") from None
    if full.parent == full:
        raise ScenarioError(f"{flag} {out}: the root folder cannot be an output folder; choose another with {flag} DIR")
    if len(os.fsencode(full.name)) > NAME_MAX:
        raise ScenarioError(
            f"{flag} {str(out)[:40]}...: folder name too long ({len(os.fsencode(full.name))} bytes; "
            f"allowed at most {NAME_MAX}); choose a shorter one"
        )
    if len(os.fsencode(str(full))) > 3800:
        raise ScenarioError(f"{flag} {str(out)[:40]}...: path too long; choose a shorter one")
    cwd = Path(os.path.abspath(os.getcwd()))
    if full == cwd or full in cwd.parents:
        raise ScenarioError(
            f"{flag} {out}: is the current folder or holds it; sesim writes results into a "
            f"folder of their own (e.g. {flag} results/my-run)"
        )
    try:
        probe = full.parent
        while not probe.exists():
            probe = probe.parent
        link, exists = full.is_symlink(), full.exists()
    except OSError as e:  # e.g. a folder name on the way longer than the file system allows
        raise ScenarioError(f"{flag} {str(out)[:40]}...: not a usable path ({e.strerror or e})") from None
    if not probe.is_dir():
        raise ScenarioError(f"{flag} {out}: {probe} is a file, not a folder; choose another with {flag} DIR")
    if link:
        raise ScenarioError(f"{flag} {out}: is a symbolic link; give the folder it points to, or another")
    if exists and not full.is_dir():
        raise ScenarioError(f"{flag} {out}: is a file, not a folder; choose another with {flag} DIR")
    if not os.access(probe, os.W_OK | os.X_OK):
        raise ScenarioError(f"{flag} {out}: folder is not writable; choose another with {flag} DIR")
    return full


def check_out(out: Path, kind: str, flag: str = "--out") -> Path:
    """Refuse, in one line, an output folder sesim may not write or replace; return it resolved."""
    out = Path(out)
    full = check_path(out, flag)
    if full.is_dir():
        try:
            entries = {p.name for p in full.iterdir()}
        except OSError as e:
            raise ScenarioError(f"{flag} {out}: cannot read the folder ({e.strerror}); choose another") from None
        if entries:
            found, files = result_kind(full)
            if found is None:
                raise ScenarioError(
                    f"{flag} {out}: folder is not empty and holds no sesim result; sesim replaces "
                    f"only its own results: choose another folder with {flag} DIR"
                )
            if found != kind:
                raise ScenarioError(
                    f"{flag} {out}: holds the result of 'sesim {found}', not of 'sesim {kind}'; "
                    f"choose another folder with {flag} DIR"
                )
            if found in KEPT_KINDS:
                raise ScenarioError(
                    f"{flag} {out}: holds the debrief of an earlier 'sesim {found}', whose decisions "
                    f"people made and sesim cannot make again; choose another folder with {flag} DIR"
                )
            extra = sorted(entries - (files or set()))
            if extra:
                raise ScenarioError(
                    f"{flag} {out}: holds files sesim did not write ({', '.join(extra[:3])}"
                    f"{', ...' if len(extra) > 3 else ''}); move them or choose another folder"
                )
    return full


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    fn = getattr(libc, "renameat2", None)
    if fn is None:
        return False
    AT_FDCWD, RENAME_EXCHANGE = -100, 2
    if fn(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))


class OutputSlot:
    """The right to write one output folder: lock, staging folder, atomic publication.

    >>> with OutputSlot(Path("results/baseline"), "run") as slot:    # doctest: +SKIP
    ...     tmp = slot.staging()
    ...     (tmp / "summary.csv").write_text("...")
    ...     slot.publish({"package": "sesim", ...})
    """

    def __init__(self, out: Path, kind: str, flag: str = "--out") -> None:
        self.requested, self.kind, self.flag = Path(out), kind, flag
        self.out = check_out(out, kind, flag)
        self._lock_fd: int | None = None
        self._tmp: Path | None = None

    # --- lock -------------------------------------------------------------------------------
    @property
    def lock_path(self) -> Path:
        return self.out.parent / f".{self.out.name}.lock"

    def __enter__(self) -> "OutputSlot":
        self.out.parent.mkdir(parents=True, exist_ok=True)
        while True:
            fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o666)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                raise ScenarioError(
                    f"{self.flag} {self.requested}: another sesim command is writing this folder "
                    f"(lock {self.lock_path.name}); wait for it to finish or choose another "
                    f"folder"
                ) from None
            try:  # the holder before us may have removed the file: lock the one that is there
                same = os.path.samestat(os.fstat(fd), os.stat(self.lock_path))
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)
        self._lock_fd = fd
        try:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())  # needs a block: fails on a full disk
            self._recover()
        except BaseException:
            self._release()  # a failed start must not lock the next attempt out
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None
        self._release()

    def _release(self) -> None:
        if self._lock_fd is not None:
            try:
                self.lock_path.unlink(missing_ok=True)
            finally:
                os.close(self._lock_fd)  # closing releases the lock
                self._lock_fd = None

    # --- leftovers of killed runs -------------------------------------------------------------
    def _siblings(self, tag: str) -> list[Path]:
        return sorted(p for p in self.out.parent.glob(f".{glob_escape(self.out.name)}.{tag}-*") if p.is_dir())

    def _recover(self) -> None:
        """Put back an old result a killed swap left aside; remove every other leftover of ours."""
        if not self.out.exists():
            for old in reversed(self._siblings("old")):
                if result_kind(old)[0] is not None:
                    os.rename(old, self.out)
                    break
        for p in self._siblings("old") + self._siblings("partial"):
            shutil.rmtree(p, ignore_errors=True)

    # --- writing ----------------------------------------------------------------------------
    def staging(self) -> Path:
        """A new hidden folder beside ``out`` to write the result into (permissions follow the umask)."""
        if self._lock_fd is None:
            raise RuntimeError("OutputSlot.staging() outside 'with'")
        self._tmp = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.partial-", dir=self.out.parent))
        os.chmod(self._tmp, 0o777 & ~current_umask())
        return self._tmp

    def publish(self, manifest: dict[str, Any]) -> Path:
        """Write ``manifest.json`` (listing every file written) last, then swap the result into place."""
        tmp = self._tmp
        if tmp is None:
            raise RuntimeError("OutputSlot.publish() before staging()")
        files = sorted(p.name for p in tmp.iterdir() if p.name != MANIFEST)
        manifest = {**manifest, "kind": self.kind, "files": files}
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
        check_out(self.out, self.kind, self.flag)  # still ours to replace after the long run?
        if self.out.is_dir() and any(self.out.iterdir()):
            if _exchange(tmp, self.out):
                shutil.rmtree(tmp, ignore_errors=True)  # tmp now holds the old result
            else:  # no atomic exchange here: old aside, new in
                aside = self.out.parent / f".{self.out.name}.old-{os.getpid()}-{secrets.token_hex(4)}"
                os.rename(self.out, aside)
                os.rename(tmp, self.out)
                shutil.rmtree(aside, ignore_errors=True)
        else:
            if self.out.is_dir():
                os.rmdir(self.out)  # empty: nothing of anyone's is lost
            os.rename(tmp, self.out)
        self._tmp = None
        return self.out


def glob_escape(name: str) -> str:
    """``name`` with glob's special characters taken literally."""
    import glob

    return glob.escape(name)


# --- outputs that grow in place and resume ----------------------------------------------------------
# kind -> (what it is, the command that writes it, its own manifests).  Such a folder (``--resume``)
# is sesim's when one of its own manifests says so; the names of the files beside it prove nothing.
RESUMABLE: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "compare-uncertainty": ("an uncertainty comparison", "sesim compare --uncertainty", ("uncertainty.json",)),
    "calibrate": ("a calibration", "sesim calibrate", ("calibration.json",)),
    "sweep": ("a sweep", "sesim sweep", (MANIFEST, "manifest.shard-*.json")),
    "carriers": ("a carriers screening", "sesim carriers", ("carriers.json",)),
    "replicates": ("the replicates of a run or comparison", "sesim run/compare", ("replicates.json",)),
}
MANIFEST_BYTES = 64 << 20  # larger than any manifest sesim writes; a bigger file is not one
LEGACY_CALIBRATION = {"scenario", "free", "targets", "budget", "generations", "replicates"}


def read_json_manifest(path: Path) -> dict[str, Any] | None:
    """The JSON object in ``path`` if it is a regular file of reasonable size (a FIFO, a device or a
    symbolic link is never read: opening one could hang or never end), else None."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MANIFEST_BYTES:
            return None
        with os.fdopen(os.dup(fd), "rb") as fh:
            data = json.loads(fh.read(MANIFEST_BYTES + 1))
    except (OSError, ValueError, RecursionError):
        return None
    finally:
        os.close(fd)
    return data if isinstance(data, dict) else None


def manifest_says(m: dict[str, Any], kind: str) -> bool:
    """Whether the manifest ``m`` says sesim wrote an output of ``kind`` (one of :data:`RESUMABLE`).

    Today's manifests name the package, the kind and the command.  Those written before the kind
    was recorded are recognised by their own format: a sweep's ``manifest.json`` (package, command,
    ``sweep`` and ``fingerprint``) and a calibration's ``calibration.json`` (its ``settings`` and
    ``status`` alone)."""
    if m.get("package") == "sesim" and isinstance(m.get("command"), list):
        if "kind" in m:
            return m["kind"] == kind
        return kind == "sweep" and isinstance(m.get("sweep"), dict) and "fingerprint" in m
    settings = m.get("settings")
    return (
        kind == "calibrate"
        and "package" not in m
        and "kind" not in m
        and isinstance(settings, dict)
        and LEGACY_CALIBRATION <= settings.keys()
        and m.get("status") in ("running", "complete")
    )


def resumable_kind(folder: Path) -> str | None:
    """The kind of resumable output sesim's own manifest in ``folder`` says it wrote, or None.

    An uncertainty comparison runs as a sweep in its own folder, so its ``uncertainty.json`` is
    looked at before a sweep's manifest."""
    for kind, (_, _, names) in RESUMABLE.items():
        for name in names:
            paths = sorted(folder.glob(name)) if "*" in name else [folder / name]
            for path in paths:
                m = read_json_manifest(path)
                if m is not None and manifest_says(m, kind):
                    return kind
    return None


def check_resumable(out: Path, kind: str | tuple[str, ...], flag: str = "--out") -> Path:
    """For outputs that grow in place and resume (sweeps, calibrations, uncertainty comparisons):
    refuse, in one line, any folder but a new or empty one or one that sesim's own manifest says
    holds an output of ``kind`` (:func:`resumable_kind`); return it resolved.  Nothing is written.
    sesim adds its files to such a folder and never removes a file it did not write."""
    kinds = (kind,) if isinstance(kind, str) else tuple(kind)
    what, command, _ = RESUMABLE[kinds[0]]
    full = check_path(out, flag)
    if full.is_dir():
        try:
            entries = [p.name for p in full.iterdir()]
        except OSError as e:
            raise ScenarioError(f"{flag} {out}: cannot read the folder ({e.strerror}); choose another") from None
        if entries:
            found = resumable_kind(full)
            if found is None and read_json_manifest(full / MANIFEST) is not None:
                found = result_kind(full)[0]  # a one-off result: run, compare, ...
            if found is None:
                raise ScenarioError(
                    f"{flag} {out}: folder is not empty and no manifest of sesim in it says it "
                    f"holds {what}; sesim continues only folders it wrote: choose an empty or new "
                    f"folder with {flag} DIR"
                )
            if found not in kinds:
                other = RESUMABLE[found][1] if found in RESUMABLE else f"sesim {found}"
                raise ScenarioError(
                    f"{flag} {out}: holds the result of '{other}', not {what} of '{command}'; "
                    f"choose another folder with {flag} DIR"
                )
        if not os.access(full, os.W_OK | os.X_OK):
            raise ScenarioError(f"{flag} {out}: folder is not writable; choose another with {flag} DIR")
    return full


class ResumableLock:
    """The right to add to one resumable output folder: the lock file ``.NAME.lock`` beside it
    (``fcntl.flock``, as :class:`OutputSlot`; the kernel releases it when its holder dies).

    A whole run holds the lock alone.  The shards of a job array (``shard = (i, n)``) share one
    folder: each holds it shared, and its own ``.NAME.shard-I-of-N.lock`` alone, so shards run
    together but not beside a whole run, nor twice.  On a file system without locks (some
    cluster file systems) sesim says so in one line and goes on unlocked.
    """

    def __init__(self, out: Path, flag: str = "--out", shard: tuple[int, int] | None = None) -> None:
        self.requested, self.flag, self.shard = Path(out), flag, shard
        self.out = Path(os.path.abspath(out))
        self._held: list[tuple[Path, int]] = []

    @property
    def lock_path(self) -> Path:
        return self.out.parent / f".{self.out.name}.lock"

    def _shard_lock_path(self) -> Path:
        i, n = self.shard or (0, 1)
        return self.out.parent / f".{self.out.name}.shard-{i}-of-{n}.lock"

    def __enter__(self) -> "ResumableLock":
        try:
            self.out.parent.mkdir(parents=True, exist_ok=True)
            if self.shard is None:
                self._take(self.lock_path, fcntl.LOCK_EX, "this folder")
            else:
                self._take(self.lock_path, fcntl.LOCK_SH, "this folder")
                self._take(
                    self._shard_lock_path(), fcntl.LOCK_EX, f"shard {self.shard[0]}/{self.shard[1]} of this folder"
                )
        except BaseException:
            self.__exit__()
            raise
        return self

    def _take(self, path: Path, mode: int, what: str) -> None:
        while True:
            try:
                fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o666)
            except OSError as e:
                raise ScenarioError(
                    f"{self.flag} {self.requested}: cannot create the lock file {path.name} "
                    f"({e.strerror or e}); choose another folder"
                ) from None
            try:
                fcntl.flock(fd, mode | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                raise ScenarioError(
                    f"{self.flag} {self.requested}: another sesim command is writing {what} "
                    f"(lock {path.name}); wait for it to finish or choose another folder"
                ) from None
            except OSError as e:
                os.close(fd)
                if e.errno not in (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS):
                    raise
                sys.stderr.write(
                    f"sesim: warning: {self.flag} {self.requested}: this file system has no locks "
                    f"({e.strerror}); make sure no other sesim command writes {what}\n"
                )
                return
            try:  # the holder before us may have removed the file: lock the one that is there
                same = os.path.samestat(os.fstat(fd), os.stat(path))
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)
        self._held.append((path, fd))
        if mode == fcntl.LOCK_EX:
            try:  # for whoever looks: which process holds it (a failure here is harmless)
                os.ftruncate(fd, 0)
                os.write(fd, f"{os.getpid()}\n".encode())
            except OSError:
                pass

    def __exit__(self, *exc: object) -> None:
        while self._held:
            path, fd = self._held.pop()
            try:  # the last holder (the only one that can hold it alone) removes the file
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                path.unlink(missing_ok=True)
            except OSError:
                pass
            finally:
                os.close(fd)  # closing releases the lock
