#!/usr/bin/env python3
"""Benchmark driver for scripts/bench.sh (see docs/benchmarks.md). Not meant to be run alone: bench.sh installs the
tools, builds target/spirit.jar, starts the servers and passes their ports file here.

For every server, change and tool: restore a freshly prepared sysbench table, start `sysbench oltp_write_only` as the
application, run the tool under /usr/bin/time -v, stop the load when the tool ends, and keep only the application's
per-second reports that fall inside the tool's window."""

import datetime
import json
import os
import platform
import re
import signal
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(REPO, "bench", "work")
RESULTS = os.path.join(REPO, "bench", "results")
USER = PASSWORD = "spirit"
DB = "sbtest"
TABLE = "sbtest1"

ROWS = int(os.environ.get("BENCH_ROWS", "1000000"))
SERVERS = [s.strip() for s in os.environ.get("BENCH_SERVERS", "mysql,mariadb").split(",") if s.strip()]
TOOLS = [s.strip() for s in os.environ.get("BENCH_TOOLS", "spirit,ptosc,ghost,floor,copy").split(",") if s.strip()]
# The online peers; the fastest of them that completed is what spirit is measured against.
PEERS = ("ptosc", "ghost")
# gh-ost v1.1.6, built offline by ../shared/peers/build-gh-ost.sh (bench.sh builds it when BENCH_TOOLS has ghost).
GHOST = os.environ.get("BENCH_GHOST", "gh-ost")
# The server profile this run's servers were started with (bench.sh: BENCH_PROFILES, one server start per profile).
PROFILE = os.environ.get("BENCH_PROFILE", "fast")
CHANGES = [s.strip() for s in os.environ.get("BENCH_CHANGES", "add_column,add_index,modify_column").split(",")
           if s.strip()]
SCALE = [int(s) for s in os.environ.get("BENCH_SCALE", "").split(",") if s.strip()]
SCALE_CHANGES = [s.strip() for s in os.environ.get("BENCH_SCALE_CHANGES", "add_index").split(",") if s.strip()]
WARMUP_S = float(os.environ.get("BENCH_WARMUP", "5"))
TOOL_TIMEOUT_S = float(os.environ.get("BENCH_TOOL_TIMEOUT", "3600"))
SPIRIT_JAVA_OPTS = os.environ.get("BENCH_SPIRIT_JAVA_OPTS", "").split()
# spirit runs through its launcher, as operators run it: bin/spirit passes JAVA_OPTS to the JVM and starts it at
# niceness SPIRIT_NICE (default 0, the harness's own priority).
os.environ["JAVA_OPTS"] = " ".join(SPIRIT_JAVA_OPTS)
SPIRIT_NICE = os.environ.get("SPIRIT_NICE", "0")
# bin/spirit's class-data archive (SPIRIT_CDS, default 1): made by the first migrate with this jar and JDK. The
# benchmark makes it in a priming run before measuring, as any operator's second and later runs have it.
SPIRIT_CDS = os.environ.get("SPIRIT_CDS", "1")
SPIRIT_EXTRA_ARGS = os.environ.get("BENCH_SPIRIT_ARGS", "").split()
# Moves to a second server of each flavour (scripts/bench_move.py); BENCH_MOVE=0 skips them.
MOVE = os.environ.get("BENCH_MOVE", "1") != "0"
# Changes to take apart without load (see breakdown_one); empty = skip.
BREAKDOWN = [s.strip() for s in os.environ.get("BENCH_BREAKDOWN", "modify_column").split(",") if s.strip()]

CHANGE_CLAUSES = {
    "add_column": "ADD COLUMN bench_note VARCHAR(32) NOT NULL DEFAULT ''",
    "add_index": "ADD INDEX bench_c (c)",
    "modify_column": "MODIFY pad VARCHAR(80) NOT NULL DEFAULT ''",
}
# How SHOW CREATE TABLE proves the change landed.
CHANGE_PROOF = {
    "add_column": re.compile(r"`bench_note` varchar\(32\)", re.I),
    "add_index": re.compile(r"KEY `bench_c` \(`c`\)", re.I),
    "modify_column": re.compile(r"`pad` varchar\(80\)", re.I),
}

SYSBENCH_LOAD_FLAGS = ["--threads=4", "--rate=300", "--report-interval=1", "--percentile=95", "--time=0",
                       "--mysql-ignore-errors=all"]
PTOSC_FLAGS = ["--execute", "--no-version-check", "--no-check-replication-filters", "--recursion-method=none",
               "--set-vars", "lock_wait_timeout=30"]
# Defaults otherwise (--threads 4, --write-threads 4, --target-chunk-size 2MiB) unless BENCH_SPIRIT_ARGS adds flags.
SPIRIT_FLAGS = ["--username", USER, "--password", PASSWORD, "--database", DB] + SPIRIT_EXTRA_ARGS

# Issue 17's targets. The application's p95 target is 50 ms on the fast profile; on the durable profile 100 ms and no
# worse than the best peer's.
TARGETS = {
    "spirit_vs_fastest_peer_wall_ratio_max": 0.9,
    "spirit_vs_floor_wall_ratio_max": 1.3,
    "spirit_vs_copy_wall_ratio_max_add_index": 1.0,
    "app_worst_p95_ms_max": 50.0 if PROFILE == "fast" else 100.0,
    "app_errors_max": 0,
    "spirit_peak_rss_mb_max": 512.0,
}
GHOST_FLAGS = ["--allow-on-master", "--assume-rbr", "--initially-drop-ghost-table", "--initially-drop-old-table",
               "--ok-to-drop-table", "--execute"]
# The floor: the one binlogged statement any replication-safe copy must at least cost, into a table that already has
# the change (columns named, so that a change adding a column takes its default).
FLOOR_TABLE = "bench_floor"
FLOOR_COLUMNS = "id, k, c, pad"

LINE = re.compile(r"^\[ (\d+)s \] thds: (\d+) tps: ([\d.]+) .* lat \(ms,95%\): ([\d.]+) err/s: ([\d.]+)")


def log(msg):
    print("bench: " + msg, file=sys.stderr, flush=True)


def mysql(server, sql, db=None, check=True):
    cmd = ["mysql", "-h", server["host"], "-P", str(server["port"]), "-u" + USER, "-p" + PASSWORD, "-N", "-B",
           "-e", sql]
    if db:
        cmd.insert(1, "-D" + db)
    p = subprocess.run(cmd, capture_output=True, text=True)
    if check and p.returncode != 0:
        raise RuntimeError("mysql failed on %s: %s\n%s" % (server["id"], sql, p.stderr))
    return p.stdout


def sysbench_conn(server, db):
    return ["--db-driver=mysql", "--mysql-host=" + server["host"], "--mysql-port=" + str(server["port"]),
            "--mysql-user=" + USER, "--mysql-password=" + PASSWORD, "--mysql-db=" + db]


def pristine_db(rows):
    return "sbtest_pristine_%d" % rows


def prepare_pristine(server, rows):
    """sysbench oltp_common prepare, once per server and row count, into a schema the runs restore from."""
    db = pristine_db(rows)
    have = mysql(server, "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA='%s' AND TABLE_NAME='%s'"
                 % (db, TABLE)).strip()
    if have == "1":
        n = mysql(server, "SELECT COUNT(*) FROM %s.%s" % (db, TABLE)).strip()
        if n == str(rows):
            return 0.0
    mysql(server, "DROP DATABASE IF EXISTS %s; CREATE DATABASE %s" % (db, db))
    log("%s: sysbench oltp_common prepare --table-size=%d" % (server["id"], rows))
    t = time.time()
    subprocess.run(["sysbench", "oltp_common"] + sysbench_conn(server, db)
                   + ["--tables=1", "--table-size=%d" % rows, "prepare"],
                   check=True, stdout=subprocess.DEVNULL)
    return time.time() - t


def restore(server, rows):
    """A fresh copy of the prepared table as sbtest.sbtest1 (faster than another sysbench prepare).

    Then a new binlog file, so that no tool's run crosses a binlog rotation (max_binlog_size, 1 GB): switching files
    stalled every commit for 150-250 ms on this machine whichever tool was running, and where a rotation fell
    depended only on how much the runs before had written."""
    src = pristine_db(rows)
    t = time.time()
    mysql(server, "DROP DATABASE IF EXISTS %s; CREATE DATABASE %s; CREATE TABLE %s.%s LIKE %s.%s;"
                  " INSERT INTO %s.%s SELECT * FROM %s.%s; ANALYZE TABLE %s.%s; FLUSH BINARY LOGS"
          % (DB, DB, DB, TABLE, src, TABLE, DB, TABLE, src, TABLE, DB, TABLE))
    return time.time() - t


def tool_command(tool, server, change):
    clause = CHANGE_CLAUSES[change]
    if tool == "spirit":
        return ([os.path.join(REPO, "bin", "spirit"), "migrate",
                "--host", "%s:%d" % (server["host"], server["port"])] + SPIRIT_FLAGS
                + ["--statement", "ALTER TABLE %s %s" % (TABLE, clause)])
    if tool == "ptosc":
        return (["pt-online-schema-change", "--alter", clause,
                 "D=%s,t=%s,h=%s,P=%d,u=%s,p=%s" % (DB, TABLE, server["host"], server["port"], USER, PASSWORD)]
                + PTOSC_FLAGS)
    if tool == "ghost":
        return ([GHOST, "--host=" + server["host"], "--port=%d" % server["port"], "--user=" + USER,
                 "--password=" + PASSWORD, "--database=" + DB, "--table=" + TABLE, "--alter=" + clause,
                 "--serve-socket-file=" + os.path.join(WORK, "gh-ost.sock")] + GHOST_FLAGS)
    if tool == "floor":
        return ["mysql", "-h", server["host"], "-P", str(server["port"]), "-u" + USER, "-p" + PASSWORD, "-D" + DB,
                "-e", "INSERT INTO %s (%s) SELECT %s FROM %s" % (FLOOR_TABLE, FLOOR_COLUMNS, FLOOR_COLUMNS, TABLE)]
    if tool == "copy":
        return ["mysql", "-h", server["host"], "-P", str(server["port"]), "-u" + USER, "-p" + PASSWORD, "-D" + DB,
                "-e", "ALTER TABLE %s %s, ALGORITHM=COPY" % (TABLE, clause)]
    raise ValueError(tool)


def prepare_tool(server, change, tool):
    """What a tool needs before the load starts: the floor's empty table with the change."""
    if tool == "floor":
        mysql(server, "DROP TABLE IF EXISTS %s; CREATE TABLE %s LIKE %s; ALTER TABLE %s %s"
              % (FLOOR_TABLE, FLOOR_TABLE, TABLE, FLOOR_TABLE, CHANGE_CLAUSES[change]), db=DB)


def parse_time_v(path):
    out = {}
    try:
        with open(path) as f:
            for line in f:
                line = line.strip()
                if line.startswith("Maximum resident set size"):
                    out["peak_rss_mb"] = round(int(line.split(":")[1]) / 1024.0, 1)
                elif line.startswith("Percent of CPU this job got"):
                    out["cpu_percent"] = line.split(":")[1].strip()
                elif line.startswith("User time"):
                    out["user_s"] = float(line.split(":")[1])
                elif line.startswith("System time"):
                    out["sys_s"] = float(line.split(":")[1])
    except FileNotFoundError:
        pass
    return out


def duration_s(text):
    """spirit's ProgressReporter.format: 12.3s, 4m05s, 1h02m03s."""
    m = re.fullmatch(r"(?:(\d+)h)?(?:(\d+)m)?([\d.]+)s", text.strip())
    if not m:
        return None
    return int(m.group(1) or 0) * 3600 + int(m.group(2) or 0) * 60 + float(m.group(3))


def parse_spirit(stderr_text):
    out = {}
    m = re.search(r"spirit: migrated .* by (.+?) in (\S+)\s*$", stderr_text, re.M)
    if m:
        out["path"] = m.group(1)
        out["reported_total_s"] = duration_s(m.group(2))
    m = re.search(r"spirit: moved .* in (\S+)\s*$", stderr_text, re.M)
    if m:
        out["path"] = "move"
        out["reported_total_s"] = duration_s(m.group(1))
    m = re.search(r"checksum: (.*)$", stderr_text, re.M)
    if m:
        out["checksum_line"] = m.group(1).strip()
        out["checksum_clean"] = re.search(r"pass\(es\), clean\b", m.group(1)) is not None
    m = re.search(r"phases: (.*)$", stderr_text, re.M)
    if m:
        phases = {}
        for part in m.group(1).split(","):
            bits = part.strip().rsplit(" ", 1)
            if len(bits) == 2:
                phases[bits[0]] = duration_s(bits[1])
        out["phases_s"] = phases
    m = re.search(r"rows copied ([\d,]+); changed rows refreshed ([\d,]+)", stderr_text)
    if m:
        out["rows_copied"] = int(m.group(1).replace(",", ""))
        out["changes_refreshed"] = int(m.group(2).replace(",", ""))
    return out


PROFILE_INSTRUMENTS = ("UPDATE performance_schema.setup_instruments SET ENABLED='YES', TIMED='YES'"
                       " WHERE NAME LIKE 'stage/%' OR NAME LIKE 'wait/io/file/%'"
                       " OR NAME LIKE 'wait/synch/cond/sql/MYSQL_BIN_LOG%';"
                       " UPDATE performance_schema.setup_consumers SET ENABLED='YES'"
                       " WHERE NAME IN ('events_stages_current', 'events_waits_current')")
PROFILE_RESET = ("TRUNCATE performance_schema.events_waits_summary_global_by_event_name;"
                 " TRUNCATE performance_schema.events_stages_summary_global_by_event_name")
PROFILE_TOP = ("SELECT EVENT_NAME, COUNT_STAR, ROUND(SUM_TIMER_WAIT/1e12, 2) FROM performance_schema.%s"
               " WHERE SUM_TIMER_WAIT > 0 AND EVENT_NAME NOT LIKE 'idle%%'"
               " AND EVENT_NAME NOT LIKE '%%waiting for more updates' ORDER BY SUM_TIMER_WAIT DESC LIMIT 8")


def enable_profile(server):
    """Times stages and file I/O server-wide, so each run records where the server spent its time."""
    mysql(server, PROFILE_INSTRUMENTS, check=False)


def server_cpu_s(server):
    """The server process's user+system CPU seconds so far (from /proc; the bench servers are local)."""
    try:
        pid_file = mysql(server, "SELECT @@pid_file").strip()
        with open(pid_file) as f:
            pid = f.read().strip()
        with open("/proc/%s/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except Exception:  # noqa: BLE001
        return None


def server_profile(server):
    """Top waits and stages summed over every server thread since PROFILE_RESET (performance_schema)."""
    out = {}
    for key, table in (("waits", "events_waits_summary_global_by_event_name"),
                       ("stages", "events_stages_summary_global_by_event_name")):
        rows = mysql(server, PROFILE_TOP % table, check=False).strip().splitlines()
        out[key] = [{"event": r.split("\t")[0], "count": int(r.split("\t")[1]), "s": float(r.split("\t")[2])}
                    for r in rows if r.count("\t") == 2]
    return out


def prime_spirit(server):
    """One unmeasured spirit run on a small table, so that the measured runs start with bin/spirit's class-data
    archive in place (the first migrate after a build writes it when the JVM exits)."""
    mysql(server, "DROP DATABASE IF EXISTS bench_prime; CREATE DATABASE bench_prime;"
                  " CREATE TABLE bench_prime.t (id INT PRIMARY KEY, v INT);"
                  " INSERT INTO bench_prime.t VALUES (1, 1), (2, 2), (3, 3)")
    cmd = [os.path.join(REPO, "bin", "spirit"), "migrate", "--host", "%s:%d" % (server["host"], server["port"]),
           "--username", USER, "--password", PASSWORD, "--database", "bench_prime",
           "--statement", "ALTER TABLE t MODIFY v BIGINT"]
    t = time.time()
    with open(os.path.join(WORK, "prime-spirit.log"), "w") as f:
        rc = subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT).returncode
    mysql(server, "DROP DATABASE bench_prime")
    cds_dir = os.path.join(REPO, "target", "cds")
    archives = sorted(os.listdir(cds_dir)) if os.path.isdir(cds_dir) else []
    log("%s: priming spirit run exit %s in %.1fs; class-data archive: %s"
        % (server["id"], rc, time.time() - t, ", ".join(archives) or "none"))
    return {"server": server["id"], "exit": rc, "s": round(time.time() - t, 1), "archives": archives}


def timed(cmd, base):
    """Runs a tool under /usr/bin/time -v, its output into base.*; returns exit, start, end and the files."""
    timev = base + ".time-v.txt"
    out_path, err_path = base + ".stdout.txt", base + ".stderr.txt"
    with open(out_path, "w") as so, open(err_path, "w") as se:
        start = time.time()
        try:
            rc = subprocess.run(["/usr/bin/time", "-v", "-o", timev] + cmd, stdout=so, stderr=se,
                                timeout=TOOL_TIMEOUT_S).returncode
        except subprocess.TimeoutExpired:
            rc = "timeout"
        end = time.time()
    return rc, start, end, timev, out_path, err_path


def app_window(load_log, t0, start, end, alive_at_end):
    """The application's per-second sysbench reports that overlap the tool's window [start, end], summed up."""
    win_lo, win_hi = start - t0, end - t0
    seconds = []
    with open(load_log) as lf:
        for line in lf:
            m = LINE.match(line)
            if m:
                seconds.append((int(m.group(1)), float(m.group(3)), float(m.group(4)), float(m.group(5))))
    # The report for second n covers (n-1, n] after sysbench started; keep those that overlap the tool's window.
    inside = [s for s in seconds if s[0] > win_lo and s[0] - 1 < win_hi]
    before = [s for s in seconds if s[0] <= win_lo]
    return {
        "seconds_in_window": len(inside),
        "worst_p95_ms": max((s[2] for s in inside), default=None),
        # when the worst second ended, in seconds after the tool started (to line up with spirit's phases)
        "worst_p95_at_s": round(max(inside, key=lambda s: s[2])[0] - win_lo, 1) if inside else None,
        "errors": int(round(sum(s[3] for s in inside))),
        "min_tps": min((s[1] for s in inside), default=None),
        "mean_tps": round(sum(s[1] for s in inside) / len(inside), 1) if inside else None,
        "baseline_worst_p95_ms": max((s[2] for s in before), default=None),
        "baseline_errors": int(round(sum(s[3] for s in before))),
        "alive_at_end": alive_at_end,
        "log": os.path.relpath(load_log, REPO),
    }


def run_one(server, rows, change, tool, tag):
    base = os.path.join(WORK, "%s-%s-%d-%s-%s" % (tag, server["id"], rows, change, tool))
    restore_s = restore(server, rows)
    load_log = base + ".sysbench.log"
    load_cmd = ["sysbench", "oltp_write_only"] + sysbench_conn(server, DB) + [
        "--tables=1", "--table-size=%d" % rows] + SYSBENCH_LOAD_FLAGS + ["run"]
    cmd = tool_command(tool, server, change)
    prepare_tool(server, change, tool)
    log("%s %d rows %s %s: restored in %.1fs; load on, then %s" % (server["id"], rows, change, tool, restore_s,
                                                                  " ".join(cmd[:3]) + " ..."))
    with open(load_log, "w") as lf:
        t0 = time.time()
        load = subprocess.Popen(load_cmd, stdout=lf, stderr=subprocess.STDOUT)
        time.sleep(WARMUP_S)
        mysql(server, PROFILE_RESET, check=False)
        cpu_before = server_cpu_s(server)
        rc, start, end, timev, out_path, err_path = timed(cmd, base)
        cpu_after = server_cpu_s(server)
        profile = server_profile(server)
        time.sleep(1.5)  # let sysbench print the report of the second the tool ended in
        load_alive = load.poll() is None
        load.send_signal(signal.SIGTERM)
        try:
            load.wait(10)
        except subprocess.TimeoutExpired:
            load.kill()
            load.wait()
    app = app_window(load_log, t0, start, end, load_alive)
    with open(err_path) as f:
        err_text = f.read()
    with open(out_path) as f:
        out_text = f.read()
    ddl = mysql(server, "SHOW CREATE TABLE %s.%s" % (DB, FLOOR_TABLE if tool == "floor" else TABLE), check=False)
    if tool == "floor":
        rows_copied = mysql(server, "SELECT COUNT(*) FROM %s.%s" % (DB, FLOOR_TABLE), check=False).strip()
        mysql(server, "DROP TABLE IF EXISTS %s.%s" % (DB, FLOOR_TABLE), check=False)
    r = {
        "server": server["id"], "rows": rows, "change": change, "tool": tool,
        "command": cmd if tool != "spirit" else cmd,
        "exit": rc,
        "wall_s": round(end - start, 2),
        "change_applied": bool(CHANGE_PROOF[change].search(ddl.replace("\\n", "\n"))),
        "restore_s": round(restore_s, 1),
        "app": app,
    }
    r.update(parse_time_v(timev))
    # Where the time went, server side, over the tool's window (the application's load included).
    r["server_profile"] = dict(profile, cpu_s=round(cpu_after - cpu_before, 1)
                               if cpu_before is not None and cpu_after is not None else None)
    if tool in ("copy", "floor"):
        r["peak_rss_note"] = "mysql client's RSS; the copy runs inside the server"
    if tool == "floor":
        r["floor_rows"] = int(rows_copied) if rows_copied.isdigit() else None
    if tool == "spirit":
        r["spirit"] = parse_spirit(err_text)
        r["output_tail"] = err_text.strip().splitlines()[-6:]
    else:
        r["output_tail"] = (out_text + err_text).strip().splitlines()[-4:]
    log("  -> exit %s, %.1fs, worst p95 %s ms, errors %d, rss %s MB, applied %s"
        % (rc, r["wall_s"], r["app"]["worst_p95_ms"], r["app"]["errors"], r.get("peak_rss_mb"), r["change_applied"]))
    return r


def server_counters(server):
    """Bytes the server wrote so far: binlog (all files), InnoDB data files, redo log."""
    status = dict(line.split("\t", 1) for line in mysql(
        server, "SHOW GLOBAL STATUS WHERE Variable_name IN ('Innodb_data_written', 'Innodb_os_log_written')")
        .strip().splitlines() if "\t" in line)
    binlog = sum(int(line.split("\t")[1]) for line in mysql(server, "SHOW BINARY LOGS").strip().splitlines()
                 if line.count("\t") >= 1)
    return {"binlog": binlog, "data": int(status.get("Innodb_data_written", 0)),
            "redo": int(status.get("Innodb_os_log_written", 0))}


BREAKDOWN_VARIANTS = ["copy", "insert_select_no_binlog", "insert_select", "spirit_threads_1", "spirit_threads_2",
                      "spirit_threads_4"]


def breakdown_one(server, rows, change, variant):
    """One way of copying the table, alone on the server: where the CPU and the bytes go, per variant.

    The INSERT ... SELECT variants copy the whole table in one statement into an empty table that already has the
    change: the server's SQL-layer cost of a copy, with and without writing the rows to the binlog."""
    restore(server, rows)
    clause = CHANGE_CLAUSES[change]
    if variant.startswith("insert_select"):
        mysql(server, "DROP TABLE IF EXISTS bench_copy; CREATE TABLE bench_copy LIKE %s; ALTER TABLE bench_copy %s"
              % (TABLE, clause), db=DB)
        prefix = "SET SESSION sql_log_bin = 0; " if variant.endswith("no_binlog") else ""
        cmd = ["mysql", "-h", server["host"], "-P", str(server["port"]), "-u" + USER, "-p" + PASSWORD, "-D" + DB,
               "-e", prefix + "INSERT INTO bench_copy SELECT * FROM %s" % TABLE]
    elif variant.startswith("spirit_threads_"):
        cmd = tool_command("spirit", server, change) + ["--threads", variant.rsplit("_", 1)[1]]
    else:
        cmd = tool_command(variant, server, change)
    base = os.path.join(WORK, "breakdown-%s-%d-%s-%s" % (server["id"], rows, change, variant))
    timev = base + ".time-v.txt"
    before, cpu_before = server_counters(server), server_cpu_s(server)
    mysql(server, PROFILE_RESET, check=False)
    start = time.time()
    with open(base + ".stderr.txt", "w") as se:
        rc = subprocess.run(["/usr/bin/time", "-v", "-o", timev] + cmd, stdout=subprocess.DEVNULL, stderr=se,
                            timeout=TOOL_TIMEOUT_S).returncode
    wall = time.time() - start
    after, cpu_after = server_counters(server), server_cpu_s(server)
    r = {"server": server["id"], "rows": rows, "change": change, "variant": variant, "exit": rc,
         "wall_s": round(wall, 2),
         "server_cpu_s": round(cpu_after - cpu_before, 1) if cpu_before is not None and cpu_after is not None
         else None,
         "written_mb": {k: round((after[k] - before[k]) / 1e6, 1) for k in after},
         "server_profile": server_profile(server)}
    tv = parse_time_v(timev)
    r["tool_cpu_s"] = round(tv.get("user_s", 0) + tv.get("sys_s", 0), 1)
    if variant.startswith("spirit"):
        with open(base + ".stderr.txt") as f:
            r["spirit"] = parse_spirit(f.read())
    mysql(server, "DROP TABLE IF EXISTS bench_copy", db=DB, check=False)
    log("  breakdown %s %s %s: %.1fs, server cpu %s s, tool cpu %s s, binlog %s MB"
        % (server["id"], change, variant, wall, r["server_cpu_s"], r["tool_cpu_s"], r["written_mb"]["binlog"]))
    return r


def first_line(cmd):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True)
        return ((p.stdout or "") + (p.stderr or "")).strip().splitlines()[0]
    except Exception as e:  # noqa: BLE001
        return "unavailable: %s" % e


def machine():
    mem = ""
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal"):
                mem = line.split(":")[1].strip()
    cpu = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":")[1].strip()
                break
    return {"nproc": os.cpu_count(), "mem_total": mem, "cpu": cpu, "kernel": platform.release(),
            "loadavg_at_start": open("/proc/loadavg").read().split()[:3]}


def ratio(a, b):
    return round(a / b, 3) if a is not None and b else None


def completed(r):
    return r is not None and r["exit"] == 0 and r["change_applied"]


def evaluate(results):
    """Ratios and targets per server and change, from runs of the same invocation: spirit against the fastest peer
    that completed, the floor and the blocking COPY."""
    out = []
    for sid in dict.fromkeys(r["server"] for r in results if r["rows"] == ROWS):
        for change in CHANGES:
            by = {r["tool"]: r for r in results if r["server"] == sid and r["change"] == change and r["rows"] == ROWS
                  and r.get("tag") == "main"}
            s = by.get("spirit")
            if not s:
                continue
            peers = [by[t] for t in PEERS if completed(by.get(t))]
            fastest = min(peers, key=lambda r: r["wall_s"]) if peers else None
            floor, copy = by.get("floor"), by.get("copy")
            e = {"server": sid, "change": change, "profile": PROFILE,
                 "fastest_peer": fastest["tool"] if fastest else None,
                 "spirit_over_fastest_peer": ratio(s["wall_s"], fastest["wall_s"]) if fastest else None,
                 "spirit_over_floor": ratio(s["wall_s"], floor["wall_s"]) if completed(floor) else None,
                 "spirit_over_copy": ratio(s["wall_s"], copy["wall_s"]) if completed(copy) else None,
                 "peers_refused": [t for t in PEERS if t in by and not completed(by[t])]}
            if "ptosc" in by:  # kept for comparison with the runs before issue 17
                e["spirit_over_ptosc"] = ratio(s["wall_s"], by["ptosc"]["wall_s"]) if completed(by["ptosc"]) else None
            t = {}
            if change != "add_column":  # the changes that copy; spirit's add_column is INSTANT
                if e["spirit_over_fastest_peer"] is not None:
                    t["wall <= 0.9 x fastest peer"] = (e["spirit_over_fastest_peer"]
                                                       <= TARGETS["spirit_vs_fastest_peer_wall_ratio_max"])
                if e["spirit_over_floor"] is not None:
                    t["wall <= 1.3 x floor"] = e["spirit_over_floor"] <= TARGETS["spirit_vs_floor_wall_ratio_max"]
            if change == "add_index" and e["spirit_over_copy"] is not None:
                t["add_index wall <= 1.0 x COPY"] = (e["spirit_over_copy"]
                                                     <= TARGETS["spirit_vs_copy_wall_ratio_max_add_index"])
            p95 = s["app"]["worst_p95_ms"]
            limit = TARGETS["app_worst_p95_ms_max"]
            t["app worst p95 <= %.0f ms" % limit] = p95 is not None and p95 <= limit
            if PROFILE != "fast" and peers:
                best = min((r["app"]["worst_p95_ms"] for r in peers if r["app"]["worst_p95_ms"] is not None),
                           default=None)
                t["app worst p95 <= best peer's"] = best is not None and p95 is not None and p95 <= best
            t["0 app errors"] = s["app"]["errors"] <= TARGETS["app_errors_max"]
            sp = s.get("spirit", {})
            t["checksum clean"] = sp.get("checksum_clean", False) if "shadow table copy" in sp.get("path", "") else None
            t["spirit peak RSS <= 512 MB"] = s.get("peak_rss_mb", 1e9) <= TARGETS["spirit_peak_rss_mb_max"]
            t["exit 0 and change applied"] = s["exit"] == 0 and s["change_applied"]
            e["targets"] = t
            out.append(e)
    return out


def fmt(v, nd=1):
    if v is None:
        return "–"
    if isinstance(v, float):
        return ("%." + str(nd) + "f") % v
    return str(v)


def markdown(doc):
    lines = []
    for sid in dict.fromkeys(r["server"] for r in doc["runs"]):
        lines += ["", "### %s, %s rows, %s profile" % (sid, "{:,}".format(ROWS), PROFILE), "",
                  "| change | tool | wall s | app worst p95 ms | app errors | peak RSS MB | exit | applied | spirit path / phases |",
                  "|---|---|---:|---:|---:|---:|---:|---|---|"]
        for r in doc["runs"]:
            if r["server"] != sid or r.get("tag") != "main":
                continue
            note = ""
            if r["tool"] == "spirit":
                sp = r.get("spirit", {})
                ph = ", ".join("%s %s" % (k, fmt(v)) for k, v in sp.get("phases_s", {}).items()
                               if v is not None and v >= 0.05)
                note = "%s; %s%s" % (sp.get("path", "?"), ph,
                                     "; checksum clean" if sp.get("checksum_clean") else "")
            elif r["tool"] in ("copy", "floor"):
                note = "RSS is the mysql client's"
                if r["tool"] == "floor":
                    note += "; INSERT ... SELECT into %s (%s rows)" % (FLOOR_TABLE, fmt(r.get("floor_rows")))
            elif r["exit"] != 0:
                note = "refused or failed: " + " / ".join(r.get("output_tail", [])[-2:])[:160]
            lines.append("| %s | %s | %s | %s | %d | %s | %s | %s | %s |" % (
                r["change"], r["tool"], fmt(r["wall_s"]), fmt(r["app"]["worst_p95_ms"]), r["app"]["errors"],
                fmt(r.get("peak_rss_mb")), r["exit"], "yes" if r["change_applied"] else "NO", note))
        ev = [e for e in doc["evaluation"] if e["server"] == sid]
        if ev:
            lines += ["", "| change | fastest peer | spirit / fastest peer | spirit / floor | spirit / COPY"
                      " | peers that refused | targets not met |", "|---|---|---:|---:|---:|---|---|"]
            for e in ev:
                miss = [k for k, v in e["targets"].items() if v is False]
                lines.append("| %s | %s | %s | %s | %s | %s | %s |" % (
                    e["change"], e["fastest_peer"] or "–", fmt(e["spirit_over_fastest_peer"], 2),
                    fmt(e["spirit_over_floor"], 2), fmt(e["spirit_over_copy"], 2),
                    ", ".join(e["peers_refused"]) or "none", ", ".join(miss) if miss else "none"))
    for sid in dict.fromkeys(b["server"] for b in doc.get("breakdown", [])):
        lines += ["", "### %s: cost breakdown without load, %s rows" % (sid, "{:,}".format(ROWS)), "",
                  "| change | variant | wall s | server CPU s | tool CPU s | binlog MB | InnoDB data MB | redo MB"
                  " | spirit phases |", "|---|---|---:|---:|---:|---:|---:|---:|---|"]
        for b in doc["breakdown"]:
            if b["server"] != sid:
                continue
            ph = ", ".join("%s %s" % (k, fmt(v)) for k, v in b.get("spirit", {}).get("phases_s", {}).items()
                           if v is not None and v >= 0.05)
            lines.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                b["change"], b["variant"], fmt(b["wall_s"]), fmt(b["server_cpu_s"]), fmt(b["tool_cpu_s"]),
                fmt(b["written_mb"]["binlog"]), fmt(b["written_mb"]["data"]), fmt(b["written_mb"]["redo"]), ph))
    scale = [r for r in doc["runs"] if r.get("tag") == "scale"]
    if scale:
        lines += ["", "### spirit scale run", "",
                  "| server | change | rows | wall s | s per 1M rows | peak RSS MB | app worst p95 ms | app errors | exit | phases |",
                  "|---|---|---:|---:|---:|---:|---:|---:|---:|---|"]
        for r in scale:
            ph = ", ".join("%s %s" % (k, fmt(v)) for k, v in r.get("spirit", {}).get("phases_s", {}).items()
                           if v is not None and v >= 0.05)
            lines.append("| %s | %s | %s | %s | %s | %s | %s | %d | %s | %s |" % (
                r["server"], r["change"], "{:,}".format(r["rows"]), fmt(r["wall_s"]),
                fmt(r["wall_s"] / (r["rows"] / 1e6)), fmt(r.get("peak_rss_mb")), fmt(r["app"]["worst_p95_ms"]),
                r["app"]["errors"], r["exit"], ph))
    return "\n".join(lines) + "\n"


def main():
    ports_file = sys.argv[1]
    servers = {}
    with open(ports_file) as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 4 and not parts[0].startswith("#"):
                servers[parts[0]] = {"id": parts[0], "host": parts[1], "port": int(parts[2]), "version": parts[3]}
    wanted = []
    for name in SERVERS:
        prefix = {"mysql": "mysql-", "mariadb": "mariadb-"}.get(name, name)
        found = [s for sid, s in servers.items() if sid.startswith(prefix) and not sid.endswith("-target")]
        if not found:
            raise SystemExit("bench: server %s did not start (see bench/work/servers.log)" % name)
        wanted += found
    os.makedirs(WORK, exist_ok=True)
    os.makedirs(RESULTS, exist_ok=True)
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    doc = {
        "started_utc": stamp,
        "settings": {"BENCH_PROFILE": PROFILE, "BENCH_ROWS": ROWS, "BENCH_SERVERS": SERVERS, "BENCH_TOOLS": TOOLS, "BENCH_CHANGES": CHANGES,
                     "BENCH_SCALE": SCALE, "BENCH_SCALE_CHANGES": SCALE_CHANGES, "BENCH_WARMUP": WARMUP_S,
                     "BENCH_SPIRIT_JAVA_OPTS": SPIRIT_JAVA_OPTS, "SPIRIT_NICE": SPIRIT_NICE,
                     "SPIRIT_CDS": SPIRIT_CDS,
                     "BENCH_SPIRIT_ARGS": SPIRIT_EXTRA_ARGS, "BENCH_BREAKDOWN": BREAKDOWN, "BENCH_MOVE": MOVE,
                     "server_options": os.environ.get("SPIRIT_TEST_SERVER_OPTIONS", "").split()},
        "machine": machine(),
        "versions": {
            "servers": {s["id"]: s["version"] for s in wanted},
            "sysbench": first_line(["sysbench", "--version"]),
            "pt-online-schema-change": first_line(["pt-online-schema-change", "--version"]),
            "gh-ost": first_line([GHOST, "--version"]) if "ghost" in TOOLS else None,
            "mysql client": first_line(["mysql", "--version"]),
            "java": first_line(["java", "-version"]),
            "spirit git": first_line(["git", "-C", REPO, "describe", "--always", "--dirty"]),
        },
        "flags": {
            "application": "sysbench oltp_write_only --tables=1 --table-size=<rows> " + " ".join(SYSBENCH_LOAD_FLAGS),
            "prepare": "sysbench oltp_common --tables=1 --table-size=<rows> prepare (once per server and row count,"
                       " into sbtest_pristine_<rows>)",
            "restore": "before every run: DROP/CREATE DATABASE sbtest; CREATE TABLE sbtest.sbtest1 LIKE pristine;"
                       " INSERT ... SELECT; ANALYZE TABLE; FLUSH BINARY LOGS",
            "spirit": "%sSPIRIT_NICE=%s SPIRIT_CDS=%s bin/spirit migrate --host <host:port> %s --statement"
                      " \"ALTER TABLE sbtest1 <clause>\"" % (("JAVA_OPTS='%s' " % " ".join(SPIRIT_JAVA_OPTS))
                                                              if SPIRIT_JAVA_OPTS else "", SPIRIT_NICE, SPIRIT_CDS,
                                                              " ".join(SPIRIT_FLAGS)),
            "ptosc": "pt-online-schema-change --alter \"<clause>\" D=sbtest,t=sbtest1,h=<host>,P=<port>,u=spirit,"
                     "p=spirit " + " ".join(PTOSC_FLAGS) + " (all other options at their defaults)",
            "copy": "mysql -D sbtest -e \"ALTER TABLE sbtest1 <clause>, ALGORITHM=COPY\"",
            "ghost": "gh-ost --host=<host> --port=<port> --user=spirit --password=spirit --database=sbtest"
                     " --table=sbtest1 --alter=\"<clause>\" --serve-socket-file=<work>/gh-ost.sock "
                     + " ".join(GHOST_FLAGS) + " (chunk size and everything else at its defaults)",
            "floor": "CREATE TABLE %s LIKE sbtest1; ALTER TABLE %s <clause> (before the load); then, timed:"
                     " mysql -D sbtest -e \"INSERT INTO %s (%s) SELECT %s FROM sbtest1\"" % (
                         FLOOR_TABLE, FLOOR_TABLE, FLOOR_TABLE, FLOOR_COLUMNS, FLOOR_COLUMNS),
            "measurement": "every tool under /usr/bin/time -v; load warm-up %.0fs before the tool starts, stopped"
                           " 1.5s after it ends" % WARMUP_S,
            "changes": CHANGE_CLAUSES,
        },
        "targets": TARGETS,
        "runs": [],
    }
    for server in wanted:
        enable_profile(server)
    if "spirit" in TOOLS or SCALE:
        doc["spirit_priming"] = prime_spirit(wanted[0]) if SPIRIT_CDS != "0" else "off (SPIRIT_CDS=0)"
    for server in wanted:
        doc["prepare_s"] = doc.get("prepare_s", {})
        if (CHANGES and TOOLS) or BREAKDOWN:
            doc["prepare_s"]["%s/%d" % (server["id"], ROWS)] = round(prepare_pristine(server, ROWS), 1)
        for change in CHANGES:
            for tool in TOOLS:
                r = run_one(server, ROWS, change, tool, "main")
                r["tag"] = "main"
                doc["runs"].append(r)
    doc.setdefault("prepare_s", {})
    for server in wanted if SCALE else []:
        for rows in SCALE:
            doc["prepare_s"]["%s/%d" % (server["id"], rows)] = round(prepare_pristine(server, rows), 1)
            for change in SCALE_CHANGES:
                r = run_one(server, rows, change, "spirit", "scale")
                r["tag"] = "scale"
                doc["runs"].append(r)
    if MOVE:
        import bench_move
        doc["moves"] = []
        for server in wanted:
            target = servers.get(server["id"] + "-target")
            if not target:
                raise SystemExit("bench: the move target of %s did not start (see bench/work/servers.log)"
                                 % server["id"])
            prepare_pristine(server, ROWS)
            for tool in bench_move.TOOLS:
                doc["moves"].append(bench_move.run_move(server, target, ROWS, tool))
        doc["move_evaluation"] = bench_move.evaluate(doc["moves"])
    doc["breakdown"] = [breakdown_one(server, ROWS, change, variant) for server in wanted for change in BREAKDOWN
                        for variant in BREAKDOWN_VARIANTS]
    doc["evaluation"] = evaluate(doc["runs"])
    scale = [r for r in doc["runs"] if r["tag"] == "scale"]
    if scale:
        lin = []
        for sid in dict.fromkeys(r["server"] for r in scale):
            for change in SCALE_CHANGES:
                rs = sorted((r for r in scale if r["server"] == sid and r["change"] == change), key=lambda r: r["rows"])
                if len(rs) >= 2:
                    a, b = rs[0], rs[-1]
                    lin.append({"server": sid, "change": change, "rows": [a["rows"], b["rows"]],
                                "wall_ratio": ratio(b["wall_s"], a["wall_s"]),
                                "rows_ratio": ratio(b["rows"], a["rows"]),
                                "rss_mb": [a.get("peak_rss_mb"), b.get("peak_rss_mb")]})
        doc["scale"] = lin
    doc["finished_utc"] = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    md = markdown(doc)
    if MOVE:
        import bench_move
        md += "\n".join(bench_move.markdown(doc["moves"], doc["move_evaluation"])) + "\n"
    path = os.path.join(RESULTS, stamp + ".json")
    with open(path, "w") as f:
        json.dump(doc, f, indent=2)
    with open(os.path.join(RESULTS, stamp + ".md"), "w") as f:
        f.write(md)
    print(md)
    log("wrote %s and %s" % (os.path.relpath(path, REPO), os.path.relpath(path[:-5] + ".md", REPO)))


if __name__ == "__main__":
    main()
