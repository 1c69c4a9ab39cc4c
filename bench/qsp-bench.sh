#!/usr/bin/env bash
# `./qsp bench` and `./qsp fuzz` (issue 6). Called by ./qsp, which has already chosen a JDK >= 25
# (JAVA_HOME, PATH) and set MAVEN_OPTS. Builds bench/target/benchmarks.jar when a source is newer than it.
#
#   ./qsp bench            full suite (documented setting, see BenchSuite), writes bench/results/latest.{json,md}
#   ./qsp bench --quick    the same suite with fewer iterations (under 3 minutes on 2 cores)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/bench/target/benchmarks.jar"

stale() {
  [[ -f "$JAR" && -d "$ROOT/bench/target/bcjsse-lib" ]] || return 0
  [[ -n $(find "$ROOT/pom.xml" "$ROOT"/{provider,keysources,sockets,bench}/pom.xml \
            "$ROOT"/{provider,keysources,sockets,bench}/src/main -newer "$JAR" -print -quit 2>/dev/null) ]]
}

build() {
  if stale; then
    echo "qsp: building bench/target/benchmarks.jar (mvn package, tests skipped) ..." >&2
    mvn -B -ntp -q -f "$ROOT/pom.xml" -DskipTests -pl bench -am package >&2
  fi
}

cmd="$1"; shift
case "$cmd" in
  bench)
    build
    exec java -cp "$JAR" dev.qsp.bench.suite.BenchSuite --out "$ROOT/bench/results" "$@"
    ;;
  *)
    echo "qsp: unknown command '$cmd'" >&2
    exit 2
    ;;
esac
