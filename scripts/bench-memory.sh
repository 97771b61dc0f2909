#!/usr/bin/env bash
# The change buffer's memory: bytes per pending key (dev.spirit.bench.ChangeBufferMemory), then a real migration of a
# table with a 36-character string key whose every row is changed during the copy, with spirit's heap capped
# (dev.spirit.bench.ManyChangedKeys). Results in docs/benchmarks.md.
#   BENCH_MEMORY_ROWS=2000000  BENCH_MEMORY_HEAP=512m
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q package -DskipTests
./mvnw -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test
cp="target/test-classes:target/classes:$(cat target/test.classpath)"
java -Xmx2g -cp "$cp" dev.spirit.bench.ChangeBufferMemory 1000000
java -cp "$cp" dev.spirit.bench.ManyChangedKeys "${BENCH_MEMORY_ROWS:-2000000}" "${BENCH_MEMORY_HEAP:-512m}"
