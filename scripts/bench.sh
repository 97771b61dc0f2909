#!/usr/bin/env bash
# The benchmark: spirit vs pt-online-schema-change, gh-ost, the floor (one binlogged INSERT ... SELECT) and blocking
# ALTER TABLE ... ALGORITHM=COPY, under a sysbench write load, on the tests' MySQL 8.0.31 and MariaDB, once per server
# profile. See docs/benchmarks.md.
#   BENCH_PROFILES=fast,durable  BENCH_ROWS=1000000  BENCH_SERVERS=mysql,mariadb  BENCH_TOOLS=spirit,ptosc,ghost,floor,copy
#   BENCH_CHANGES=add_column,add_index,modify_column  BENCH_SCALE=  (e.g. 1000000,4000000: spirit-only scale run)
#   BENCH_SCALE_CHANGES=add_index  BENCH_WARMUP=5  BENCH_TOOL_TIMEOUT=3600  BENCH_SPIRIT_JAVA_OPTS=
#   BENCH_SPIRIT_ARGS=  BENCH_SERVER_OPTIONS="<mysqld/mariadbd options appended to the tests' own>"
#   BENCH_MOVE=1 (0: no move runs; 1 starts a second server per flavour)  BENCH_MOVE_TOOLS=spirit,spirit_deferred_indexes,dump
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v sysbench >/dev/null || missing+=(sysbench)
command -v pt-online-schema-change >/dev/null || missing+=(percona-toolkit)
[[ -x /usr/bin/time ]] || missing+=(time)
command -v mysql >/dev/null || missing+=(mariadb-client)
command -v python3 >/dev/null || missing+=(python3)
if ((${#missing[@]})); then
  echo "bench: installing ${missing[*]}" >&2
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"; then
    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
  fi
fi

echo "bench: building target/spirit.jar and the test classes" >&2
./mvnw -B -q package -DskipTests
./mvnw -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test.classpath \
  -Dmdep.includeScope=test

mkdir -p bench/work bench/results
if [[ ,${BENCH_TOOLS-spirit,ptosc,ghost,floor,copy}, == *,ghost,* ]]; then
  echo "bench: building gh-ost v1.1.6 offline (../shared/peers/build-gh-ost.sh)" >&2
  BENCH_GHOST="$(../shared/peers/build-gh-ost.sh "$PWD/target/peers" | tail -1)"
  export BENCH_GHOST
fi

launchers=()
IFS=, read -ra wanted <<<"${BENCH_SERVERS:-mysql,mariadb}"
for s in "${wanted[@]}"; do
  case "$s" in
    mysql) launchers+=(mysql-8.0) ;;
    *) launchers+=("$s") ;;
  esac
  # The move's target: a second server of the same flavour (mysql-8.0-target, mariadb-target).
  [[ ${BENCH_MOVE:-1} == 0 ]] || launchers+=("${launchers[-1]}-target")
done

# The server profiles (docs/benchmarks.md), appended to the tests' own options (later options win).
#   fast: sized like a production server rather than the tests' small one: a buffer pool that holds the table and
#     its copy, a redo log that does not force checkpoints every few seconds; the tests' relaxed durability
#     (innodb_flush_log_at_trx_commit=2, sync_binlog=0).
#   durable: as production primaries run: every commit flushed to the redo log and the binlog, a 1 GB buffer pool,
#     the server's default redo size and I/O capacity.
# performance_schema is on in both, for the per-run profile. BENCH_SERVER_OPTIONS replaces the fast profile's.
profile_options() {
  case "$1" in
    fast) echo "${BENCH_SERVER_OPTIONS---innodb-buffer-pool-size=4G --loose-innodb-redo-log-capacity=2G \
--loose-innodb-log-file-size=2G --loose-performance-schema=ON}" ;;
    durable) echo "--innodb-flush-log-at-trx-commit=1 --sync-binlog=1 --innodb-buffer-pool-size=1G \
--loose-performance-schema=ON" ;;
    *) echo "bench: unknown profile '$1' (fast, durable)" >&2; exit 2 ;;
  esac
}

ports=bench/work/servers.tsv
servers_pid=
stop_servers() {
  [[ -n $servers_pid ]] || return 0
  kill -TERM "$servers_pid" 2>/dev/null || true
  wait "$servers_pid" 2>/dev/null || true
  servers_pid=
}
trap stop_servers EXIT

IFS=, read -ra profiles <<<"${BENCH_PROFILES:-fast,durable}"
for profile in "${profiles[@]}"; do
  SPIRIT_TEST_SERVER_OPTIONS="$(profile_options "$profile")"
  export SPIRIT_TEST_SERVER_OPTIONS
  echo "bench: profile $profile: servers with $SPIRIT_TEST_SERVER_OPTIONS" >&2
  rm -f "$ports"
  SPIRIT_TEST_ONLY="$(IFS=,; echo "${launchers[*]}")" \
    java -cp "target/test-classes:target/classes:$(cat target/test.classpath)" dev.spirit.testing.BenchServersMain \
    "$ports" >bench/work/servers.log 2>&1 &
  servers_pid=$!
  for _ in $(seq 1 360); do
    [[ -f $ports ]] && break
    kill -0 "$servers_pid" 2>/dev/null || { cat bench/work/servers.log >&2; exit 1; }
    sleep 0.5
  done
  [[ -f $ports ]] || { echo "bench: servers did not start within 180s" >&2; cat bench/work/servers.log >&2; exit 1; }
  cat "$ports" >&2
  BENCH_PROFILE=$profile python3 scripts/bench.py "$ports"
  stop_servers
done
