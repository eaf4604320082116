#!/bin/sh
# xt-post: the payload a collector receives, each fault mode's exit
# status and attempts, TLS, proxies, and no connection when off.
. "$(dirname "$0")/../lib.sh"
XT_TESTDIR=$XT_ROOT/tests
. "$XT_TESTDIR/collector.sh"
trap 'collector_cleanup; test_cleanup' EXIT

VERSION=$(xt-post -V | cut -d" " -f2)

# fragments: what a build's upload is made of
fragments() {
	xt-id && xt-hash my-app@1.0.0 && xt-meta -k xmcpVersion=1.1.3 &&
	xt-event -T 2026-11-24T17:21:00.001Z build:completed success:=true \
	    duration:=1248 transport=stdio big:=18446744073709551617
}

# elapsed_ms COMMAND...: run it, set $rc and $ms (wall clock, for the
# upper bounds below, which are generous: a machine can be slow, but a
# missing timeout would take the collector's whole lifetime)
elapsed_ms() {
	t0=$(date +%s%N)
	"$@"
	rc=$?
	ms=$((($(date +%s%N) - t0) / 1000000))
}

fragments >frag.jsonl

test_expect_success 'the collector receives exactly what -n prints' '
	collector_start 200 &&
	xt-post -n <frag.jsonl >dry &&
	xt-post -u "$COLLECTOR_URL" <frag.jsonl &&
	collector_wait_requests 1 &&
	printf "\n" | cat "$(collector_body 1)" - >got &&
	test_cmp dry got &&
	test "$(collector_requests)" = 1 &&
	test "$(collector_field 1 method)" = POST &&
	test "$(collector_field 1 path)" = /events &&
	test "$(collector_header 1 content-type)" = application/json &&
	test "$(collector_header 1 user-agent)" = "xt/$VERSION" &&
	test "$(collector_header 1 content-length)" = "$(($(wc -c <dry) - 1))"
'

test_expect_success 'the payload is xmcp'\''s shape, numbers exact' '
	xt-post -n <frag.jsonl >dry &&
	jq -e "keys_unsorted == [\"context\", \"meta\", \"events\"]" dry &&
	jq -e ".context | keys_unsorted == [\"anonymousId\", \"projectHash\", \"sessionId\"]" dry &&
	jq -e ".meta.xmcpVersion == \"1.1.3\" and (.events | length) == 1" dry &&
	grep -q "\"big\":18446744073709551617" dry
'

test_expect_success 'context and meta merge key by key, a later line winning' '
	printf "%s\n" "{\"context\":{\"a\":1,\"sessionId\":\"s\"}}" \
	    "{\"meta\":{\"x\":1,\"y\":2}}" "{\"context\":{\"a\":2}}" \
	    "{\"meta\":{\"x\":[3]}}" "{\"eventName\":\"e1\"}" \
	    "{\"events\":[{\"eventName\":\"e2\"},{\"eventName\":\"e3\",\"fields\":{}}]}" \
	    "" "   " \
	    "{\"context\":{\"anonymousId\":\"id\"},\"meta\":{\"z\":true},\"events\":[{\"eventName\":\"e4\"}]}" |
	xt-post -n >dry &&
	echo "{\"context\":{\"anonymousId\":\"id\",\"sessionId\":\"s\",\"a\":2},\"meta\":{\"x\":[3],\"y\":2,\"z\":true},\"events\":[{\"eventName\":\"e1\"},{\"eventName\":\"e2\"},{\"eventName\":\"e3\",\"fields\":{}},{\"eventName\":\"e4\"}]}" >want &&
	test_cmp want dry
'

# Exit status, requests the collector saw, for each way a server fails.
# -t 2: every run must end well before the collector's lifetime.
while read -r mode want_rc want_req; do
	test_expect_success "$mode: exit $want_rc after $want_req request(s), within the timeout" '
		collector_start '"$mode"' &&
		elapsed_ms xt-post -t 2 -u "$COLLECTOR_URL" <frag.jsonl 2>err &&
		test "$rc" = '"$want_rc"' &&
		{ [ '"$want_req"' = 0 ] || collector_wait_requests '"$want_req"'; } &&
		test "$(collector_requests)" = '"$want_req"' &&
		{ [ "$rc" = 0 ] || test_grep "^xt-post: " err; } &&
		{ [ "$rc" != 0 ] || test_empty err; } &&
		test "$ms" -lt $((2000 + 1000 + 8000))
	'
done <<EOF
200 0 1
204 0 1
400 1 1
429 75 2
500 75 2
503-once 0 2
hang 75 1
trickle 75 1
reset 75 2
redirect 1 1
big-body 0 1
EOF

test_expect_success 'a redirect is not followed' '
	collector_start redirect &&
	test_exit 1 xt-post -t 2 -u "$COLLECTOR_URL" <frag.jsonl 2>err &&
	collector_wait_requests 1 &&
	test "$(collector_field 1 path)" = /events &&
	test "$(collector_requests)" = 1 &&
	test_grep "HTTP 302: refused" err
'

test_expect_success 'a closed port: exit 75, two attempts, nothing received' '
	collector_start 200 &&
	elapsed_ms xt-post -t 2 -u "$COLLECTOR_CLOSED_URL" <frag.jsonl 2>err &&
	test "$rc" = 75 && test "$ms" -lt 11000 &&
	test_grep "(2 attempts): try again later" err &&
	test "$(collector_requests)" = 0
'

test_expect_success 'debug mode shows the payload and every attempt' '
	collector_start 503-once &&
	XT_DEBUG=1 xt-post -t 2 -u "$COLLECTOR_URL" <frag.jsonl 2>err &&
	test_grep "debug: payload: {\"context\"" err &&
	test_grep "debug: attempt 1: HTTP 503 after [0-9]* ms: temporary failure" err &&
	test_grep "debug: retrying in [0-9]* ms" err &&
	test_grep "debug: attempt 2: HTTP 200 after [0-9]* ms: delivered" err
'

test_expect_success 'HTTPS with XT_CA_FILE is delivered' '
	collector_start 200 tls &&
	XT_CA_FILE=$COLLECTOR_CA xt-post -t 5 -u "$COLLECTOR_URL" <frag.jsonl &&
	collector_wait_requests 1 &&
	test "$(collector_field 1 scheme)" = https
'

test_expect_success 'HTTPS without the CA: exit 75, nothing sent' '
	collector_start 200 tls &&
	test_exit 75 xt-post -t 3 -u "$COLLECTOR_URL" <frag.jsonl 2>err &&
	test "$(collector_requests)" = 0 &&
	test_grep "certificate" err
'

test_expect_success 'HTTPS to the wrong host name, even with the CA: exit 75, nothing sent' '
	collector_start 200 tls-wrong &&
	test_exit 75 env XT_CA_FILE="$COLLECTOR_CA" xt-post -t 3 -u "$COLLECTOR_URL" <frag.jsonl 2>err &&
	test "$(collector_requests)" = 0
'

test_expect_success 'an unreadable XT_CA_FILE is bad input' '
	collector_start 200 tls &&
	test_exit 2 env XT_CA_FILE="$TRASH/nope.pem" xt-post -u "$COLLECTOR_URL" <frag.jsonl 2>err &&
	test_grep "nope.pem" err &&
	test "$(collector_connections)" = 0
'

test_expect_success 'http_proxy is honoured' '
	collector_start 200 && proxy_start &&
	http_proxy=$PROXY_URL xt-post -u "$COLLECTOR_URL" <frag.jsonl &&
	proxy_wait_requests 1 && collector_wait_requests 1 &&
	test "$(proxy_field 1 path)" = "$COLLECTOR_URL"
'

test_expect_success 'no_proxy bypasses it' '
	collector_start 200 && proxy_start &&
	http_proxy=$PROXY_URL no_proxy=127.0.0.1 xt-post -u "$COLLECTOR_URL" <frag.jsonl &&
	collector_wait_requests 1 &&
	test "$(proxy_requests)" = 0 && test "$(proxy_connections)" = 0
'

test_expect_success '-H adds headers' '
	collector_start 200 &&
	xt-post -H "X-Api-Key: k123" -H "X-Other:  v" -u "$COLLECTOR_URL" <frag.jsonl &&
	collector_wait_requests 1 &&
	test "$(collector_header 1 x-api-key)" = k123 &&
	test "$(collector_header 1 x-other)" = v
'

test_expect_success 'the endpoint from XT_ENDPOINT, then from the config' '
	collector_start 200 &&
	XT_ENDPOINT=$COLLECTOR_URL xt-post <frag.jsonl &&
	collector_wait_requests 1 &&
	write_config "{\"telemetry.endpoint\": \"$COLLECTOR_URL\"}" &&
	xt-post <frag.jsonl &&
	collector_wait_requests 2 &&
	rm "$CONFIG"
'

test_expect_success 'no endpoint: nothing sent, exit 0, debug says so' '
	XT_DEBUG=1 xt-post <frag.jsonl >out 2>err &&
	test_empty out &&
	test_grep "debug: no endpoint" err
'

# The collector accepts connections in order: a probe made after xt-post
# has exited is the first one it sees only if xt-post made none.
probe_is_first() {
	curl -s --noproxy "*" -o /dev/null -d "{}" "$COLLECTOR_URL" &&
	collector_wait_connections 1 &&
	test "$(collector_connections)" = 1
}

for off in DO_NOT_TRACK=1 XT_TELEMETRY_DISABLED=true config; do
	test_expect_success "off ($off): no connection at all, stdin read, exit 0" '
		collector_start 200 &&
		case '"$off"' in
		config) write_config "{\"telemetry.enabled\": false}"; vars=XT_APP=xt ;;
		*) vars='"$off"' ;;
		esac &&
		fragments >big && i=0 && while [ $i -lt 200 ]; do cat frag.jsonl; i=$((i+1)); done >>big &&
		cat big | env $vars xt-post -u "$COLLECTOR_URL" >out 2>err &&
		test_empty out && test_empty err &&
		env $vars xt-post -n -u "$COLLECTOR_URL" <frag.jsonl >out && test_empty out &&
		probe_is_first &&
		rm -f "$CONFIG"
	'
done

while IFS='|' read -r what msg input; do
	test_expect_success "refuses $what, sends nothing" '
		collector_start 200 &&
		printf "%b" "$input" >in &&
		test_exit 2 xt-post -u "$COLLECTOR_URL" <in >out 2>err &&
		test_empty out &&
		{ grep -qF -e "$msg" err || { cat err; false; }; } &&
		probe_is_first
	'
done <<'EOF'
a line that is not JSON|xt-post: line 2: not JSON: byte 7: trailing comma; nothing sent|{"eventName":"a"}\n{"a":1,}\n
an object of no known shape|line 1: not a payload fragment|{"hello":"world"}\n
a mixed object|line 1: not a payload fragment|{"context":{},"other":1}\n
context that is not an object|line 1: "context" is not an object|{"context":[1]}\n
events that are not events|line 1: events[1] is not an event|{"events":[{"eventName":"a"},{"x":1}]}\n
an empty eventName|line 1: eventName is not a non-empty string|{"eventName":""}\n
an array|line 1: not a JSON object|[{"eventName":"a"}]\n
no events at all|no events; nothing sent|{"context":{"anonymousId":"x"}}\n
empty input|no events|
EOF

test_expect_success 'input over 1 MiB is refused as it is read, nothing sent' '
	collector_start 200 &&
	big=$(head -c 60000 /dev/zero | tr "\0" x) &&
	i=0 && while [ $i -lt 18 ]; do xt-event e "f=$big"; i=$((i+1)); done >huge &&
	test "$(wc -c <huge)" -gt 1048576 &&
	test_exit 2 xt-post -u "$COLLECTOR_URL" <huge 2>err &&
	test_grep "^xt-post: stdin: over 1 MiB$" err &&
	probe_is_first
'

test_expect_success 'input under 1 MiB that makes events over 1 MiB is refused, nothing sent' '
	collector_start 200 &&
	: "a raw DEL (one byte) goes out as \\u007f (six)" &&
	for i in 1 2; do
		printf "{\"eventName\":\"e\",\"f\":\"" &&
		head -c 100000 /dev/zero | tr "\0" "\177" && printf "\"}\n" || exit 1
	done >huge &&
	test "$(wc -c <huge)" -lt 1048576 &&
	test_exit 2 xt-post -u "$COLLECTOR_URL" <huge 2>err &&
	test_grep "^xt-post: line 2: the events are over 1048576 bytes; nothing sent$" err &&
	probe_is_first
'

test_expect_success 'usage errors: bad URL, header, timeout, operand' '
	test_exit 2 xt-post -u ftp://127.0.0.1/ <frag.jsonl 2>err && test_grep "not an http or https URL" err &&
	test_exit 2 xt-post -u "http://" <frag.jsonl 2>err &&
	test_exit 2 xt-post -H "no colon" -n <frag.jsonl 2>err && test_grep "header .no colon." err &&
	test_exit 2 xt-post -H "Bad Name: x" -n <frag.jsonl 2>err &&
	test_exit 2 xt-post -H "$(printf "X: a\r\nInjected: b")" -n <frag.jsonl 2>err &&
	test_exit 2 xt-post -t 0 -n <frag.jsonl 2>err && test_grep "timeout .0." err &&
	test_exit 2 xt-post -t abc -n <frag.jsonl 2>err &&
	test_exit 2 xt-post -n extra <frag.jsonl 2>err && test_grep "usage: xt-post" err &&
	test_exit 2 env XT_ENDPOINT=file:///etc/passwd xt-post <frag.jsonl 2>err &&
	test_grep "XT_ENDPOINT=.file:///etc/passwd.: not an http or https URL" err
'

test_expect_success 'a closed pipe on stdout is an error, not a SIGPIPE death' '
	big=$(head -c 60000 /dev/zero | tr "\0" x) &&
	i=0 && while [ $i -lt 10 ]; do xt-event e "f=$big"; i=$((i+1)); done >many &&
	{ xt-post -n <many 2>err; echo $? >rc; } | true &&
	test "$(cat rc)" = 1 &&
	test_grep "xt-post: stdout" err
'

test_expect_success '-F rows: one row per event, what -n prints, the same delivery' '
	collector_start 200 &&
	fragments >two.jsonl && xt-event -T 2026-11-24T17:21:01.000Z test:run >>two.jsonl &&
	xt-post -F rows -n <two.jsonl >dry &&
	test "$(wc -l <dry)" = 2 &&
	jq -e -s "map(.eventIndex) == [0, 1] and map(.eventName) == [\"build:completed\", \"test:run\"]" dry &&
	jq -e -s "map(keys_unsorted[:3]) | unique == [[\"anonymousId\", \"projectHash\", \"sessionId\"]]" dry &&
	jq -e -s ".[0].fields | fromjson | .success == true and .duration == 1248" dry &&
	grep -q "\\\\\"big\\\\\":18446744073709551617" dry &&
	xt-post -F rows -u "$COLLECTOR_URL" <two.jsonl &&
	collector_wait_requests 1 &&
	printf "\n" | cat "$(collector_body 1)" - >got &&
	test_cmp dry got &&
	test "$(collector_header 1 content-type)" = application/json
'

test_expect_success '-F rows: 5xx is retried, 4xx is final, as for payloads' '
	collector_start 503-once &&
	xt-post -F rows -t 5 -u "$COLLECTOR_URL" <frag.jsonl &&
	collector_wait_requests 2 &&
	cmp "$(collector_body 1)" "$(collector_body 2)" &&
	collector_start 400 &&
	test_exit 1 xt-post -F rows -t 5 -u "$COLLECTOR_URL" <frag.jsonl 2>err &&
	test "$(collector_requests)" = 1
'

test_expect_success '-F rows: credentials in the URL or its query are never printed' '
	collector_start 400 &&
	q="?query=INSERT%20INTO%20xt.events%20FORMAT%20JSONEachRow&password=t0psecret" &&
	url="http://default:s3cret@${COLLECTOR_URL#http://}$q" &&
	test_exit 1 env XT_DEBUG=1 xt-post -F rows -t 5 -u "$url" <frag.jsonl >out 2>err &&
	test "$(collector_requests)" = 1 &&
	test_grep "xt-post: http://127.0.0.1:$COLLECTOR_PORT/[^ ]*: HTTP 400: refused" err &&
	closed="http://default:s3cret@${COLLECTOR_CLOSED_URL#http://}$q" &&
	test_exit 75 env XT_DEBUG=1 xt-post -F rows -t 2 -u "$closed" <frag.jsonl >>out 2>>err &&
	test_grep "try again later" err &&
	write_config "{\"telemetry.endpoint\": \"$closed\"}" &&
	test_exit 75 env XT_DEBUG=1 xt-post -F rows -t 2 <frag.jsonl >>out 2>>err &&
	test_exit 2 env XT_ENDPOINT="http://default:s3cret@127.0.0.1:99999/$q" \
	    xt-post -F rows <frag.jsonl >>out 2>>err &&
	test_grep "XT_ENDPOINT=.http://127.0.0.1:99999/.: not an http" err &&
	rm "$CONFIG" &&
	test_empty out &&
	test_nogrep "s3cret" err && test_nogrep "t0psecret" err &&
	test_nogrep "default:" err && test_nogrep "query=" err
'

test_expect_success 'the format: -F, else XT_FORMAT, else telemetry.format, else payload' '
	xt-post -n <frag.jsonl | jq -e "has(\"events\")" &&
	XT_FORMAT=rows xt-post -n <frag.jsonl | jq -e "has(\"eventIndex\")" &&
	XT_FORMAT=rows xt-post -F payload -n <frag.jsonl | jq -e "has(\"events\")" &&
	write_config "{\"telemetry.format\": \"rows\"}" &&
	xt-post -n <frag.jsonl | jq -e "has(\"eventIndex\")" &&
	XT_FORMAT=payload xt-post -n <frag.jsonl | jq -e "has(\"events\")" &&
	rm "$CONFIG"
'

test_expect_success 'a bad format is a usage error, before any connection' '
	collector_start 200 &&
	test_exit 2 xt-post -F csv -u "$COLLECTOR_URL" <frag.jsonl 2>err &&
	test_grep "format .csv.: payload or rows expected" err &&
	test_exit 2 env XT_FORMAT=Rows xt-post -u "$COLLECTOR_URL" <frag.jsonl 2>err &&
	test_grep "XT_FORMAT=.Rows.: payload or rows expected" err &&
	write_config "{\"telemetry.format\": 1}" &&
	test_exit 2 xt-post -u "$COLLECTOR_URL" <frag.jsonl 2>err &&
	test_grep "telemetry.format in .*telemetry.json: \"payload\" or \"rows\" expected" err &&
	rm "$CONFIG" &&
	probe_is_first
'

while IFS='|' read -r what msg input; do
	test_expect_success "-F rows refuses $what, sends nothing" '
		collector_start 200 &&
		printf "%b" "$input" >in &&
		test_exit 2 xt-post -F rows -u "$COLLECTOR_URL" <in >out 2>err &&
		test_empty out &&
		{ grep -qF -e "$msg" err || { cat err; false; }; } &&
		probe_is_first
	'
done <<'EOF'
an event without a timestamp|xt-post: event 2: no timestamp; nothing sent|{"context":{"sessionId":"s"}}\n{"eventName":"a","timestamp":"2026-11-24T17:21:00.001Z"}\n{"eventName":"b"}\n
a timestamp of another form|event 1: timestamp is not YYYY-MM-DDTHH:MM:SS.sssZ|{"context":{"sessionId":"s"}}\n{"eventName":"a","timestamp":"2026-11-24T17:21:00+01:00"}\n
a batch without a sessionId|no sessionId|{"eventName":"a","timestamp":"2026-11-24T17:21:00.001Z"}\n
a meta key that is also a context key|meta key "sessionId" is also a context key|{"context":{"sessionId":"s"},"meta":{"sessionId":"t"}}\n{"eventName":"a","timestamp":"2026-11-24T17:21:00.001Z"}\n
fields that are not an object|event 1: fields is not an object|{"context":{"sessionId":"s"}}\n{"eventName":"a","timestamp":"2026-11-24T17:21:00.001Z","fields":[]}\n
EOF

test_expect_success 'telemetry.headers are sent; -H wins for the same name' '
	collector_start 200 &&
	write_config "{\"telemetry.headers\": {\"X-ClickHouse-User\": \"xt\", \"X-ClickHouse-Key\": \"s3cret\"}}" &&
	xt-post -u "$COLLECTOR_URL" <frag.jsonl &&
	collector_wait_requests 1 &&
	test "$(collector_header 1 x-clickhouse-user)" = xt &&
	test "$(collector_header 1 x-clickhouse-key)" = s3cret &&
	xt-post -H "x-clickhouse-key: other" -u "$COLLECTOR_URL" <frag.jsonl &&
	collector_wait_requests 2 &&
	test "$(collector_header 2 x-clickhouse-user)" = xt &&
	test "$(collector_header 2 x-clickhouse-key)" = other &&
	rm "$CONFIG"
'

while IFS='|' read -r what headers; do
	test_expect_success "telemetry.headers $what: exit 2, the value in no message" '
		collector_start 200 &&
		write_config "{\"telemetry.headers\": $headers}" &&
		test_exit 2 env XT_DEBUG=1 xt-post -u "$COLLECTOR_URL" <frag.jsonl >out 2>err &&
		test_grep "telemetry.headers in " err &&
		test_nogrep "s3cret" err && test_empty out &&
		rm "$CONFIG" &&
		probe_is_first
	'
done <<'EOF'
not an object|["X-Key: s3cret"]
with a bad name|{"Bad Name": "s3cret"}
with an empty name|{"": "s3cret"}
with CR LF in a value|{"X-Key": "s3cret\r\nX-Injected: 1"}
with a NUL in a value|{"X-Key": "s3cret\u0000"}
with a value that is not a string|{"X-Key": ["s3cret"]}
setting Host|{"Host": "s3cret.example"}
setting Content-Length|{"content-length": "1s3cret"}
with a control byte in a value|{"X-Key": "s3cret\u001b[2J"}
with an empty value|{"X-s3cret": ""}
EOF

if [ "$XT_BINDIR" != "$XT_ROOT/cmd" ]; then
	# a sanitized build: valgrind cannot run it, and it checks itself
	test_skip 'valgrind: clean on success, on a failure, on bad input' 'sanitized build'
else
	test_expect_success 'valgrind: clean on success' '
	collector_start 200 &&
	valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
	    "$XT_ROOT/cmd/xt-post" -u "$COLLECTOR_URL" <frag.jsonl 2>vg &&
	test_nogrep "==[0-9]*==" vg
'

	test_expect_success 'valgrind: clean on a failure (retry, then give up)' '
	collector_start 500 &&
	valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
	    "$XT_ROOT/cmd/xt-post" -t 3 -u "$COLLECTOR_URL" <frag.jsonl 2>vg;
	test $? = 75 && test_nogrep "==[0-9]*==" vg
'

	test_expect_success 'valgrind: clean on bad input' '
	printf "{\"a\":1,}\n" >bad.jsonl &&
	valgrind -q --error-exitcode=99 "$XT_ROOT/cmd/xt-post" -n <bad.jsonl 2>vg;
	test $? = 2 && test_nogrep "==[0-9]*==" vg
'

fi

test_done
