"""`make bench`: build synthetic archives with stock Pelican and with Pressroom, and compare.

For each N it measures, each in a fresh process (wall time and that process's peak
RSS): stock Pelican's full build of the content (the baseline); Pressroom's full
build (every page, feed and the search index) with an empty cache, and again with
the parsed content cached but no earlier output; and Pressroom's rebuild after one
release changed (cache warm, starting from the live output), in place and as a CI
job runs it (a fresh checkout, the output and cache restored as copies), and after one
release added (publishing: a release newer than all, in the newest year); and, in a CI
job again, after a change every page shows around its text (a template's: a copy of
the theme with a line more in the footer, ``themedconf.py``). It prints a
table and the ratios the speed targets are stated in, and writes the figures to a
JSON file so runs can be compared.
``--repeat N`` (``make bench BENCH_REPEAT=3``) runs N rounds of the seven builds and
reports each build's median time and largest peak, and the median of each round's
ratios (a round's builds run minutes apart, so a drift of the machine's speed moves
both sides of its ratios alike).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from benchmarks.generate import generate

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
#: After every synthetic release (they run 2015-2024), so nothing is under embargo.
NOW = "1795651200"


#: The builds measured for each N, as the table labels them.
ROWS = {
    "stock": "stock Pelican",
    "full": "full, empty cache",
    "full_warm": "full, cache warm",
    "rebuild": "one release changed",
    "publish": "one release added",
    "ci_rebuild": "one changed, as in CI",
    "sitewide": "every page changed, CI",
}
WIDTH = max(len(label) for label in ROWS.values())


def build_environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The builds' environment: the fixed "now", and Python's default bytecode caching.

    Every build runs in a new process. Where ``PYTHONDONTWRITEBYTECODE`` is set (this
    benchmark's machine sets it), each of them compiled the project's own modules from
    source again (0.2 s); stock Pelican's come compiled from pip. As on any machine with
    Python's defaults, the first build writes the bytecode and the others read it.
    """
    environment = {**os.environ, "SOURCE_DATE_EPOCH": NOW, **(extra or {})}
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    return environment


#: Where the harness puts the folders it replaces, until the end of the run (see ``Trash``).
TRASH = ".bench-trash"
#: When files and folders were last deleted in bulk (its time, so that the next run knows).
DELETED_MARK = ".bench-deleted"
#: How long ext4 without a journal skips a deleted inode when it makes a file (fs/ext4/ialloc.c:
#: RECENTCY_MIN, 60 s, and RECENTCY_DIRTY, 300 s more while the inode's table block is dirty, which
#: a build's own new files make it), and a little more.
FORGET_DELETIONS = 365.0
FORGET_AFTER = 2000  # deleted files and folders


def entries(folder: Path) -> int:
    """Files and folders under ``folder``."""
    return sum(len(dirs) + len(files) for _, dirs, files in os.walk(folder))


class Trash:
    """The folders builds replace, moved aside, not deleted, until the end of the run.

    On this machine's file system (ext4 without a journal), for minutes after many files
    are deleted, every file made scans past the deleted inodes: a build right after the
    harness deleted the last one's output spent 3 to 11 CPU-seconds more in the kernel,
    stock Pelican's 2 to 5, and a full build of 5,000 releases three minutes after one
    had deleted its replaced output spent a tenth of its CPU time there. Renaming a
    folder deletes nothing: the harness's old folders, and the output each of our
    builds replaces (left beside it, ``PRESSROOM_KEEP_REPLACED_OUTPUT``), are put here,
    and deleted when the run ends (some GB at 20,000 releases). A run starts six
    minutes after the last one's deletion at the earliest (``wait_out``): its time is
    kept in the work folder.
    """

    def __init__(self, workdir: Path) -> None:
        self.folder = workdir / TRASH
        self.mark = workdir / DELETED_MARK
        self.count = 0

    def retire(self, path: Path) -> None:
        if path.exists():
            self.folder.mkdir(exist_ok=True)
            self.count += 1
            path.rename(self.folder / f"{self.count}-{path.name}")

    def deleted(self, count: int) -> None:
        """``count`` files and folders were deleted just now."""
        if count >= FORGET_AFTER:  # a few hundred, as a tiny archive leaves, cost nothing
            self.mark.touch()

    def empty(self) -> None:
        if self.folder.exists():
            count = entries(self.folder)
            shutil.rmtree(self.folder)
            self.deleted(count)

    def wait_out(self) -> None:
        """Wait until the file system no longer skips the inodes last deleted in bulk."""
        if not self.mark.exists():
            return
        if hasattr(os, "sync"):
            os.sync()
        remaining = self.mark.stat().st_mtime + FORGET_DELETIONS - time.time()
        if remaining > 0:
            time.sleep(remaining)
        self.mark.unlink()

    def forget(self) -> None:
        """Delete what was put aside (an interrupted run's), and wait until the file system no longer skips those
        inodes."""
        self.empty()
        self.wait_out()

    def take_replaced(self, workdir: Path) -> None:
        """Put aside the outputs our builds replaced (``.pressroom-old-*``, left by them)."""
        for replaced in sorted(workdir.glob(".pressroom-old-*")):
            self.retire(replaced)


def measure(command: list[str], env: dict[str, str] | None, trash: Trash) -> dict[str, float]:
    """Run ``command``; return its wall time (s), CPU time (s: user and system, with the processes it waited
    for, Pagefind's and its forked workers') and peak resident memory (MiB).

    It starts on a quiet disk: no bulk deletion in the last minutes (``Trash``), and the last build's files
    written out (``os.sync``), as those still being written would slow it too."""
    workdir = Path(command[command.index("-o") + 1]).parent if "-o" in command else ROOT
    trash.take_replaced(workdir)
    trash.wait_out()
    if hasattr(os, "sync"):
        os.sync()
    with tempfile.TemporaryFile() as log:  # a file, not a pipe: a chatty build must not block
        started = time.perf_counter()
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=build_environment(env),
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        code = os.waitstatus_to_exitcode(status)
        if code != 0:
            log.seek(0)
            raise RuntimeError(f"{' '.join(command)} failed ({code}):\n{log.read().decode('utf-8', 'replace')[-3000:]}")
    trash.take_replaced(workdir)
    return {
        "seconds": round(seconds, 2),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_mib": round(usage.ru_maxrss / 1024, 1),
    }


def summarise(runs: list[dict[str, float]]) -> dict:
    """Several runs of one build: the median times, the largest peak, every time."""
    return {
        "seconds": round(statistics.median(run["seconds"] for run in runs), 2),
        "cpu_seconds": round(statistics.median(run["cpu_seconds"] for run in runs), 2),
        "peak_mib": max(run["peak_mib"] for run in runs),
        "runs": [run["seconds"] for run in runs],
        "cpu_runs": [run["cpu_seconds"] for run in runs],
    }


def pages(output: Path) -> int:
    return sum(1 for _ in output.rglob("*.html"))


def change_one_release(content: Path) -> Path:
    first = sorted((content / "releases").rglob("*.vi.md"))[len(list((content / "releases").rglob("*.vi.md"))) // 2]
    text = first.read_text(encoding="utf-8")
    first.write_text(text.rstrip("\n") + "\n\nĐoạn bổ sung sau khi sửa.\n", encoding="utf-8")
    return first


#: The releases ``add_one_release`` writes, removed when a run starts (the generated archive is kept between runs).
ADDED = "thong-cao-moi-{number:02d}.vi.md"
ADDED_GLOB = "thong-cao-moi-*.vi.md"


def add_one_release(content: Path, number: int) -> Path:
    """Publishing, the most common build: a release after every other, in the newest year, so its agency's,
    topics', year's and language's listings and feeds, the home page and its year's search bundle change."""
    newest = max((content / "releases").rglob("thong-cao-[0-9]*.vi.md"), key=lambda path: path.name)
    header, body = newest.read_text(encoding="utf-8").split("\n\n", 1)
    fields = dict(line.split(": ", 1) for line in header.splitlines())
    date = datetime.strptime(fields["Date"], "%Y-%m-%d %H:%M") + timedelta(minutes=number + 1)
    fields.update(Title=f"Thông cáo mới số {number}", Date=f"{date:%Y-%m-%d %H:%M}")
    added = newest.with_name(ADDED.format(number=number))
    added.write_text("\n".join(f"{k}: {v}" for k, v in fields.items()) + "\n\n" + body, encoding="utf-8")
    return added


#: What ``changed_theme`` adds to every page's footer.
THEME_CHANGE = '<p class="footer-note">Trang thử nghiệm giao diện mới.</p>'


def changed_theme(workdir: Path) -> Path:
    """A copy of the project's theme with a line more in every page's footer (``themedconf.py`` builds with it)."""
    theme = workdir / "theme-changed"
    shutil.rmtree(theme, ignore_errors=True)
    shutil.copytree(ROOT / "theme", theme)
    footer = theme / "templates" / "partials" / "footer.html"
    text = footer.read_text(encoding="utf-8")
    if "</footer>" not in text:
        raise RuntimeError(f"{footer} has no </footer>: change changed_theme with it")
    footer.write_text(text.replace("</footer>", THEME_CHANGE + "\n</footer>"), encoding="utf-8")
    return theme


def restore_as_ci_does(content: Path, output: Path, cache: Path, retire=shutil.rmtree) -> None:
    """How a CI job starts: a fresh checkout (every content file's time new), and the last build's output and
    cache copied back by the CI cache step (new inodes, the files' times kept). ``retire`` takes the folders
    the copies replace (a CI runner starts with neither)."""
    for folder in (output, cache):
        restored = folder.with_name(f"{folder.name}-restored")
        shutil.rmtree(restored, ignore_errors=True)
        shutil.copytree(folder, restored, symlinks=True)
        retire(folder)
        restored.rename(folder)
    now = time.time()
    for path in content.rglob("*"):
        os.utime(path, (now, now))


def run_size(count: int, workdir: Path, repeat: int = 1, trash: Trash | None = None) -> dict:
    """The seven builds at ``count`` releases, ``repeat`` rounds; ``trash`` is the run's: nothing is deleted
    until it ends."""
    content = workdir / f"content-{count}"
    if not content.exists():
        generate(content, count)
    for added in (content / "releases").rglob(ADDED_GLOB):
        added.unlink()  # an earlier run's
    releases = sum(1 for _ in (content / "releases").rglob("*.md"))
    result: dict = {"releases": count, "release_files": releases}

    stock_out = workdir / f"stock-{count}"
    stock_command = [PYTHON, "-m", "pelican", str(content), "-o", str(stock_out)]
    stock_command += ["-s", str(ROOT / "benchmarks" / "stockconf.py"), "-q"]
    ours_out = workdir / f"pressroom-{count}"
    cache = workdir / f"cache-{count}"
    command = [PYTHON, "-m", "pressroom", "-i", str(content), "-o", str(ours_out), "build"]
    themed_command = [*command[:3], "-s", str(ROOT / "benchmarks" / "themedconf.py"), *command[3:]]
    # The output a build replaces is left beside it, for the harness to put aside (see ``Trash``).
    env = {"PRESSROOM_CACHE_PATH": str(cache), "PRESSROOM_KEEP_REPLACED_OUTPUT": "1"}
    themed_env = {**env, "PRESSROOM_BENCH_THEME": str(changed_theme(workdir))}

    trash = trash or Trash(workdir)

    def empty() -> None:
        trash.retire(ours_out)
        trash.retire(cache)

    # Round by round, each build beside stock Pelican's: this machine's speed drifts by
    # 10 to 30% over minutes, and a ratio of builds run minutes apart drifts with it.
    runs: dict[str, list[dict[str, float]]] = {key: [] for key in ROWS}
    rounds = []
    for _ in range(repeat):
        trash.wait_out()  # the last run's deletion
        trash.retire(stock_out)
        runs["stock"].append(measure(stock_command, None, trash))
        empty()
        runs["full"].append(measure(command, env, trash))
        # Every page rendered again, from parsed content kept in the cache (a CI run after
        # a template change, with the cache restored): no live output to start from.
        trash.retire(ours_out)
        runs["full_warm"].append(measure(command, env, trash))
        change_one_release(content)
        runs["rebuild"].append(measure(command, env, trash))
        add_one_release(content, len(rounds))
        runs["publish"].append(measure(command, env, trash))
        # The same in a CI job, which keeps nothing between runs but what its cache step restores.
        restore_as_ci_does(content, ours_out, cache, retire=trash.retire)
        change_one_release(content)
        runs["ci_rebuild"].append(measure(command, env, trash))
        # A change every page shows around its text (a template, a style, a UI string), in the next CI job:
        # every page rendered again, from the restored output and cache.
        restore_as_ci_does(content, ours_out, cache, retire=trash.retire)
        runs["sitewide"].append(measure(themed_command, themed_env, trash))
        stock = runs["stock"][-1]["seconds"]
        rounds.append(
            {f"{key}_vs_stock_time": round(runs[key][-1]["seconds"] / stock, 3) for key in ROWS if key != "stock"}
        )
    for key in ROWS:
        result[key] = summarise(runs[key])
        result[key]["pages"] = pages(stock_out if key == "stock" else ours_out)
        entry = result[key]
        entry["pages_per_second"] = round(entry["pages"] / entry["seconds"], 1) if entry["seconds"] else None
    result["rounds"] = rounds
    result["ratios"] = {
        "full_vs_stock_time": round(statistics.median(r["full_vs_stock_time"] for r in rounds), 3),
        "full_warm_vs_stock_time": round(statistics.median(r["full_warm_vs_stock_time"] for r in rounds), 3),
        "rebuild_vs_stock_time": round(statistics.median(r["rebuild_vs_stock_time"] for r in rounds), 3),
        "publish_vs_stock_time": round(statistics.median(r["publish_vs_stock_time"] for r in rounds), 3),
        "ci_rebuild_vs_stock_time": round(statistics.median(r["ci_rebuild_vs_stock_time"] for r in rounds), 3),
        "sitewide_vs_stock_time": round(statistics.median(r["sitewide_vs_stock_time"] for r in rounds), 3),
        # The largest peak of any of our builds (the name is kept from when only full builds counted).
        "full_vs_stock_memory": round(
            max(result[key]["peak_mib"] for key in ROWS if key != "stock") / result["stock"]["peak_mib"], 3
        ),
        "seconds_per_release": round(result["full"]["seconds"] / count, 5),
    }
    return result


#: The size the growth target measures from.
GROWTH_BASE = 5000


def table(results: list[dict]) -> str:
    lines = [f"{'N':>6}  {'build':<{WIDTH}} {'seconds':>8} {'CPU s':>7} {'peak MiB':>9} {'pages':>7} {'pages/s':>8}"]
    for result in results:
        for key, label in ROWS.items():
            entry = result[key]
            lines.append(
                f"{result['releases']:>6}  {label:<{WIDTH}} {entry['seconds']:>8.2f} {entry['cpu_seconds']:>7.1f} "
                f"{entry['peak_mib']:>9.1f} {entry['pages']:>7} {entry['pages_per_second']:>8}"
            )
        ratios = result["ratios"]
        lines.append(
            f"{'':>6}  ratios: full/stock {ratios['full_vs_stock_time']:.2f} (target <= 0.5; "
            f"{ratios['full_warm_vs_stock_time']:.2f} with the cache warm), "
            f"rebuild/stock {ratios['rebuild_vs_stock_time']:.2f} (<= 0.1; "
            f"{ratios['ci_rebuild_vs_stock_time']:.2f} in CI, "
            f"{ratios['publish_vs_stock_time']:.2f} for a new release; "
            f"{ratios['sitewide_vs_stock_time']:.2f} with every page changed), "
            f"memory (our largest peak)/stock {ratios['full_vs_stock_memory']:.2f} (<= 1.5)"
        )
    # The target compares the largest size with 5,000 releases (else the smallest measured).
    base = next((result for result in results if result["releases"] == GROWTH_BASE), results[0])
    if results[-1] is not base:
        small, large = base["ratios"]["seconds_per_release"], results[-1]["ratios"]["seconds_per_release"]
        lines.append(
            f"growth: time per release at N={results[-1]['releases']} is {large / small:.2f}x "
            f"that at N={base['releases']} (target <= 1.2)"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 5000])
    parser.add_argument("--workdir", type=Path, default=ROOT / ".bench")
    parser.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "results.json")
    parser.add_argument("--repeat", type=int, default=1, help="rounds of the seven builds; report the medians")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    args.workdir.mkdir(parents=True, exist_ok=True)
    trash = Trash(args.workdir)
    trash.forget()  # an interrupted run's folders
    results = [run_size(count, args.workdir, args.repeat, trash) for count in args.sizes]
    trash.empty()
    report = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "system": platform.platform()},
        "repeat": args.repeat,
        "results": results,
    }
    args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(table(results))
    print(f"figures written to {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
