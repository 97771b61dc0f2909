#!/usr/bin/env bash
# Times `spirit move` of one table (ROWS rows, three secondary indexes) from SOURCE to TARGET, with and without
# --defer-secondary-indexes, and `mysqldump --single-transaction | mysql` of the same table, which neither follows
# changes nor verifies anything: the floor a move is measured against.
#
#   scripts/bench-move.sh SOURCE_HOST:PORT TARGET_HOST:PORT [ROWS]
#
# Both servers need a user spirit/spirit that may create the schema `mv` (scripts/test-servers.sh starts such servers;
# SPIRIT_TEST_ONLY=mysql-8.0,mysql-8.0-target or mariadb,mariadb-target). The schema `mv` is dropped on both.
set -euo pipefail
cd "$(dirname "$0")/.."
SOURCE=$1 TARGET=$2 ROWS=${3:-500000}
m() { local hp=$1; shift; mysql -h"${hp%:*}" -P"${hp#*:}" -uspirit -pspirit -N "$@"; }
[ -f target/spirit.jar ] || ./mvnw -B -q package -DskipTests

m "$SOURCE" <<SQL
DROP DATABASE IF EXISTS mv; CREATE DATABASE mv; USE mv;
CREATE TABLE t (id BIGINT NOT NULL PRIMARY KEY, a INT NOT NULL, b VARCHAR(40) NOT NULL, c DATETIME NOT NULL,
  pad CHAR(60) NOT NULL, KEY ka (a), KEY kb (b), KEY kca (c, a)) DEFAULT CHARSET=utf8mb4;
CREATE TABLE n (d INT PRIMARY KEY); INSERT INTO n VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9);
INSERT INTO t SELECT x, CRC32(x) % 1000000, MD5(x), '2020-01-01' + INTERVAL (x % 100000) MINUTE, REPEAT('p', 60)
  FROM (SELECT a.d + b.d*10 + c.d*100 + e.d*1000 + f.d*10000 + g.d*100000 + h.d*1000000 + 1 AS x
        FROM n a, n b, n c, n e, n f, n g, n h) s WHERE x <= $ROWS;
DROP TABLE n;
SQL

seconds() { local start=$1; echo "$(date +%s.%N) - $start" | bc; }

move() {
  local label=$1; shift
  m "$TARGET" -e "DROP DATABASE IF EXISTS mv; CREATE DATABASE mv"
  local start; start=$(date +%s.%N)
  ${BENCH_MOVE_TIME:-} bin/spirit move ${BENCH_MOVE_ARGS:-} --source-dsn "spirit:spirit@tcp($SOURCE)/mv" --target-dsn "spirit:spirit@tcp($TARGET)/mv" "$@" \
    > "target/bench-move-$label.log" 2>&1
  echo "$label: $(seconds "$start") s ($(grep 'phases:' "target/bench-move-$label.log" | sed 's/^ *//'))"
  m "$SOURCE" -e "RENAME TABLE mv.t_old TO mv.t"
}

move move
move move-deferred-indexes --defer-secondary-indexes
m "$TARGET" -e "DROP DATABASE IF EXISTS mv; CREATE DATABASE mv"
start=$(date +%s.%N)
mysqldump -h"${SOURCE%:*}" -P"${SOURCE#*:}" -uspirit -pspirit --single-transaction mv t \
  | mysql -h"${TARGET%:*}" -P"${TARGET#*:}" -uspirit -pspirit mv
echo "mysqldump|mysql: $(seconds "$start") s"
