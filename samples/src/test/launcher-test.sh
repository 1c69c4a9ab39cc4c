#!/usr/bin/env bash
# The launcher's own test (issue 12): exit statuses and messages of ./qsp help, demo, server, client and pin, and
# the runtime module path without test jars. ./qsp test runs it after mvn verify; alone: samples/src/test/launcher-test.sh
# Uses its own QSP_DEV_HOME (a temp dir) and ports it takes from the kernel, so it can run beside other demos.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
QSP="$ROOT/qsp"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/qsp-launcher-test.XXXXXX")
export QSP_DEV_HOME="$WORK/dev"
failures=0
holder_pid=""

cleanup() {
  if [[ -n "$holder_pid" ]]; then kill "$holder_pid" 2>/dev/null || true; wait "$holder_pid" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

ok() { echo "launcher-test: ok   $1"; }
fail() { echo "launcher-test: FAIL $1" >&2; failures=$((failures + 1)); }

# expect_status NAME WANT -- command...: runs it (output in $WORK/out, $WORK/err), checks the exit status.
expect_status() {
  local name="$1" want="$2"; shift 3
  local got=0
  "$@" >"$WORK/out" 2>"$WORK/err" </dev/null || got=$?
  if [[ "$got" == "$want" ]]; then ok "$name (exit $got)"; else
    fail "$name: exit status $got, expected $want"; sed 's/^/    | /' "$WORK/out" "$WORK/err" >&2; fi
}

expect_in() { # expect_in NAME FILE TEXT
  if grep -qF -- "$3" "$2"; then ok "$1"; else fail "$1: '$3' not in $(basename "$2")"; sed 's/^/    | /' "$2" >&2; fi
}

# A port that is free now (the kernel's choice), and a process that holds another one, both from a JDK 25 helper
# run from source (no tool beyond the JDK the launcher uses).
JAVA_BIN="${JAVA_HOME:?./qsp test sets JAVA_HOME}/bin/java"
cat >"$WORK/Port.java" <<'JAVA'
import java.net.*;
public class Port {
    public static void main(String[] a) throws Exception {
        ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        System.out.println(s.getLocalPort());
        if (a.length > 0) { System.in.read(); } // hold it until stdin closes
        s.close();
    }
}
JAVA
free_port() { "$JAVA_BIN" "$WORK/Port.java"; }

# ---- help and unknown commands ----
expect_status "help" 0 -- "$QSP" help
for v in JAVA_HOME QSP_DEMO_PORT QSP_DEV_HOME; do expect_in "help lists $v" "$WORK/out" "  $v "; done
expect_in "help lists install" "$WORK/out" "  install "
expect_in "help lists pin" "$WORK/out" "  pin "
expect_status "unknown command" 2 -- "$QSP" no-such-command
expect_in "unknown command named" "$WORK/err" "qsp: unknown command 'no-such-command'"

# ---- the demo: 0 when it worked (with the KME pair, the default), non-zero when it did not ----
QSP_DEMO_PORT=$(free_port) expect_status "demo (QKD) succeeds" 0 -- "$QSP" demo
expect_in "demo echoed" "$WORK/out" "client: echo: hello, quantum-safe world #10"
expect_in "demo closed normally" "$WORK/out" "client: server closed the connection normally (authenticated CLOSE)"
expect_status "demo --help" 0 -- "$QSP" demo --help
expect_in "demo --help is usage, not a message" "$WORK/out" "usage: ./qsp demo [--no-qkd]"

coproc HOLDER { "$JAVA_BIN" "$WORK/Port.java" hold; }
holder_pid=$HOLDER_PID
read -r taken <&"${HOLDER[0]}"
QSP_DEMO_PORT=$taken expect_status "demo on a port in use fails" 1 -- "$QSP" demo --no-qkd
expect_in "demo failure names the port" "$WORK/out" "EchoServer: cannot listen on 127.0.0.1:$taken: Address already in use"
expect_in "demo says the server did not start" "$WORK/err" "qsp demo: the server did not start"

# ---- server and client command lines ----
expect_status "server on a port in use" 1 -- "$QSP" server --port "$taken"
expect_in "server names the port" "$WORK/err" "EchoServer: cannot listen on 127.0.0.1:$taken: Address already in use"
kill "$holder_pid" 2>/dev/null || true; wait "$holder_pid" 2>/dev/null || true; holder_pid=""

expect_status "client --port without a value" 2 -- "$QSP" client --port
expect_in "client --port message" "$WORK/err" "EchoClient: Missing required parameter for option '--port' (PORT) (see --help)"
expect_status "client --port abc" 2 -- "$QSP" client --port abc
expect_in "client --port abc message" "$WORK/err" "EchoClient: Invalid value for option '--port': 'abc' is not an int"
expect_status "client --bogus" 2 -- "$QSP" client --bogus
expect_in "client --bogus is an error, not a message" "$WORK/err" "EchoClient: Unknown option: '--bogus'"
expect_status "client --help" 0 -- "$QSP" client --help
expect_in "client --help" "$WORK/out" "Usage: EchoClient"
expect_status "kme --help" 0 -- "$QSP" kme --help
expect_in "kme --help" "$WORK/out" "Usage: KmeMain [-h] DIRECTORY"
expect_status "kme with two directories" 2 -- "$QSP" kme "$WORK/a" "$WORK/b"
expect_in "kme extra argument" "$WORK/err" "KmeMain: Unmatched argument at index 1: '$WORK/b' (see --help)"
expect_status "bench rekey --bogus" 2 -- "$QSP" bench rekey --bogus
expect_in "bench rekey --bogus message" "$WORK/err" "qsp bench rekey: Unknown option: '--bogus' (see --help)"

# ---- pin ----
expect_status "pin of the dev server's PKCS#12" 0 -- "$QSP" pin "$QSP_DEV_HOME/server.p12" --password qsp-dev-only
if grep -qxE 'sha256:[0-9a-f]{64}' "$WORK/out"; then ok "pin format"; else fail "pin format: $(cat "$WORK/out")"; fi
p12_pin=$(cat "$WORK/out")
"$JAVA_HOME/bin/keytool" -exportcert -rfc -alias server -keystore "$QSP_DEV_HOME/server.p12" \
    -storepass qsp-dev-only -file "$WORK/server.pem" >/dev/null 2>&1
expect_status "pin of the exported PEM" 0 -- "$QSP" pin "$WORK/server.pem"
if [[ "$(cat "$WORK/out")" == "$p12_pin" ]]; then ok "pin of PEM equals pin of PKCS#12"; else fail "pins differ"; fi
expect_status "pin without a file" 2 -- "$QSP" pin

# ---- mvn under a JDK older than 25 says how to build (only where such a JDK is installed) ----
old_jdk=""
for c in /usr/lib/jvm/*; do
  if [[ -x "$c/bin/java" && -x "$c/bin/javac" ]]; then
    v=$("$c/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n1)
    if [[ "$v" =~ ^[0-9]+$ && "$v" -lt 25 ]]; then old_jdk="$c"; break; fi
  fi
done
if [[ -n "$old_jdk" ]] && command -v mvn >/dev/null; then
  expect_status "mvn install under $(basename "$old_jdk") stops" 1 -- env JAVA_HOME="$old_jdk" MAVEN_OPTS= \
      mvn -B -ntp -o -N -f "$ROOT/pom.xml" validate
  expect_in "mvn under an old JDK points to ./qsp install" "$WORK/out" "./qsp install"
  expect_in "mvn under an old JDK points to JAVA_HOME" "$WORK/out" "JAVA_HOME=/path/to/jdk-25 mvn install"
else
  echo "launcher-test: skip mvn under an older JDK (none installed)"
fi

# ---- the runtime module path holds no test jars ----
if grep -qiE 'junit|opentest4j|apiguardian|mockito' "$ROOT/samples/target/classpath.txt"; then
  fail "test jars on the samples' runtime module path: $(tr ':' '\n' <"$ROOT/samples/target/classpath.txt" | grep -iE 'junit|opentest4j|apiguardian|mockito' | xargs -n1 basename | tr '\n' ' ')"
else ok "no test jars on the samples' runtime module path"; fi

# ---- qsp-sockets without QKD pulls neither Jackson nor bcpkix (README "Use it from Maven", issue 12) ----
# sockets/target/runtime-classpath.txt: the runtime-scope dependencies Maven resolved for qsp-sockets at package time,
# which is what an application depending on qsp-sockets gets (optional dependencies are not passed on).
sockets_cp="$ROOT/sockets/target/runtime-classpath.txt"
if [[ ! -f "$sockets_cp" ]]; then fail "no $sockets_cp (run mvn package first)"
else
  sockets_jars=$(tr ':' '\n' <"$sockets_cp" | xargs -n1 basename | sed -E 's/-[0-9][0-9.]*(-SNAPSHOT)?\.jar$//' | sort | tr '\n' ' ')
  if [[ "$sockets_jars" == "bcprov-jdk18on qsp-keysources qsp-provider " ]]; then
    ok "qsp-sockets' runtime class path is bcprov, qsp-keysources and qsp-provider only (no Jackson, no bcpkix)"
  else fail "qsp-sockets' runtime class path: $sockets_jars(expected bcprov-jdk18on qsp-keysources qsp-provider)"; fi
fi

if [[ $failures -ne 0 ]]; then echo "launcher-test: $failures FAILED" >&2; exit 1; fi
echo "launcher-test: all passed"
