#!/usr/bin/env python3
"""The measuring half of scripts/bench.sh (run that, not this): times the
terminal commands as whole processes against ../shared/bench/baseline.py and
the sqlite3 CLI, runs the window benchmark (tests/src/bin/window_bench/)
under Xvfb, and prints the table of issue #9 ("The benchmark"), also written
to target/bench/results.json and target/bench/results.md.

Python's standard library only. Every whole-process time is the wall clock
from just before the process is spawned to its exit (os.wait4, which also
gives its CPU time and peak RSS, kept in the JSON).
"""
import argparse, datetime, json, os, platform, shutil, statistics, subprocess, sys, time

# The release binary before the crate split, which was the single binary:
# commit 9db064e ("One KeyPlaces::temporary for in-memory stores, tests and
# the benchmark; cargo fmt"), built once with `cargo build --release --locked`
# in a worktree with its own target dir (rustc 1.95.0, Debian 12, x86_64);
# `stat -c %s target/release/bot-credentials` gave this (13.57 MiB, stripped).
OLD_SINGLE_BINARY_BYTES = 14_232_400
OLD_SINGLE_BINARY_COMMIT = "9db064e"

ONE_FRAME_MS = 1000 / 60  # 16.7 ms


def log(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def run_timed(cmd, env=None, stdout=None):
    """Spawns cmd, waits for it; returns (ms, user+sys CPU ms, peak RSS KiB). Fails loudly on exit != 0."""
    out = open(stdout, "wb") if stdout else subprocess.DEVNULL
    try:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.PIPE)
        # Read stderr only after the exit: these commands say little there, and
        # os.wait4 must reap the child itself to get its resource usage.
        _, status, ru = os.wait4(p.pid, 0)
        t1 = time.perf_counter()
        p.returncode = os.waitstatus_to_exitcode(status)
        err = p.stderr.read().decode(errors="replace")
        p.stderr.close()
    finally:
        if stdout:
            out.close()
    if p.returncode != 0:
        sys.exit(f"bench: {' '.join(map(str, cmd))} exited {p.returncode}:\n{err}")
    return (t1 - t0) * 1000, (ru.ru_utime + ru.ru_stime) * 1000, ru.ru_maxrss


def rm(*paths):
    for p in paths:
        if os.path.isdir(p):
            shutil.rmtree(p)
        elif os.path.lexists(p):
            os.remove(p)


def fresh_dir(path):
    rm(path)
    os.makedirs(path)
    return path


class Cli:
    """Our binary on a database in its own folder, as the issue asks: --db,
    XDG_CONFIG_HOME in that folder (the key file), no system keyring."""

    def __init__(self, binary, folder):
        self.binary, self.folder = binary, folder
        self.db = os.path.join(folder, "credentials.sqlite3")
        self.env = dict(os.environ, XDG_CONFIG_HOME=os.path.join(folder, "config"), BOT_CREDENTIALS_KEYRING="off")
        self.env.pop("BOT_CREDENTIALS_DB", None)

    def cmd(self, *args):
        return [self.binary, "--db", self.db, *args]


def sample(samples, record, what, cmd, env=None, stdout=None):
    ms, cpu, rss = run_timed(cmd, env=env, stdout=stdout)
    samples.setdefault(what, []).append(ms)
    record.setdefault(what, []).append({"ms": round(ms, 2), "cpu_ms": round(cpu, 2), "max_rss_kib": rss})


def cli_measurements(a, work):
    """Import, export and org list: ours and the baselines, alternating, a.runs times."""
    py, base = a.python, os.path.join(a.shared, "bench", "baseline.py")
    times, detail = {}, {}
    cli = fresh_dir(os.path.join(work, "cli"))

    # Unmeasured first imports: they make the databases export and org list read
    # (and warm the page cache with the data set and the binaries).
    ours_db = Cli(a.bin, fresh_dir(os.path.join(cli, "ours")))
    run_timed(ours_db.cmd("import", a.dataset), env=ours_db.env)
    base_db = os.path.join(cli, "baseline.sqlite3")
    rm(base_db)
    run_timed([py, base, "import", a.dataset, base_db])

    for r in range(a.runs):
        log(f"terminal commands, run {r + 1}/{a.runs}")
        flip = r % 2 == 1  # alternate who goes first

        # import into an empty database (no file yet, as a first import finds it)
        target = Cli(a.bin, fresh_dir(os.path.join(cli, "import-ours")))
        bdb = os.path.join(cli, "import-baseline.sqlite3")
        rm(bdb, bdb + "-wal", bdb + "-shm")
        steps = [lambda: sample(times, detail, "import/ours", target.cmd("import", a.dataset), env=target.env),
                 lambda: sample(times, detail, "import/baseline.py", [py, base, "import", a.dataset, bdb])]
        for s in (reversed(steps) if flip else steps):
            s()
        rm(target.folder, bdb, bdb + "-wal", bdb + "-shm")

        # export with secrets, each to a file it creates
        outs = [os.path.join(cli, f"export-{n}.json") for n in ("ours", "baseline", "sqlite3")]
        rm(*outs)
        steps = [lambda: sample(times, detail, "export/ours",
                                ours_db.cmd("export", "--include-secrets", "-o", outs[0]), env=ours_db.env),
                 lambda: sample(times, detail, "export/baseline.py", [py, base, "export", base_db, outs[1]]),
                 lambda: sample(times, detail, "export/sqlite3", ["sqlite3", "-json", base_db, "SELECT * FROM credentials"],
                                stdout=outs[2])]
        for s in (reversed(steps) if flip else steps):
            s()
        rm(*outs)

        # org list (names and counts) to /dev/null
        count_sql = ("SELECT o.name, count(c.id) FROM organizations o LEFT JOIN credentials c "
                     "ON c.organization_id = o.id GROUP BY o.id ORDER BY o.name_key")
        steps = [lambda: sample(times, detail, "org list/ours", ours_db.cmd("org", "list"), env=ours_db.env),
                 lambda: sample(times, detail, "org list/sqlite3", ["sqlite3", base_db, count_sql])]
        for s in (reversed(steps) if flip else steps):
            s()
    return times, detail


def window_measurements(a, work):
    out = os.path.join(work, "window.json")
    rm(out)
    cmd = [a.window_bench, "--app", a.bin, "--dataset", a.dataset, "--runs", str(a.runs),
           "--work", fresh_dir(os.path.join(work, "window")), "--out", out]
    for q in a.query:
        cmd += ["--query", q]
    log("window (tauri-driver under Xvfb): " + " ".join(cmd))
    t0 = time.perf_counter()
    subprocess.run(["xvfb-run", "-a", "-s", "-screen 0 1280x1024x24", *cmd], check=True, stdin=subprocess.DEVNULL)
    log(f"window part took {time.perf_counter() - t0:.0f} s")
    with open(out) as f:
        return json.load(f)


def stats(xs):
    xs = [x for x in xs if x is not None]
    if not xs:
        return None
    return {"median": statistics.median(xs), "min": min(xs), "max": max(xs), "samples": xs}


def row(name, unit, ours, baseline_name, baseline, goal):
    o, b = stats(ours), stats(baseline)
    ratio = o["median"] / b["median"] if o and b and b["median"] else None
    return {"measurement": name, "unit": unit, "ours": o, "baseline": {"name": baseline_name, **(b or {})},
            "ratio": ratio, "goal": goal, "met": ratio is not None and ratio <= goal}


def fmt(v, unit):
    if v is None:
        return "-"
    if unit == "MiB":
        return f"{v / 1024:.1f}" if v > 0 else "0"
    if unit == "ms":
        return f"{v:.1f}" if v < 100 else f"{v:.0f}"
    return f"{v:.2f}"


def fmt_ratio(r):
    if r["ratio"] is None:
        return "-"
    text = f"{r['ratio']:.2f}"
    if float(text) == r["goal"] and not r["met"]:
        text = f"{r['ratio']:.3f}"  # 0.502 is not 0.50
    return text + "×"


def render(rows, tiny):
    head = ["measurement", "ours median", "min", "max", "baseline (median)", "ratio", "goal", "met"]
    body = []
    for r in rows:
        u, o, b = r["unit"], r["ours"] or {}, r["baseline"]
        body.append([r["measurement"], f"{fmt(o.get('median'), u)} {u}", fmt(o.get("min"), u), fmt(o.get("max"), u),
                     f"{b['name']}: {fmt(b.get('median'), u)} {u}",
                     fmt_ratio(r), f"≤ {r['goal']:g}×",
                     ("(not judged)" if tiny else "yes" if r["met"] else "NO")])
    widths = [max(len(x[i]) for x in [head] + body) for i in range(len(head))]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()
    text = "\n".join([line(head), line(["-" * w for w in widths])] + [line(b) for b in body])
    md = "\n".join(["| " + " | ".join(head) + " |", "|" + "---|" * len(head)] + ["| " + " | ".join(b) + " |" for b in body])
    return text, md


def cpu_busy(seconds=2.0):
    """How busy the CPUs are right now (0..1, from /proc/stat over `seconds`), or None:
    other work on the machine (a build, another benchmark) makes the figures noisy."""
    def read():
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
        return sum(v), v[3] + v[4]  # total, idle + iowait
    try:
        t0, i0 = read()
        time.sleep(seconds)
        t1, i1 = read()
    except (OSError, ValueError, IndexError):
        return None
    return round(1 - (i1 - i0) / max(t1 - t0, 1), 2)


def machine():
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "")
    except OSError:
        pass
    return {"cpu": cpu, "cpus": os.cpu_count(), "kernel": platform.release(), "python": sys.version.split()[0]}


def print_table(result, out_dir=None):
    text, md = render(result["rows"], result["tiny"])
    if out_dir:
        with open(os.path.join(out_dir, "results.md"), "w") as f:
            f.write(md + "\n\n" + "\n".join(f"- {x}" for x in result["notes"]) + "\n")
    print()
    print(text)
    print()
    for x in result["notes"]:
        print(f"- {x}")


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--render":
        # Prints the table of an earlier run again: bench.py --render target/bench/results.json
        with open(sys.argv[2]) as f:
            print_table(json.load(f))
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", required=True, help="our bot-credentials binary")
    ap.add_argument("--window-bench", required=True, help="the window_bench binary of the tests crate")
    ap.add_argument("--dataset", required=True)
    ap.add_argument("--dataset-args", default="")
    ap.add_argument("--shared", required=True, help="the shared folder (bench/baseline.py)")
    ap.add_argument("--python", default=sys.executable, help="the interpreter baseline.py runs with")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--profile", default="release")
    ap.add_argument("--tiny", action="store_true")
    ap.add_argument("--query", action="append", default=[])
    ap.add_argument("--credentials", type=int, required=True)
    ap.add_argument("--big", type=int, required=True)
    ap.add_argument("--out-dir", required=True)
    a = ap.parse_args()
    work = fresh_dir(os.path.join(a.out_dir, "work"))

    load_before = cpu_busy()
    started = time.perf_counter()
    times, cli_detail = cli_measurements(a, work)
    log(f"terminal part took {time.perf_counter() - started:.0f} s")
    win = window_measurements(a, work)

    binaries = {n: os.path.getsize(os.path.join(os.path.dirname(a.bin), n))
                for n in ("bot-credentials", "bot-credentials-window")}
    n, big = f"{a.credentials:,}", f"{a.big:,}"
    old = f"{OLD_SINGLE_BINARY_COMMIT} single binary"
    rows = [
        row(f"import of the {n} file, empty db (process)", "ms", times["import/ours"],
            "baseline.py import", times["import/baseline.py"], 0.5),
        row(f"export --include-secrets of {n} (process)", "ms", times["export/ours"],
            "baseline.py export", times["export/baseline.py"], 0.5),
        row(f"export --include-secrets of {n} (process)", "ms", times["export/ours"],
            "sqlite3 -json", times["export/sqlite3"], 2),
        row(f"org list on {n} (process)", "ms", times["org list/ours"],
            "sqlite3 count", times["org list/sqlite3"], 2),
        row(f"window start to picker, {n} db", "ms", win["start_ms"]["big"],
            "empty db", win["start_ms"]["empty"], 1.2),
        row(f"open the {big} org: click to rows painted", "ms", win["open_ms"]["big"],
            "org of 10", win["open_ms"]["ten"], 1.5),
        row(f"Search on {big}: keystroke to repaint, median", "ms", win["search"]["median_ms"],
            "one frame", [ONE_FRAME_MS], 1),
        row(f"Search on {big}: keystroke to repaint, p95", "ms", win["search"]["p95_ms"],
            "one frame", [ONE_FRAME_MS], 1),
        row(f"RSS of app + WebKit, {big} list open", "MiB", win["memory_kib"]["big"],
            "empty db", win["memory_kib"]["empty"], 1.3),
        row("size of bot-credentials", "MiB", [binaries["bot-credentials"] / 1024],
            old, [OLD_SINGLE_BINARY_BYTES / 1024], 1),
        row("size of bot-credentials-window", "MiB", [binaries["bot-credentials-window"] / 1024],
            old, [OLD_SINGLE_BINARY_BYTES / 1024], 1),
    ]
    unchanged = sum(r.get("unchanged", 0) for r in win["search"]["runs"])
    keystrokes = sum(r.get("keystrokes", 0) for r in win["search"]["runs"])
    notes = [f"{a.runs} runs each, ours and the baseline alternating; times are whole processes (terminal) "
             f"or in-page performance.now() after two animation frames (window, Xvfb); "
             f"{a.profile} build; Search: {keystrokes} keystrokes ({', '.join(a.query) or 'default queries'} typed, "
             f"then cleared), median and p95 per run" + (f", {unchanged} without a count change left out" if unchanged else "")]
    floor = win["search"].get("two_idle_frames_ms") or []
    if floor:
        notes.append(f"two animation frames with nothing to paint take {statistics.median(floor):.1f} ms here "
                     f"(median): the least any window figure can be, as each ends two frames after the change")
    if a.profile != "release":
        notes.append(f"the {a.profile} build was measured (--tiny), so sizes and times say nothing about a release")
    load_after = cpu_busy()
    busy = max(x for x in (load_before, load_after, 0) if x is not None)
    if busy > 0.25:
        pct = lambda x: "?" if x is None else f"{x:.0%}"
        notes.append(f"other work was running: the CPUs were {pct(load_before)} busy before the measurements "
                     f"and {pct(load_after)} after, so the figures are noisier than on an idle machine")
    if a.tiny:
        notes.append("tiny run: checks that the benchmark works; the numbers are not judged")

    result = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "tiny": a.tiny, "profile": a.profile, "runs": a.runs, "dataset_args": a.dataset_args,
        "credentials": a.credentials, "big_org": a.big, "python": a.python,
        "machine": {**machine(), "cpu_busy_before": load_before, "cpu_busy_after": load_after},
        "rows": rows, "notes": notes,
        "binaries_bytes": binaries, "old_single_binary_bytes": OLD_SINGLE_BINARY_BYTES,
        "terminal_detail": cli_detail, "window": win,
    }
    os.makedirs(a.out_dir, exist_ok=True)
    with open(os.path.join(a.out_dir, "results.json"), "w") as f:
        json.dump(result, f, indent=2)
    print_table(result, a.out_dir)
    print(f"\nwritten: {os.path.join(a.out_dir, 'results.json')} and results.md")


if __name__ == "__main__":
    main()
