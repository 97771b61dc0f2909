#!/usr/bin/env bash
# Starts the same MySQL 8.0.31 and MariaDB servers the integration tests use, on free loopback ports, and keeps them
# until Ctrl-C. Prints how to connect to each. Narrow it with SPIRIT_TEST_ONLY=mysql-8.0 (or mariadb).
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test
exec java -cp "target/test-classes:target/classes:$(cat target/test.classpath)" dev.spirit.testing.ServersMain
