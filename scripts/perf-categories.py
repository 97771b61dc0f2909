#!/usr/bin/env python3
"""Where a server's CPU went, by engine activity, from `perf record -g` profiles of mysqld or mariadbd.

usage: scripts/perf-categories.py LABEL=perf.data [LABEL=perf.data ...]

For each profile: the CPU seconds of all sampled threads (the sum of the cpu-clock sample periods), and for every
category the CPU seconds of the samples whose call chain passes through one of the category's functions. A sample
can count in several categories (a binlog write inside a commit), so the categories do not add up to the total.
Needs symbols: MySQL's release mysqld exports its functions in the dynamic symbol table, which perf reads.
"""
import re
import subprocess
import sys

CATEGORIES = [
    ("binlog write", r"MYSQL_BIN_LOG::|binlog_cache|Rows_log_event|THD::binlog_|Binlog_cache_storage|my_b_"),
    ("undo log", r"trx_undo_"),
    ("row locks", r"lock_rec_|lock_clust_rec|lock_sec_rec"),
    ("secondary index insert", r"row_ins_sec_index_entry"),
    ("clustered index insert", r"row_ins_clust_index_entry"),
    ("reading rows", r"row_search_mvcc"),
    ("commit", r"trx_commit|ha_commit_trans"),
    ("binlog dump to a client", r"Binlog_sender"),
    ("TLS", r"SSL_|ssl3_|EVP_|aesni_|gcm_"),
    ("checksum expressions", r"Item_func_crc32|Item_sum_bit|Item_func_concat|Item_func_isnull|Item_func_md5"),
    ("redo log threads", r"log_writer|log_flusher|log_write_notifier|log_flush_notifier"),
    ("page flushing", r"buf_flush_|Double_write"),
    ("latch spin or wait", r"ut_delay|sync_array|rw_lock_|TTASEventMutex|PolicyMutex|__lll_lock|futex"),
]


def samples(path):
    """Yields (period_ns, [frame symbols]) per sample."""
    out = subprocess.run(["perf", "script", "-i", path, "-F", "period,ip,sym"], capture_output=True, text=True,
                         check=True).stdout
    period, frames = None, []
    for line in out.split("\n"):
        if not line.strip():
            if period is not None:
                yield period, frames
            period, frames = None, []
        elif not line.startswith("\t"):
            period = int(line.split()[0])
        else:
            frames.append(line.strip())
    if period is not None:
        yield period, frames


def main(args):
    if not args or any("=" not in a for a in args):
        print(__doc__, file=sys.stderr)
        return 2
    compiled = [(name, re.compile(pattern)) for name, pattern in CATEGORIES]
    columns = []
    for arg in args:
        label, path = arg.split("=", 1)
        total, per = 0, dict.fromkeys([name for name, _ in CATEGORIES], 0)
        for period, frames in samples(path):
            total += period
            for name, pattern in compiled:
                if any(pattern.search(f) for f in frames):
                    per[name] += period
        columns.append((label, total, per))
    print("| CPU seconds | " + " | ".join(label for label, _, _ in columns) + " |")
    print("|---|" + "---:|" * len(columns))
    print("| all threads | " + " | ".join("%.2f" % (t / 1e9) for _, t, _ in columns) + " |")
    for name, _ in CATEGORIES:
        print("| %s | " % name + " | ".join("%.2f" % (p[name] / 1e9) for _, _, p in columns) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
