"""The live warehouse file and its candidate copy: build lock, copy, checkpoint, atomic publish.

Layout next to the live file (default warehouse/cx.duckdb):

    warehouse/.nightly.lock     flock'd for the whole run (and by the dbt child, which inherits it)
    warehouse/.build/cx.duckdb  the candidate: a copy of the live file that dbt builds into. Same file
                                name (dbt-duckdb names the database after it) and same filesystem
                                (os.replace is only atomic within one). Where the filesystem can
                                share blocks (XFS, Btrfs, APFS, ReFS) the copy is a reflink clone:
                                instant and no extra disk until the build writes; elsewhere a copy.
    warehouse/.build/target/    dbt's target path for nightly runs (kept for partial parsing)
    warehouse/.build/replaced/  second names of the live files publish replaced, until a detached `rm`
                                deletes them (release_replaced): the kernel frees a large file's blocks
                                (about 1 s for 4.6 GB on ext4) in the call that drops its last name,
                                which is then not os.replace

Readers (BI tools) open the live file read-only. Publishing swaps the directory entry with
os.replace: a reader that is connected keeps reading the old file (its open inode) until it
reconnects, a new connection sees the new file, and nobody ever sees a half-built warehouse.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import logging
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
from reflink_copy import reflink

log = logging.getLogger(__name__)

LOCK_NAME = ".nightly.lock"
BUILD_DIR_NAME = ".build"
REPLACED_DIR_NAME = "replaced"


class WarehouseBusy(Exception):
    """Another nightly holds the lock, or the live file is held by a writer."""


class PublishError(Exception):
    """The candidate cannot replace the live file."""


def wal_path(database: Path) -> Path:
    return database.with_name(database.name + ".wal")


def build_dir(live: Path) -> Path:
    return live.parent / BUILD_DIR_NAME


@dataclass(frozen=True)
class FileState:
    inode: int
    size: int
    mtime_ns: int


def file_state(path: Path) -> FileState | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return FileState(stat.st_ino, stat.st_size, stat.st_mtime_ns)


@contextlib.contextmanager
def build_lock(live: Path, run_id: str) -> Iterator[int]:
    """Hold an exclusive flock on <warehouse dir>/.nightly.lock; raise WarehouseBusy when taken.

    Yields the lock's file descriptor so that child processes (dbt) can inherit it: the lock is then
    released only when the last holder exits, never while a build still runs.
    """
    live.parent.mkdir(parents=True, exist_ok=True)
    path = live.parent / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            if error.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                holder = path.read_text().strip() or "unknown"
                raise WarehouseBusy(
                    f"another nightly build holds {path} ({holder}); wait for it to finish"
                ) from error
            raise
        os.ftruncate(fd, 0)
        os.write(fd, f"run {run_id} pid {os.getpid()}\n".encode())
        yield fd
    finally:
        os.close(fd)


def fold_wal(live: Path) -> bool:
    """Checkpoint a leftover write-ahead log into the live file; True when there was one.

    The nightly never leaves a WAL behind (the candidate is checkpointed before it is published, and
    readers open read-only), so a WAL here means someone wrote to the live file directly (e.g. a
    `dbt build` run by hand that was killed). Copying the file without it would lose those writes,
    so it is folded first. That needs a read-write open, which DuckDB refuses while any other process
    has the file open: then the run stops (WarehouseBusy) instead of copying a stale file.
    """
    if not live.exists() or not wal_path(live).exists():
        return False
    try:
        connection = duckdb.connect(str(live))
    except duckdb.IOException as error:
        raise WarehouseBusy(
            f"{live} has an unfolded write-ahead log and another process has the file open ({error}); "
            "close the other connections and re-run"
        ) from error
    try:
        connection.execute("checkpoint")
    finally:
        connection.close()
    return True


CLONED = "cloned"
COPIED = "copied"


def clone_or_copy(source: Path, destination: Path) -> str:
    """Copy a file as a reflink clone where the filesystem can (CLONED), else byte for byte (COPIED);
    an existing destination is replaced either way.

    A clone shares the source's blocks until either file writes to them (copy on write): it takes no
    time and no disk, whatever the file's size, and the source never sees the destination's writes.
    Filesystems without it (ext4, tmpfs, NFS) refuse the clone (EOPNOTSUPP, EXDEV, EINVAL, ...) before
    writing anything; whatever it left is removed before the plain copy. The clone only creates a new
    file, so an existing destination is removed first (else every clone would fall back to the copy).
    """
    destination.unlink(missing_ok=True)
    try:
        reflink(source, destination)
    except OSError as error:
        log.debug("reflink %s -> %s refused (%s); copying", source, destination, error)
        destination.unlink(missing_ok=True)
        shutil.copyfile(source, destination)
        return COPIED
    return CLONED


def candidate_path(live: Path) -> Path:
    """Where the candidate of a live file is built: warehouse/.build/<the live file's name>."""
    return build_dir(live) / live.name


def prepare_candidate(live: Path) -> tuple[Path, FileState | None, str | None]:
    """Make warehouse/.build/cx.duckdb: a copy (clone_or_copy) of the live file, or nothing for a first build.

    Leftovers of an earlier run that died (a candidate, its WAL) are removed first; the caller holds
    the lock, so nothing else can be using them. Returns the candidate path, the live file's state
    at copy time (publish refuses to replace a live file that changed since) and how the copy was
    made (CLONED, COPIED, or None when there is no live file yet).
    """
    directory = build_dir(live)
    directory.mkdir(parents=True, exist_ok=True)
    if os.stat(directory).st_dev != os.stat(live.parent).st_dev:
        raise PublishError(f"{directory} is not on the filesystem of {live}; os.replace would not be atomic")
    candidate = candidate_path(live)
    discard_candidate(candidate)
    state = file_state(live)
    how = clone_or_copy(live, candidate) if state is not None else None
    return candidate, state, how


class CandidateCopy:
    """prepare_candidate in a background thread, started at once: the copy (seconds per GB where the
    filesystem cannot clone) runs while the caller checks the landing zone and measures freshness, which
    read only the raw files. `result()` waits for the copy and returns what prepare_candidate returns (or
    raises its error); `settle()` waits for the whole thread without raising, so that a failed run discards
    the candidate only once nothing writes it any more.

    After a byte-for-byte copy the thread goes on to fsync the candidate while the caller builds into it:
    the copy leaves the file's pages dirty in the page cache, and whichever process fsyncs the file first
    waits for all of them. Otherwise that is DuckDB, at the build's first checkpoint (up to about 1.1 s of a
    model's time at scale L, as much as the kernel has not yet written back; benchmarks/results/fixes.md,
    twenty-fifth round). `flush_seconds`: how long that fsync took."""

    def __init__(self, live: Path) -> None:
        self.live = live
        self.seconds: float | None = None  # how long the copy took, once it has ended
        self.flush_seconds: float | None = None  # the copy's fsync, once ended (None: nothing to flush)
        self._outcome: tuple[Path, FileState | None, str | None] | None = None
        self._error: BaseException | None = None
        self._copied = threading.Event()
        self._thread = threading.Thread(target=self._run, name="candidate-copy")
        self._thread.start()

    def _run(self) -> None:
        started = time.monotonic()
        try:
            self._outcome = prepare_candidate(self.live)
        except BaseException as error:  # handed to the caller by result()
            self._error = error
        finally:
            self.seconds = round(time.monotonic() - started, 2)
            self._copied.set()
        if self._outcome is None or self._outcome[2] != COPIED:
            return  # a clone shares the live file's blocks (nothing dirty); no live file, nothing copied
        started = time.monotonic()
        try:
            _fsync_path(self._outcome[0])
        except OSError as error:  # an early flush only: publish fsyncs the candidate before replacing
            log.debug("fsync of the candidate %s failed (%s); publish flushes it", self._outcome[0], error)
        self.flush_seconds = round(time.monotonic() - started, 2)

    def result(self) -> tuple[Path, FileState | None, str | None]:
        self._copied.wait()
        if self._error is not None:
            raise self._error
        assert self._outcome is not None
        return self._outcome

    def settle(self) -> None:
        self._thread.join()


def discard_candidate(candidate: Path) -> None:
    """Delete a candidate and its WAL / temporary files (the live file is never touched)."""
    for path in (candidate, wal_path(candidate), candidate.with_name(candidate.name + ".tmp")):
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def checkpoint(database: Path) -> None:
    """Fold the candidate's WAL into it (a clean close does the same); publish needs no WAL."""
    connection = duckdb.connect(str(database))
    try:
        connection.execute("checkpoint")
    finally:
        connection.close()


def _fsync_path(path: Path, directory: bool = False) -> None:
    fd = os.open(path, os.O_RDONLY | (os.O_DIRECTORY if directory else 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(candidate: Path, live: Path, live_state_at_copy: FileState | None) -> None:
    """Atomically replace the live file with the candidate (os.replace), then fsync the directory."""
    if wal_path(candidate).exists():
        raise PublishError(f"{candidate} still has a write-ahead log; it was not closed cleanly")
    if wal_path(live).exists():
        raise PublishError(
            f"{live} got a write-ahead log during the build (someone wrote to the live file); "
            "not publishing over it"
        )
    if file_state(live) != live_state_at_copy:
        raise PublishError(f"{live} changed during the build; not publishing over it")
    _fsync_path(candidate)
    _keep_replaced(live)
    os.replace(candidate, live)
    _fsync_path(live.parent, directory=True)


def replaced_dir(live: Path) -> Path:
    return build_dir(live) / REPLACED_DIR_NAME


def _keep_replaced(live: Path) -> None:
    """Give the live file a second name in .build/replaced/ before os.replace takes its own: dropping a file's
    last name makes the kernel free its blocks in that call (1.1 s for the 4.6 GB warehouse of scale L on
    ext4; benchmarks/results/fixes.md, twenty-ninth round), and with the link that is release_replaced's
    detached `rm`, after publishing. Where hard links are not possible, os.replace frees it as before."""
    state = file_state(live)
    if state is None:
        return  # a first build: nothing is replaced
    try:
        folder = replaced_dir(live)
        folder.mkdir(exist_ok=True)
        os.link(live, folder / f"{live.name}.{state.inode}")
    except OSError as error:  # no hard links on this filesystem, or this file already has the name
        log.debug("no second name for %s (%s): os.replace frees it", live, error)


def release_replaced(live: Path) -> subprocess.Popen[bytes] | None:
    """Delete the replaced live files (their names in .build/replaced/, an earlier run's leftovers included)
    in a detached `rm` that outlives this process: the warehouse is published, and nobody waits for the
    kernel to free their blocks. A reader still connected to one keeps reading it until it disconnects, as
    before. The process (for a caller that must wait), or None when there was nothing to delete or `rm` could
    not start (then they are deleted here)."""
    folder = replaced_dir(live)
    paths = sorted(folder.glob(f"{live.name}.*")) if folder.is_dir() else []
    if not paths:
        return None
    try:
        return subprocess.Popen(
            ["rm", "-f", "--", *map(str, paths)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as error:
        log.debug("rm could not start (%s); deleting the replaced files here", error)
        for path in paths:
            path.unlink(missing_ok=True)
        return None
