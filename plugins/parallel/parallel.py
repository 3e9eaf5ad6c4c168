"""Read and render on every core: fork, and let each process do its share.

Reading: Markdown the cache does not hold is parsed ahead on every core (reading.py).

When Pelican asks for its writer (``get_writer``: everything is read and computed),
the build forks into ``PRESSROOM_RENDER_WORKERS`` processes. Each gets a writer that
renders only the files it owns (by a hash of their path), so every generator runs
unchanged in every process and the work splits without any data being sent back.
The last plugin generator is a barrier: workers exit there, before Pelican copies
static files, and the main process waits for them before anything else reads the
whole output. A step that needs only part of it can wait for the workers to reach a
point earlier (``every_shard_here``): the search index starts once every release
and content page is written, while the listings and feeds are still rendering.
"""

from __future__ import annotations

import gc
import logging
import os
import sys
import zlib

from pelican import signals
from pelican.generators import Generator

from plugins.incremental import ReusingWriter
from pressroom.folders import stop_folder_helpers
from pressroom.forking import end_child, worker_count

from .reading import read_ahead

logger = logging.getLogger(__name__)


class RenderWorkerError(RuntimeError):
    """A render worker logged errors or stopped; what went wrong is in the log above."""


def _logged_errors() -> int:
    """ERROR records counted so far (pressroom.build's counter), in this process."""
    return sum(getattr(handler, "count", 0) for handler in logging.getLogger().handlers)


#: In a render worker: the errors logged before it was forked, which the main process counts and reports.
_errors_before_fork = 0

#: The render workers this process forked and has not waited for yet.
_running: list[int] = []


class ShardedWriter(ReusingWriter):
    """A writer for one process: ``shard`` of ``shards``; the main process has the children."""

    shard = 0
    shards = 1
    children: tuple[int, ...] = ()
    #: The main process, which gathers every worker's share of the record.
    main = 0
    #: A pipe's end: workers write a byte to it at ``every_shard_here``; the main process reads them.
    meeting: int | None = None

    def every_shard_here(self) -> bool:
        """Whether every process has come this far: workers say so and answer False; the main process
        waits for them and answers True (False if a worker ended first: its failure shows at the barrier).
        Call it at one point of the build, in every process."""
        if self.meeting is None:
            return self.shards == 1 or not self.shard
        meeting, self.meeting = self.meeting, None
        if self.shard:
            os.write(meeting, b".")
            os.close(meeting)
            return False
        arrived = 0
        while arrived < len(self.children):
            got = os.read(meeting, len(self.children) - arrived)
            if not got:
                break  # every worker's end closed: one ended before it came here
            arrived += len(got)
        os.close(meeting)
        return arrived == len(self.children)

    def owns(self, path: str) -> bool:
        return zlib.crc32(os.path.normpath(path).encode("utf-8")) % self.shards == self.shard

    def write_file(self, name, *args, **kwargs):
        # A listing is shared page by page (ReusingWriter.paged_listing); any other file goes whole to its owner.
        if name and not self.owns(name) and self.paged_listing(args[2:], kwargs) is None:
            return None
        return super().write_file(name, *args, **kwargs)


def _writer_class(
    shard: int, shards: int, children: tuple[int, ...], meeting: int | None, main: int
) -> type[ShardedWriter]:
    # Pelican instantiates the class that get_writer returns; bind the shard to it.
    fields = {"shard": shard, "shards": shards, "children": children, "meeting": meeting, "main": main}
    return type(f"ShardedWriter{shard}of{shards}", (ShardedWriter,), fields)


def fork_writers(pelican):
    # Everything read so far lives to the end of the build: the collector need not scan
    # it again in any process, and workers then share its memory pages untouched.
    # Rendering makes cyclic garbage: collected again from here (off while reading: pressroom/build.py).
    gc.enable()
    gc.freeze()
    shards, main = worker_count(pelican.settings), os.getpid()
    if shards <= 1:
        return _writer_class(0, 1, (), None, main)
    sys.stdout.flush()
    sys.stderr.flush()
    readable, writable = os.pipe()
    children = []
    for shard in range(1, shards):
        pid = os.fork()
        if pid == 0:
            global _errors_before_fork
            _errors_before_fork = _logged_errors()
            os.close(readable)
            return _writer_class(shard, shards, (), writable, main)
        children.append(pid)
    _running.extend(children)
    os.close(writable)
    return _writer_class(0, shards, tuple(children), readable, main)


class RenderBarrier(Generator):
    """Runs after every other plugin generator: workers stop here; the main process waits."""

    def generate_output(self, writer) -> None:
        if getattr(writer, "shard", 0):
            writer.ledger.save_part(writer.main)
            errors = _logged_errors() - _errors_before_fork
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(1 if errors else 0)
        failed = []
        for pid in getattr(writer, "children", ()):
            _, status = os.waitpid(pid, 0)
            _running.remove(pid)
            if os.waitstatus_to_exitcode(status) != 0:
                failed.append(pid)
        stop_folder_helpers()  # every page is written; Pelican's static files come next
        if failed:
            raise RenderWorkerError(f"{len(failed)} render process(es) logged errors or stopped (see above)")
        writer.ledger.save(list(writer.children))


def stop_render_workers() -> None:
    """The build failed in this process before its barrier: end the workers still writing into its staging
    folder (a stop sent to this process alone leaves them running), so that the folder can be removed."""
    while _running:
        end_child(_running.pop())


def get_generators(pelican):
    return RenderBarrier


def read_on_every_core(generator) -> None:
    read_ahead(generator, worker_count(generator.settings))


def register() -> None:
    """Split reading and rendering across processes; load this plugin last (its barrier must run last)."""
    signals.article_generator_init.connect(read_on_every_core)
    signals.get_writer.connect(fork_writers)
    signals.get_generators.connect(get_generators)
