"""The move part of scripts/bench.sh (docs/benchmarks.md): `spirit move` of sbtest1 from each benchmark server to a
second server of its flavour, under the same sysbench write load, against what an operator would do otherwise,
`mysqldump --single-transaction | mysql` into the target, which keeps none of the writes made meanwhile.

The application is switched by spirit's --cutover-hook, as the operator's sequence says (docs/move.md): the hook stops
the load, so every second the application ran is one it ran against the source before the cutover."""

import os
import signal
import subprocess
import time

import bench as b

TOOLS = [s.strip() for s in os.environ.get("BENCH_MOVE_TOOLS", "spirit,spirit_deferred_indexes,dump").split(",")
         if s.strip()]
# Issue 14's targets: the same on every server profile.
TARGETS = {"spirit_vs_dump_wall_ratio_max": 1.0, "app_worst_p95_ms_max": 50.0}
# spirit's variants: its defaults (upstream's), and the flag that builds the target's secondary indexes after the copy.
SPIRIT_VARIANTS = {"spirit": [], "spirit_deferred_indexes": ["--defer-secondary-indexes"]}


def dsn(server):
    return "%s:%s@tcp(%s:%d)/%s" % (b.USER, b.PASSWORD, server["host"], server["port"], b.DB)


def command(tool, source, target, load_pid):
    if tool in SPIRIT_VARIANTS:
        return ([os.path.join(b.REPO, "bin", "spirit"), "move", "--source-dsn", dsn(source), "--target-dsn",
                 dsn(target), "--cutover-hook", "kill -TERM %d" % load_pid] + SPIRIT_VARIANTS[tool]
                + b.SPIRIT_EXTRA_ARGS)
    if tool == "dump":
        return ["bash", "-c", "set -o pipefail; mysqldump -h%s -P%d -u%s -p%s --single-transaction %s %s"
                " | mysql -h%s -P%d -u%s -p%s %s" % (source["host"], source["port"], b.USER, b.PASSWORD, b.DB,
                                                     b.TABLE, target["host"], target["port"], b.USER, b.PASSWORD,
                                                     b.DB)]
    raise ValueError(tool)


def count(server, table):
    out = b.mysql(server, "SELECT COUNT(*) FROM %s.%s" % (b.DB, table), check=False).strip()
    return int(out) if out.isdigit() else None


def run_move(source, target, rows, tool):
    base = os.path.join(b.WORK, "move-%s-%d-%s" % (source["id"], rows, tool))
    restore_s = b.restore(source, rows)
    b.mysql(target, "DROP DATABASE IF EXISTS %s; CREATE DATABASE %s" % (b.DB, b.DB))
    load_log = base + ".sysbench.log"
    load_cmd = ["sysbench", "oltp_write_only"] + b.sysbench_conn(source, b.DB) + [
        "--tables=1", "--table-size=%d" % rows] + b.SYSBENCH_LOAD_FLAGS + ["run"]
    with open(load_log, "w") as lf:
        t0 = time.time()
        load = subprocess.Popen(load_cmd, stdout=lf, stderr=subprocess.STDOUT)
        cmd = command(tool, source, target, load.pid)
        b.log("%s -> %s %d rows move %s: restored in %.1fs; load on, then %s"
              % (source["id"], target["id"], rows, tool, restore_s, " ".join(cmd[:2]) + " ..."))
        time.sleep(b.WARMUP_S)
        rc, start, end, timev, _, err_path = b.timed(cmd, base)
        time.sleep(1.5)
        load_alive = load.poll() is None
        if load_alive:
            load.send_signal(signal.SIGTERM)
        try:
            load.wait(10)
        except subprocess.TimeoutExpired:
            load.kill()
            load.wait()
    with open(err_path) as f:
        err_text = f.read()
    moved = count(target, b.TABLE)
    expected = count(source, b.TABLE + "_old") if tool in SPIRIT_VARIANTS else rows
    r = {
        "source": source["id"], "target": target["id"], "rows": rows, "tool": tool, "command": cmd, "exit": rc,
        "wall_s": round(end - start, 2), "restore_s": round(restore_s, 1),
        "rows_on_target": moved, "rows_expected": expected,
        "complete": moved is not None and moved == expected,
        # The load only stops at the end for the dump; spirit's hook stopped it at the cutover.
        "app": b.app_window(load_log, t0, start, end, load_alive),
    }
    r.update(b.parse_time_v(timev))
    if tool in SPIRIT_VARIANTS:
        r["spirit"] = b.parse_spirit(err_text)
        r["output_tail"] = err_text.strip().splitlines()[-6:]
    else:
        r["peak_rss_note"] = "the bash pipeline's RSS (mysqldump and mysql)"
        r["writes_lost_note"] = "the dump is a snapshot: the application's writes while it ran are not on the target"
    b.log("  -> exit %s, %.1fs, worst p95 %s ms, errors %d, rss %s MB, %s of %s rows on the target"
          % (rc, r["wall_s"], r["app"]["worst_p95_ms"], r["app"]["errors"], r.get("peak_rss_mb"), moved, expected))
    return r


def evaluate(runs):
    out = []
    for sid in dict.fromkeys(r["source"] for r in runs):
        by = {r["tool"]: r for r in runs if r["source"] == sid}
        for variant in SPIRIT_VARIANTS:
            s = by.get(variant)
            if not s:
                continue
            e = {"source": sid, "variant": variant,
                 "spirit_over_dump": b.ratio(s["wall_s"], by["dump"]["wall_s"]) if "dump" in by else None}
            t = {}
            if e["spirit_over_dump"] is not None:
                t["wall <= 1.0 x dump-load"] = e["spirit_over_dump"] <= TARGETS["spirit_vs_dump_wall_ratio_max"]
            p95 = s["app"]["worst_p95_ms"]
            t["app worst p95 <= 50 ms"] = p95 is not None and p95 <= TARGETS["app_worst_p95_ms_max"]
            t["0 app errors"] = s["app"]["errors"] <= b.TARGETS["app_errors_max"]
            t["checksum clean"] = s.get("spirit", {}).get("checksum_clean", False)
            t["spirit peak RSS <= 512 MB"] = s.get("peak_rss_mb", 1e9) <= b.TARGETS["spirit_peak_rss_mb_max"]
            t["exit 0 and every row moved"] = s["exit"] == 0 and s["complete"]
            e["targets"] = t
            out.append(e)
    return out


def markdown(runs, evaluation):
    lines = []
    if not runs:
        return lines
    lines += ["", "### move, %s rows, %s profile" % ("{:,}".format(runs[0]["rows"]), b.PROFILE), "",
              "| source -> target | tool | wall s | app worst p95 ms | app errors | peak RSS MB | exit | rows on target"
              " | spirit phases |", "|---|---|---:|---:|---:|---:|---:|---|---|"]
    for r in runs:
        ph = ", ".join("%s %s" % (k, b.fmt(v)) for k, v in r.get("spirit", {}).get("phases_s", {}).items()
                       if v is not None and v >= 0.05)
        lines.append("| %s -> %s | %s | %s | %s | %d | %s | %s | %s of %s | %s |" % (
            r["source"], r["target"], r["tool"], b.fmt(r["wall_s"]), b.fmt(r["app"]["worst_p95_ms"]),
            r["app"]["errors"], b.fmt(r.get("peak_rss_mb")), r["exit"], r["rows_on_target"], r["rows_expected"],
            ph + ("; checksum clean" if r.get("spirit", {}).get("checksum_clean") else "")))
    if evaluation:
        lines += ["", "| source | spirit | spirit / dump-load | targets not met |", "|---|---|---:|---|"]
        for e in evaluation:
            miss = [k for k, v in e["targets"].items() if v is False]
            lines.append("| %s | %s | %s | %s |" % (e["source"], e["variant"], b.fmt(e["spirit_over_dump"], 2),
                                                    ", ".join(miss) if miss else "none"))
    return lines
