#!/bin/sh
# xt-collect: what it stores of real uploads, every refusal, a resent
# batch, clients that trickle or idle, SIGTERM mid-request, HTTPS.
. "$(dirname "$0")/../lib.sh"
CLIENT="python3 $XT_ROOT/tests/collect-client.py"
trap 'collect_kill_all; test_cleanup' EXIT

# collect_start [OPTION...]: xt-collect on an ephemeral loopback port
# with the database $DB; sets COLLECT_PID, URL, PORT.  Its stderr is
# in $TRASH/collect.err.  Every one started is killed when the script
# ends (a test runs in a subshell: its variables do not come back).
collect_start() {
	: >"$TRASH/url"
	xt-collect -l 127.0.0.1:0 -d "$DB" "$@" >"$TRASH/url" 2>"$TRASH/collect.err" &
	COLLECT_PID=$!
	echo "$COLLECT_PID" >>"$TRASH/pids"
	wait_for 'grep -q "/api/telemetry/events\$" "$TRASH/url" || ! kill -0 $COLLECT_PID' 60 &&
	URL=$(cat "$TRASH/url") && PORT=${URL#*127.0.0.1:} && PORT=${PORT%%/*} &&
	[ -n "$PORT" ]
}

# collect_stop: SIGTERM; it must exit 0.
collect_stop() {
	kill -TERM "$COLLECT_PID" && wait "$COLLECT_PID"
	rc=$?
	[ "$rc" = 0 ] || { echo "xt-collect exited $rc" >&2; cat "$TRASH/collect.err" >&2; return 1; }
}

collect_kill_all() {
	[ -f "$TRASH/pids" ] && while read -r pid; do
		kill -KILL "$pid" 2>/dev/null
	done <"$TRASH/pids"
	return 0
}

# post FILE [curl options...]: POST it; prints "STATUS BODY" on one line.
post() {
	f=$1
	shift
	out=$(curl -s --noproxy '*' -w ' %{http_code}' \
	    -H 'Content-Type: application/json' --data-binary @"$f" "$@" "$URL") &&
	printf '%s %s\n' "${out##* }" "$(printf '%s' "${out% *}" | tr -d '\n')"
}

# state: the database's whole content, to show a refusal changed nothing
state() {
	sqlite3 "$DB" 'select * from batches order by sessionId; select * from events order by id' >"$1"
}

# payload I [EVENTS]: a payload of session I (a fixed identity, session
# id from I) with EVENTS events (default 1), on stdout.  The meta is
# xt-meta's, made once; the events are xt-event's form, written here, so
# that hundreds of payloads cost no process each (the sanitized build
# is slow to start).
META=$(xt-meta)
payload() {
	sid=$(printf 'session %s' "$1" | sha256sum | cut -c1-64)
	{
		echo "{\"context\":{\"anonymousId\":\"$ANON\",\"sessionId\":\"$sid\"}}"
		echo "$META"
		n=0
		while [ $n -lt "${2:-1}" ]; do
			echo "{\"eventName\":\"test:e$n\",\"timestamp\":\"2026-11-24T17:21:00.001Z\",\"fields\":{\"n\":$n}}"
			n=$((n + 1))
		done
	} | xt-post -n
}

DB=$TRASH/c.db
VERSION=$(xt-collect -V | cut -d" " -f2)

collect_start
test_expect_success 'listens on the port it prints, and answers' '
	test -n "$PORT" &&
	payload 0 >p0.json &&
	post p0.json >out && test "$(cat out)" = "200 stored 1 event"
'

test_expect_success 'stores exactly what xt-post sent, row for row (sqlite3)' '
	{
		xt-id && xt-hash demo@1.0.0 && xt-hash -k repoHash git@x:y.git &&
		xt-meta -k xmcpVersion=1.1.3 &&
		xt-event -T 2026-11-24T17:21:00.001Z build:completed success:=true \
		    duration:=1248 big:=18446744073709551617 version=1.10 "s=\"quoted\" ünï" &&
		xt-event -T 2026-11-25T00:00:00.000Z "ping: é" arr:="[1,{\"a\":null}]" &&
		xt-event -T 2026-11-25T23:59:59.999Z empty
	} >frag &&
	xt-post -n <frag >sent.json &&
	before=$(sqlite3 "$DB" "select count(*) from events") &&
	xt-post -u "$URL" <frag &&
	test "$(sqlite3 "$DB" "select count(*) from events")" = $((before + 3)) &&
	sid=$(jq -r .context.sessionId sent.json) &&
	sqlite3 -json "$DB" "select anonymousId, projectHash, sessionId,
	    contextExtra, platform, systemRelease, arch, cpuCores, cpuModel,
	    cpuSpeed, memoryTotal, isDocker, isWsl, isCI, ciName, metaExtra,
	    eventName, timestamp from events where sessionId = '\''$sid'\''
	    order by id" | jq -S . >got &&
	jq -S ". as \$p | [.events[] | {anonymousId: \$p.context.anonymousId,
	    projectHash: \$p.context.projectHash, sessionId: \$p.context.sessionId,
	    contextExtra: ({repoHash: \$p.context.repoHash} | tojson),
	    platform: \$p.meta.platform, systemRelease: \$p.meta.systemRelease,
	    arch: \$p.meta.arch, cpuCores: \$p.meta.cpuCores, cpuModel: \$p.meta.cpuModel,
	    cpuSpeed: \$p.meta.cpuSpeed, memoryTotal: \$p.meta.memoryTotal,
	    isDocker: (if \$p.meta.isDocker then 1 else 0 end),
	    isWsl: (if \$p.meta.isWsl then 1 else 0 end),
	    isCI: (if \$p.meta.isCI then 1 else 0 end), ciName: \$p.meta.ciName,
	    metaExtra: ({xmcpVersion: \$p.meta.xmcpVersion} | tojson),
	    eventName, timestamp}]" sent.json >want &&
	test_cmp want got &&
	sqlite3 "$DB" "select fields from events where sessionId = '\''$sid'\'' order by id" >got &&
	sed -n "s/.*\"fields\":\(.*\)}\$/\1/p" frag >want &&
	test_cmp want got &&
	grep -q 18446744073709551617 got &&
	test "$(sqlite3 "$DB" "select events from batches where sessionId = '\''$sid'\''")" = 3
'

test_expect_success 'the same batch twice is stored once, and both are answered 200' '
	payload 1 3 >p1.json &&
	post p1.json >out && test "$(cat out)" = "200 stored 3 events" &&
	post p1.json >out && test "$(cat out)" = "200 already stored" &&
	payload 2 >frag2 &&
	xt-post -u "$URL" <frag2 && xt-post -u "$URL" <frag2 &&
	sid=$(printf "session 1" | sha256sum | cut -c1-64) &&
	test "$(sqlite3 "$DB" "select count(*) from events where sessionId = '\''$sid'\''")" = 3 &&
	sid=$(printf "session 2" | sha256sum | cut -c1-64) &&
	test "$(sqlite3 "$DB" "select count(*) from events where sessionId = '\''$sid'\''")" = 1
'

test_expect_success 'accepts xmcp 1.1.3'\''s own payload, as xmcp sends it' '
	post "$XT_ROOT/tests/fuzz/corpus/batch/xmcp" >out && test "$(cat out)" = "200 stored 1 event" &&
	test "$(sqlite3 "$DB" "select eventName, fields from events where sessionId = '\''9e1b365fbe2f0602bede1692302d6db00ab611de00a6f236086b4d6837bf5033'\''")" = \
	    "build:completed|$(jq -c .events[0].fields "$XT_ROOT/tests/fuzz/corpus/batch/xmcp")"
'

# Refusals: a name, the status, the start of the reason, and a jq
# program that turns the good payload p0.json into the bad one (or a
# literal body after "raw:").
payload 7 >good.json
while IFS='|' read -r what status reason make; do
	test_expect_success "refuses $what: $status, the reason, nothing stored" '
		case "$make" in
		raw:*) printf "%s" "${make#raw:}" >bad ;;
		*) jq -c "$make" good.json >bad ;;
		esac &&
		state before &&
		post bad >out &&
		{ case "$(cat out)" in "$status $reason"*) true ;; *) cat out; false ;; esac; } &&
		state after && test_cmp before after
	'
done <<'EOF'
bad JSON|400|not JSON: line 1, byte 17: value expected|raw:{"context":{"a":}}
a trailing comma|400|not JSON: line 1, byte 8: trailing comma|raw:{"a":1 ,}
an array|400|not a JSON object|[.]
an unknown key|400|unknown key "extra"|.extra = 1
no events key|400|events: missing|del(.events)
no meta|400|meta: missing|del(.meta)
events not an array|400|events: not an array|.events = {}
no events|400|events: empty|.events = []
over 1000 events|400|events: over 1000|.events = [range(1001) as $i | .events[0]]
an upper-case anonymousId|400|context.anonymousId: not 64 lowercase hex digits|.context.anonymousId |= ascii_upcase
a short sessionId|400|context.sessionId: not 64 lowercase hex digits|.context.sessionId |= .[1:]
no sessionId|400|context.sessionId: missing|del(.context.sessionId)
a projectHash that is no hash|400|context.projectHash: not 64|.context.projectHash = "x"
another context key that is no hash|400|context.repoHash: not 64|.context.repoHash = 1
cpuCores as a string|400|meta.cpuCores: not a number|.meta.cpuCores = "2"
cpuCores with a fraction|400|meta.cpuCores: not a whole number|.meta.cpuCores = 2.5
isCI as a string|400|meta.isCI: not true or false|.meta.isCI = "true"
a control character in meta|400|meta.cpuModel: a control character|.meta.cpuModel = "a\u001bb"
no timestamp|400|events[0].timestamp: missing|del(.events[0].timestamp)
a timestamp without milliseconds|400|events[0].timestamp: not YYYY-MM-DDTHH:MM:SS.sssZ|.events[0].timestamp = "2026-11-24T17:21:00Z"
February 30th|400|events[0].timestamp: not YYYY-MM-DDTHH:MM:SS.sssZ|.events[0].timestamp = "2026-02-30T17:21:00.000Z"
an empty event name|400|events[0].eventName: empty|.events[0].eventName = ""
a control character in a name|400|events[0].eventName: not printable|.events[0].eventName = "a\u0007"
a 129-byte name|400|events[0].eventName: over 128 bytes|.events[0].eventName = ("x" * 129)
an unknown key in an event|400|events[0]: unknown key "extra"|.events[0].extra = 1
fields that are not an object|400|events[0].fields: not an object|.events[0].fields = [1]
the second event bad|400|events[1].eventName: missing|.events += [{"timestamp":"2026-11-24T17:21:00.001Z"}]
EOF

test_expect_success 'refuses a wrong path (404), a wrong method (405), nothing stored' '
	state before &&
	curl -s --noproxy "*" -o ans -w "%{http_code}\n" -d @good.json "${URL%/events}/other" >code &&
	test "$(cat code)" = 404 && test_grep "no such path" ans &&
	curl -s --noproxy "*" -o ans -w "%{http_code}\n" "$URL" >code &&
	test "$(cat code)" = 405 && test_grep "only POST" ans &&
	curl -s --noproxy "*" -o ans -D hdr -w "%{http_code}\n" -X PUT --data-binary @good.json "$URL" >code &&
	test "$(cat code)" = 405 && grep -qi "^allow: POST" hdr &&
	state after && test_cmp before after
'

test_expect_success 'refuses a body over 1 MiB (413) from its Content-Length, without reading it' '
	state before &&
	head -c 1048577 /dev/zero | tr "\0" " " >huge &&
	post huge >out && test "$(cat out)" = "413 over 1048576 bytes" &&
	$CLIENT trickle "$PORT" /api/telemetry/events huge >status &&
	test_grep "^answered after [0-9] bytes: HTTP/1.1 413" status &&
	state after && test_cmp before after
'

test_expect_success 'a chunked body past 1 MiB is cut, nothing stored, still answering' '
	state before &&
	{ cat good.json; head -c 1048577 /dev/zero | tr "\0" " "; } >huge &&
	test_must_fail curl -s --noproxy "*" -o /dev/null -H "Transfer-Encoding: chunked" \
	    --data-binary @huge "$URL" &&
	state after && test_cmp before after &&
	payload 8 >p8.json && post p8.json >out && test "$(cat out)" = "200 stored 1 event"
'

test_expect_success 'a chunked body under the cap is stored' '
	payload 9 >p9.json &&
	post p9.json -H "Transfer-Encoding: chunked" >out &&
	test "$(cat out)" = "200 stored 1 event"
'

kill -TERM "$COLLECT_PID" && wait "$COLLECT_PID"
stop_rc=$?
test_expect_success 'SIGTERM: exit 0, the database closed (no WAL left)' '
	test "$stop_rc" = 0 &&
	test ! -e "$DB-wal" && test "$(sqlite3 "$DB" "pragma integrity_check")" = ok
'

test_expect_success 'nothing of the client is stored or logged: no address, no User-Agent' '
	XT_DEBUG=1 && export XT_DEBUG && collect_start &&
	payload 10 >p10.json &&
	post p10.json -A "agent-007-xyz" >out && test "$(cat out)" = "200 stored 1 event" &&
	post bad >out &&
	collect_stop &&
	test_grep "200 stored 1 event" collect.err &&
	sqlite3 "$DB" .dump >dump &&
	test_nogrep "127.0.0.1" dump && test_nogrep "agent-007" dump &&
	test_nogrep "127.0.0.1" collect.err && test_nogrep "agent-007" collect.err &&
	test_nogrep "curl" dump
'

test_expect_success '50 clients at once, one trickling, one idling: every good payload stored' '
	collect_start -t 20 &&
	before=$(sqlite3 "$DB" "select count(*) from events") &&
	i=100 && while [ $i -lt 148 ]; do payload $i 2 >p$i.json; i=$((i + 1)); done &&
	payload 99 >trickle.json &&
	{ $CLIENT idle "$PORT" 40 >idle.out & } &&
	wait_for "test_grep \"open 40\" idle.out >/dev/null 2>&1" 60 &&
	{ $CLIENT trickle "$PORT" /api/telemetry/events trickle.json >trickle.out & } &&
	i=100 && while [ $i -lt 148 ]; do
		{ post p$i.json >a$i & } ; i=$((i + 1))
	done &&
	wait_for "test \$(cat a1[0-4]* 2>/dev/null | grep -c \"^200 stored 2 events\$\") = 48" 120 &&
	test "$(sqlite3 "$DB" "select count(*) from events")" = $((before + 96)) &&
	wait_for "test -s trickle.out" 120 && test_grep "^cut after" trickle.out &&
	wait_for "test_grep \"closed 40\" idle.out >/dev/null 2>&1" 120 &&
	sid=$(printf "session 99" | sha256sum | cut -c1-64) &&
	test "$(sqlite3 "$DB" "select count(*) from batches where sessionId = '\''$sid'\''")" = 0 &&
	payload 98 >p98.json && post p98.json >out && test "$(cat out)" = "200 stored 1 event" &&
	collect_stop
'

test_expect_success 'SIGTERM: the request in flight is answered and stored, then exit 0' '
	collect_start -t 60 &&
	payload 200 5 >p200.json &&
	{ $CLIENT half "$PORT" /api/telemetry/events p200.json mark go >status & } &&
	wait_for "test -e mark" 60 &&
	kill -TERM "$COLLECT_PID" &&
	wait_for "! curl -s --noproxy \"*\" -o /dev/null -d @good.json \"\$URL\"" 60 &&
	kill -0 "$COLLECT_PID" &&
	touch go &&
	wait_for "test -s status" 60 &&
	test_grep "^HTTP/1.1 200" status &&
	wait "$COLLECT_PID" &&
	sid=$(printf "session 200" | sha256sum | cut -c1-64) &&
	test "$(sqlite3 "$DB" "select count(*) from events where sessionId = '\''$sid'\''")" = 5 &&
	test "$(sqlite3 "$DB" "pragma integrity_check")" = ok
'

test_expect_success 'SIGTERM under load: every batch whole or absent, integrity ok' '
	collect_start &&
	i=300 && while [ $i -lt 340 ]; do payload $i 20 >p$i.json; i=$((i + 1)); done &&
	i=300 && while [ $i -lt 340 ]; do
		{ post p$i.json >a$i & } ; i=$((i + 1))
		[ $i = 310 ] && kill -TERM "$COLLECT_PID"
	done; wait "$COLLECT_PID" && wait &&
	i=300 && while [ $i -lt 340 ]; do
		sid=$(printf "session $i" | sha256sum | cut -c1-64) &&
		n=$(sqlite3 "$DB" "select count(*) from events where sessionId = '\''$sid'\''") &&
		b=$(sqlite3 "$DB" "select count(*) from batches where sessionId = '\''$sid'\''") &&
		{ [ "$n.$b" = 20.1 ] || [ "$n.$b" = 0.0 ]; } &&
		{ ! grep -q "^200 stored" a$i || [ "$n" = 20 ]; } || { echo "session $i: $n events, $b batches, $(cat a$i)"; exit 1; }
		i=$((i + 1))
	done &&
	test "$(sqlite3 "$DB" "pragma integrity_check")" = ok &&
	test ! -e "$DB-wal" || test ! -s "$DB-wal"
'

test_expect_success 'HTTPS with -c and -k: xt-post delivers with the CA' '
	sh "$XT_ROOT/tests/mkcert.sh" pki >/dev/null &&
	collect_start -c pki/server.pem -k pki/server.key &&
	case "$URL" in https://*) ;; *) false ;; esac &&
	payload 400 >frag400 &&
	XT_CA_FILE=$TRASH/pki/ca.pem xt-post -u "$URL" <frag400 &&
	sid=$(printf "session 400" | sha256sum | cut -c1-64) &&
	test "$(sqlite3 "$DB" "select count(*) from events where sessionId = '\''$sid'\''")" = 1 &&
	test_exit 75 xt-post -t 2 -u "$URL" <frag400 2>err &&
	collect_stop
'

test_expect_success 'usage errors: exit 2, a message, nothing listening' '
	test_exit 2 xt-collect -l nowhere -d x.db 2>err && test_grep "^xt-collect: -l .nowhere." err &&
	test_exit 2 xt-collect -l 127.0.0.1:99999 -d x.db 2>err &&
	test_exit 2 xt-collect -l 127.0.0.1:0 -p nope -d x.db 2>err && test_grep "^xt-collect: -p .nope." err &&
	test_exit 2 xt-collect -l 127.0.0.1:0 -c pki/server.pem -d x.db 2>err && test_grep "^usage: " err &&
	test_exit 2 xt-collect -l 127.0.0.1:0 -c nope.pem -k nope.key -d x.db 2>err && test_grep "nope.pem" err &&
	test_exit 2 xt-collect -l 127.0.0.1:0 -t 0 -d x.db 2>err && test_grep "^xt-collect: -t .0." err &&
	mkdir dir.db && test_exit 2 xt-collect -l 127.0.0.1:0 -d dir.db 2>err &&
	test_grep "not a regular file" err &&
	ln -s "$DB" link.db && test_exit 2 xt-collect -l 127.0.0.1:0 -d link.db 2>err &&
	test ! -e x.db
'

test_expect_success 'a port in use: exit 1, a message' '
	collect_start &&
	test_exit 1 xt-collect -l "127.0.0.1:$PORT" -d other.db >out 2>err &&
	test_empty out && test_grep "^xt-collect: cannot listen" err &&
	collect_stop
'

test_done
