#!/bin/sh
# xt-post -F rows into a real ClickHouse: Debian's clickhouse-server on
# 127.0.0.1, on ports picked free, with its own config and data in the
# trash directory.  With contrib/clickhouse's schema, configuration and
# report queries, checked with clickhouse-client: every event arrives as
# a row with its values (Unicode, nested objects, big numbers), a batch
# sent twice is one copy, the report counts what was sent, -n sends
# nothing, credentials work and never show, and the cluster schema takes
# the same rows.
. "$(dirname "$0")/../lib.sh"

CONTRIB=$XT_ROOT/contrib/clickhouse
CH=$TRASH/ch
CH_PID=
CH_SERVER=$(command -v clickhouse-server || echo /usr/sbin/clickhouse-server)
CH_USER=xt_insert
CH_KEY=k3y-$$-not-in-any-message
TEST_PID=$$

ch_gone() {	# the server has exited (a zombie counts: it is done)
	! kill -0 "$CH_PID" 2>/dev/null ||
	    grep -q '^[0-9]* ([^)]*) Z' "/proc/$CH_PID/stat" 2>/dev/null
}

ch_stop() {
	[ -n "$CH_PID" ] || return 0
	kill "$CH_PID" 2>/dev/null
	wait_for ch_gone 60 || kill -9 "$CH_PID" 2>/dev/null
	wait "$CH_PID" 2>/dev/null
	CH_PID=
}
trap 'rc=$?; ch_stop; (exit $rc); test_cleanup' EXIT

if [ ! -x "$CH_SERVER" ] || ! command -v clickhouse-client >/dev/null 2>&1; then
	test_skip 'xt-post -F rows into ClickHouse' 'clickhouse-server or clickhouse-client is not installed (tests/deps.sh test installs them where the distribution has them)'
	test_done
fi

# Three ports free on 127.0.0.1 now (held together, so all differ).
free_ports() {
	python3 -c 'import socket
s = [socket.socket() for _ in range(3)]
for x in s: x.bind(("127.0.0.1", 0))
print(" ".join(str(x.getsockname()[1]) for x in s))'
}

# The server's config: loopback only, these ports, everything under $CH;
# a time zone east of UTC where there is one, to show the days are UTC's.
ch_config() {
	tz=UTC
	[ -f /usr/share/zoneinfo/Asia/Kolkata ] && tz=Asia/Kolkata
	mkdir -p "$CH/data" "$CH/log" &&
	cat >"$CH/config.xml" <<EOF
<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>$CH/log/server.log</log><errorlog>$CH/log/error.log</errorlog></logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>$CH_HTTP</http_port>
  <tcp_port>$CH_TCP</tcp_port>
  <interserver_http_port>$CH_INTER</interserver_http_port>
  <interserver_http_host>127.0.0.1</interserver_http_host>
  <path>$CH/data/</path>
  <tmp_path>$CH/data/tmp/</tmp_path>
  <user_files_path>$CH/data/user_files/</user_files_path>
  <format_schema_path>$CH/data/format_schemas/</format_schema_path>
  <users_config>$CH/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>$tz</timezone>
  <mark_cache_size>67108864</mark_cache_size>
  <uncompressed_cache_size>67108864</uncompressed_cache_size>
  <mlock_executable>false</mlock_executable>
  <remote_servers><xt_cluster><shard><replica>
    <host>127.0.0.1</host><port>$CH_TCP</port>
    <user>$CH_USER</user><password>$CH_KEY</password>
  </replica></shard></xt_cluster></remote_servers>
</yandex>
EOF
	# default needs a password no one sends: a request without
	# credentials is refused
	cat >"$CH/users.xml" <<EOF
<?xml version="1.0"?>
<yandex>
  <profiles><default></default></profiles>
  <quotas><default></default></quotas>
  <users>
    <default><password>unused-$$-$(date +%s%N)</password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default>
    <$CH_USER><password>$CH_KEY</password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></$CH_USER>
  </users>
</yandex>
EOF
}

ch_up() {
	[ "$(curl -s --noproxy '*' "http://127.0.0.1:$CH_HTTP/ping")" = Ok. ]
}

# Start it; a port picked free may be taken before the server binds it,
# so a server that dies at once is tried again on other ports.
ch_start() {
	for try in 1 2 3; do
		set -- $(free_ports) &&
		CH_HTTP=$1 CH_TCP=$2 CH_INTER=$3 &&
		ch_config || return 1
		"$CH_SERVER" --config-file="$CH/config.xml" \
		    >"$CH/log/stdout" 2>&1 </dev/null &
		CH_PID=$!
		# should this shell be killed, the server goes too
		(while kill -0 "$TEST_PID" && ! ch_gone; do sleep 1; done
		    kill "$CH_PID") >/dev/null 2>&1 </dev/null &
		wait_for 'ch_up || ch_gone' 180 || return 1
		ch_up && return 0
		echo "clickhouse-server exited (try $try):" >&2
		tail -5 "$CH/log/stdout" "$CH/log/error.log" >&2
		wait "$CH_PID"
		CH_PID=
	done
	return 1
}

chc() {	# chc [clickhouse-client options]: as the insert user
	clickhouse-client --host 127.0.0.1 --port "$CH_TCP" \
	    --user "$CH_USER" --password "$CH_KEY" "$@"
}

# The URL of contrib/clickhouse/telemetry.json, on this server.
ch_url() {
	jq -r '."telemetry.endpoint"' "$CONTRIB/telemetry.json" |
	    sed "s|^https://clickhouse.example.com:8443/|http://127.0.0.1:$CH_HTTP/|"
}

post_rows() {	# post_rows FILE [xt-post options]: as contrib says, with -H
	f=$1
	shift
	xt-post -F rows -t 60 -H "X-ClickHouse-User: $CH_USER" \
	    -H "X-ClickHouse-Key: $CH_KEY" -u "$URL" "$@" <"$f"
}

# Batch A: one install on Linux, three events; one with every kind of
# value, one just before midnight UTC (past it in the server's zone).
XT_CONFIG=$TRASH/a.json
export XT_CONFIG
{
	xt-id && xt-hash my-app@1.0.0 && xt-meta &&
	echo '{"meta":{"platform":"linux","arch":"x64","isCI":false,"ciName":null}}' &&
	xt-event -T 2026-11-24T17:21:00.001Z build:completed success:=true \
	    duration:=1248 big:=18446744073709551617 huge:=1e400 neg:=-0.50 \
	    "text=héllo wörld € 😀 \"quoted\" back\\slash	tab" \
	    'nested:={"a":{"b":[1,2,{"c":null}]},"d":"ü"}' &&
	xt-event -T 2026-11-24T23:59:59.999Z test:run &&
	xt-event -T 2026-11-25T00:00:00.000Z build:completed
} >a.jsonl
# Batch B: another install, on CI, macOS on arm64; two events.
XT_CONFIG=$TRASH/b.json
{
	xt-id && xt-hash my-app@1.0.0 && xt-meta &&
	echo '{"meta":{"platform":"darwin","arch":"arm64","isCI":true,"ciName":"GitHub Actions"}}' &&
	xt-event -T 2026-12-02T10:00:00.000Z build:completed &&
	xt-event -T 2026-11-24T08:00:00.000Z build:completed ok:=false
} >b.jsonl
XT_CONFIG=$TRASH/c.json
SID_A=$(jq -r 'select(.context.sessionId) | .context.sessionId' a.jsonl)

# The columns compared, as jq sees them on both sides (ClickHouse gives
# booleans as 0 and 1, and escapes differently: jq decodes both).
COLS='{anonymousId, projectHash, sessionId, platform, systemRelease, arch,
    cpuCores, cpuModel, cpuSpeed, memoryTotal, ciName, eventIndex,
    eventName, timestamp, fields,
    isCI: (if .isCI == true then 1 elif .isCI == false then 0 else .isCI end),
    isDocker: (if .isDocker == true then 1 elif .isDocker == false then 0 else .isDocker end)}'
SELECT_ROWS="SELECT * FROM xt.events ORDER BY sessionId, eventIndex FORMAT JSONEachRow"

# Started here, not in a test: a test runs in a subshell, and the
# server's pid and ports are needed until the end.
mkdir -p "$CH"
ch_start >"$CH/start.log" 2>&1
CH_STARTED=$?
URL=$(ch_url)

test_expect_success 'clickhouse-server starts on 127.0.0.1 on free ports' '
	cat "$CH/start.log" &&
	test "$CH_STARTED" = 0 &&
	chc --query "SELECT 1" >out && test "$(cat out)" = 1 &&
	test "$(ch_url)" != "$(jq -r ".\"telemetry.endpoint\"" "$CONTRIB/telemetry.json")"
'

test_expect_success 'the schema of contrib/clickhouse loads' '
	chc --multiquery <"$CONTRIB/schema.sql" &&
	chc --query "EXISTS TABLE xt.events" >out && test "$(cat out)" = 1 &&
	chc --query "SYSTEM STOP MERGES xt.events"
'

test_expect_success 'every event arrives as a row with its columns and values' '
	post_rows a.jsonl && post_rows b.jsonl &&
	{ xt-post -F rows -n <a.jsonl && xt-post -F rows -n <b.jsonl; } >sent &&
	test "$(wc -l <sent)" = 5 &&
	jq -c "$COLS" sent | sort >want &&
	chc --query "$SELECT_ROWS" >got.json &&
	jq -c "$COLS" got.json | sort >got &&
	test_cmp want got
'

cat >fields.sql <<EOF
SELECT visitParamExtractRaw(fields, 'big') AS big,
    visitParamExtractRaw(fields, 'huge') AS huge,
    visitParamExtractRaw(fields, 'neg') AS neg,
    visitParamExtractRaw(fields, 'nested') AS nested,
    visitParamExtractBool(fields, 'success') AS success,
    visitParamExtractUInt(fields, 'duration') AS duration,
    fields
FROM xt.events WHERE sessionId = '$SID_A' AND eventIndex = 0
FORMAT JSONEachRow
EOF
cat >want-fields <<'EOF'
18446744073709551617
1e400
-0.50
{"a":{"b":[1,2,{"c":null}]},"d":"ü"}
1
1248
EOF
printf '%s\n' 'héllo wörld € 😀 "quoted" back\slash	tab' >want-text
cat >times.sql <<EOF
SELECT eventIndex, toString(time), ms, toDate(time)
FROM xt.events WHERE sessionId = '$SID_A' ORDER BY eventIndex
EOF
printf '0\t2026-11-24 17:21:00\t1\t2026-11-24\n1\t2026-11-24 23:59:59\t999\t2026-11-24\n2\t2026-11-25 00:00:00\t0\t2026-11-25\n' >want-times

test_expect_success 'fields keep Unicode, nested objects and numbers exactly' '
	chc <fields.sql >got &&
	jq -r ".big, .huge, .neg, .nested, .success, .duration" got >got-fields &&
	test_cmp want-fields got-fields &&
	jq -r .fields got | jq -r .text >got-text &&
	test_cmp want-text got-text
'

test_expect_success 'timestamps become UTC seconds and milliseconds, whatever the server zone' '
	chc <times.sql >got-times &&
	test_cmp want-times got-times
'

test_expect_success 'the same batch delivered twice leaves one copy after OPTIMIZE FINAL' '
	post_rows a.jsonl &&
	chc --query "SELECT count() FROM xt.events" >got && test "$(cat got)" = 8 &&
	chc --query "SELECT count() FROM xt.events FINAL" >got && test "$(cat got)" = 5 &&
	chc --query "SYSTEM START MERGES xt.events" &&
	chc --query "OPTIMIZE TABLE xt.events FINAL" &&
	chc --query "SELECT count() FROM xt.events" >got && test "$(cat got)" = 5 &&
	chc --query "$SELECT_ROWS" >got.json &&
	jq -c "$COLS" got.json | sort >got && test_cmp want got
'

# What the report must say of batches A and B.
cat >want-events-per-day <<'EOF'
2026-11-24	build:completed	2
2026-11-24	test:run	1
2026-11-25	build:completed	1
2026-12-02	build:completed	1
EOF
printf '2026-11-23\t2\n2026-11-30\t1\n' >want-installs-per-week
printf 'darwin\tarm64\t1\t50\nlinux\tx64\t1\t50\n' >want-platform-share
printf 'not CI\t3\t60\nGitHub Actions\t2\t40\n' >want-ci-share

check_report() {
	for q in events-per-day installs-per-week platform-share ci-share; do
		chc <"$CONTRIB/report/$q.sql" >"got-$q" &&
		test_cmp "want-$q" "got-$q" || return 1
	done
}

test_expect_success 'the report queries return the counts sent (a resent batch once)' '
	post_rows a.jsonl &&
	check_report
'

SID_B=$(jq -r 'select(.context.sessionId) | .context.sessionId' b.jsonl)
test_expect_success '-F rows -n prints the rows and sends nothing' '
	chc --query "SELECT count() FROM xt.events" >before &&
	post_rows b.jsonl -n >out &&
	jq -c "$COLS" out >got &&
	jq -c "select(.sessionId == \"$SID_B\") | $COLS" got.json >want &&
	test "$(wc -l <want)" = 2 && test_cmp want got &&
	XT_FORMAT=rows xt-post -n -u "$URL" <b.jsonl >out2 && test_cmp out out2 &&
	chc --query "SELECT count() FROM xt.events" >after &&
	test_cmp before after
'

test_expect_success 'contrib/clickhouse/telemetry.json is the whole configuration' '
	jq --arg url "$URL" --arg user "$CH_USER" --arg key "$CH_KEY" \
	    ".\"telemetry.endpoint\" = \$url |
	     .\"telemetry.headers\".\"X-ClickHouse-User\" = \$user |
	     .\"telemetry.headers\".\"X-ClickHouse-Key\" = \$key" \
	    "$CONTRIB/telemetry.json" >"$XT_CONFIG" && chmod 600 "$XT_CONFIG" &&
	{ xt-id && xt-meta && xt-event -T 2026-11-30T12:00:00.000Z config:test n:=1; } >c.jsonl &&
	xt-post -t 60 <c.jsonl &&
	chc --query "SELECT eventName, fields FROM xt.events FINAL
	    WHERE eventName = '\''config:test'\'' FORMAT TSV" >got &&
	printf "config:test\t{\"n\":1}\n" >want && test_cmp want got
'

test_expect_success 'a wrong key is refused for good (exit 1), and no message shows a key' '
	jq --arg key "wrong-$CH_KEY" ".\"telemetry.headers\".\"X-ClickHouse-Key\" = \$key" \
	    "$XT_CONFIG" >cfg && cat cfg >"$XT_CONFIG" &&
	test_exit 1 env XT_DEBUG=1 xt-post -t 60 <c.jsonl 2>err &&
	test_grep "HTTP 401" err &&
	test_nogrep "$CH_KEY" err &&
	test_exit 1 xt-post -F rows -t 60 -u "$URL" <c.jsonl 2>err &&
	test_nogrep "$CH_KEY" err
'

# xt-flush's detached sender runs xt-post with the caller's environment
# and config: rows go out with nothing special.
# The sender holds the spool's lock (fcntl) until it exits.
sender_gone() {
	python3 -c 'import fcntl, sys
fcntl.lockf(open(sys.argv[1], "r+"), fcntl.LOCK_EX | fcntl.LOCK_NB)' \
	    "$XDG_STATE_HOME/xt/telemetry/spool/.lock" 2>/dev/null
}
flush_rows() {
	chc --query "SELECT count() FROM xt.events FINAL WHERE eventName = 'flush:test'"
}
cat >flush.sql <<'EOF'
SELECT eventIndex, eventName, timestamp, fields, length(sessionId), length(anonymousId), length(projectHash)
FROM xt.events FINAL WHERE eventName = 'flush:test' ORDER BY timestamp, eventIndex
FORMAT TSV
EOF
printf '0\tflush:test\t2026-11-26T10:00:00.000Z\t{"n":1}\t64\t64\t64\n0\tflush:test\t2026-11-26T10:00:01.000Z\t{"n":18446744073709551617,"u":"ünï"}\t64\t64\t64\n1\tflush:test\t2026-11-26T10:00:02.000Z\t{"nested":{"a":[1]}}\t64\t64\t64\n' >want-flush

if [ ! -f "$XT_ROOT/cmd/xt-flush.c" ]; then
	test_skip 'xt-event | xt-flush delivers rows to ClickHouse' 'no xt-flush in this tree'
else
	test_expect_success 'xt-event | xt-flush: the detached sender delivers rows, from the config alone' '
		XT_CONFIG=$TRASH/flush.json &&
		jq --arg url "$URL" --arg user "$CH_USER" --arg key "$CH_KEY" \
		    ".\"telemetry.endpoint\" = \$url |
		     .\"telemetry.headers\".\"X-ClickHouse-User\" = \$user |
		     .\"telemetry.headers\".\"X-ClickHouse-Key\" = \$key" \
		    "$CONTRIB/telemetry.json" >"$XT_CONFIG" && chmod 600 "$XT_CONFIG" &&
		xt-event -T 2026-11-26T10:00:00.000Z flush:test n:=1 | xt-flush 2>notice &&
		{ xt-event -T 2026-11-26T10:00:01.000Z flush:test n:=18446744073709551617 u=ünï &&
		  xt-event -T 2026-11-26T10:00:02.000Z flush:test nested:="{\"a\":[1]}"; } | xt-flush &&
		wait_for "[ \"\$(flush_rows)\" = 3 ]" 90 &&
		chc <flush.sql >got-flush &&
		test_cmp want-flush got-flush &&
		chc --query "SELECT uniqExact(sessionId), uniqExact(anonymousId) FROM xt.events FINAL WHERE eventName = '\''flush:test'\'' FORMAT TSV" >got &&
		printf "2\t1\n" >want && test_cmp want got &&
		wait_for sender_gone 60
	'
fi

test_expect_success 'contrib/clickhouse/cluster.sql takes the same rows and answers the same report' '
	chc --query "DROP DATABASE xt" &&
	chc --multiquery <"$CONTRIB/cluster.sql" &&
	URL=$URL\&insert_distributed_sync=1 &&
	post_rows a.jsonl && post_rows b.jsonl && post_rows a.jsonl &&
	check_report &&
	chc --query "OPTIMIZE TABLE xt.events_local FINAL" &&
	chc --query "SELECT count() FROM xt.events_local" >got && test "$(cat got)" = 5
'

test_done
