#!/usr/bin/env bash
# The first-run demo: builds spirit, starts the tests' embedded MySQL 8.0.31 (Linux x86_64), creates a 500,000-row
# table, runs `spirit migrate --defer-cutover` on it under a write load, releases the cutover once the sentinel says
# ready, checks the result against an independently kept copy, and stops the server. Needs only Java 17 or later.
#   JAVA_HOME  the JDK to use (else `java` on PATH); Maven comes from ./mvnw
set -euo pipefail
cd "$(dirname "$0")/.."

started=$(date +%s%N)
elapsed() { # seconds since $1 (nanoseconds), one decimal
  local ns=$(($(date +%s%N) - $1))
  printf '%d.%ds' $((ns / 1000000000)) $((ns / 100000000 % 10))
}

if [[ -n ${JAVA_HOME:-} ]]; then
  java="$JAVA_HOME/bin/java"
elif ! java="$(command -v java)"; then
  echo "demo: no java on PATH; install Java 17 or later, or set JAVA_HOME" >&2
  exit 2
fi

mkdir -p target
log=target/demo-build.log
echo "==> Building spirit and its test classes: ./mvnw -B -q package -DskipTests (a first run also downloads Maven"
echo "    and the dependencies, quietly; the output goes to $log)"
if ! ./mvnw -B -q package -DskipTests dependency:build-classpath -Dmdep.outputFile=target/test.classpath \
    -Dmdep.includeScope=test >"$log" 2>&1; then
  cat "$log" >&2
  echo "==> DEMO FAILED: the build failed after $(elapsed "$started"); its output is above and in $log" >&2
  exit 1
fi
echo "    built target/spirit.jar in $(elapsed "$started")"

set +e
"$java" -cp "target/test-classes:target/classes:$(cat target/test.classpath)" dev.spirit.demo.Demo
code=$?
set -e
if [[ $code -eq 0 ]]; then
  echo "==> Done: MySQL stopped; the demo took $(elapsed "$started") in all, the build included"
elif [[ $code -eq 130 || $code -eq 143 ]]; then
  echo "==> Interrupted after $(elapsed "$started"); MySQL stopped" >&2
else
  echo "==> DEMO FAILED (exit $code) after $(elapsed "$started"); no server is left running" >&2
fi
exit $code
