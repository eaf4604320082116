#!/bin/sh
# collector.t: the loopback collector and proxy that the CLI tests upload
# to keep their promises (tests/collector.py, tests/proxy.py,
# tests/collector.sh): exact recording, every fault mode, TLS with the
# test CA, the proxy, and that nothing outlives its lifetime.
# curl is the client; it only ever talks to 127.0.0.1.
. "$(dirname "$0")/../lib.sh"
XT_TESTDIR=$XT_ROOT/tests
# shellcheck source=tests/collector.sh disable=SC1091
. "$XT_TESTDIR/collector.sh"
trap 'collector_cleanup; test_cleanup' EXIT
# One directory (and one test CA) for the servers of every test.
_xtsrv_mkroot || exit 1

# fetch CURL_ARG...: one request, never through a proxy; sets rc (curl's
# exit status) and code (the HTTP status, 000 if none); the body is in
# $TRASH/out, the response headers in $TRASH/hdr, curl's complaint in
# $TRASH/err.
fetch() { viaproxy --noproxy '*' "$@"; }
viaproxy() {	# the same, with the proxy variables of the environment
	code=$(curl -q -sS -o "$TRASH/out" -D "$TRASH/hdr" -w '%{http_code}' \
	    "$@" 2>"$TRASH/err")
	rc=$?
}
response_header() {	# response_header NAME: its value in $TRASH/hdr
	tr -d '\r' <"$TRASH/hdr" |
	    awk -v name="$1" 'tolower($0) ~ "^" name ":" { sub(/^[^:]*: */, ""); print }'
}
raw() {		# raw PORT: send stdin as it is, print all of the answer
	"$PYTHON" -c '
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=20)
s.sendall(sys.stdin.buffer.read())
s.shutdown(socket.SHUT_WR)
while True:
    data = s.recv(65536)
    if not data:
        break
    sys.stdout.buffer.write(data)' "$1" 2>/dev/null
}
size() { wc -c <"$1" | tr -d ' '; }
refused() {	# refused PORT: nothing listens there any more
	curl -q -s --noproxy '*' -o /dev/null -m 5 "http://127.0.0.1:$1/"
	[ $? -eq 7 ]
}
answers() {	# answers MODE STATUS: in MODE, a request gets STATUS
	collector_mode "$1" && fetch -d x "$COLLECTOR_URL" &&
	    test_is "$rc $code" "0 $2"
}

printf '{"eventName":"build:completed","fields":{"name":"caf\303\251"}}\n' \
    >"$TRASH/json"
head -c 300000 /dev/urandom >"$TRASH/bin"
printf '\0\r\n\377' >>"$TRASH/bin"	# a NUL, a CRLF, and never UTF-8
JSON=$TRASH/json
BIN=$TRASH/bin

# -- recording ------------------------------------------------------------
test_expect_success 'a request is recorded byte for byte, with its headers' '
	collector_start 200 && test_when_finished collector_stop &&
	test_is "$(collector_requests) $(collector_connections)" "0 0" &&
	fetch -H "Content-Type: application/json" -H "X-Trace: a, b" \
	    -A xt/0.1.0 --data-binary @"$JSON" "$COLLECTOR_URL" &&
	test_is "$rc $code" "0 200" &&
	test_is "$(collector_requests) $(collector_connections)" "1 1" &&
	cmp "$JSON" "$(collector_body 1)" &&
	test_is "$(collector_field 1 body)" "$(cat "$JSON")" &&
	test_is "$(collector_field 1 method) $(collector_field 1 path) $(collector_field 1 scheme)" \
	    "POST /events http" &&
	test_is "$(collector_header 1 Content-Type)" application/json &&
	test_is "$(collector_header 1 x-trace)|$(collector_header 1 user-agent)" \
	    "a, b|xt/0.1.0" &&
	! collector_header 1 x-absent &&
	test_is "$(response_header connection)" close
'

test_expect_success 'binary and chunked bodies are recorded byte for byte' '
	collector_start 200 && test_when_finished collector_stop &&
	fetch --data-binary @"$BIN" "$COLLECTOR_URL" &&
	cmp "$BIN" "$(collector_body 1)" &&
	test_is "$(collector_field 1 length)" "$(size "$BIN")" &&
	collector_field 1 body_b64 >/dev/null &&
	fetch -H "Transfer-Encoding: chunked" --data-binary @"$BIN" "$COLLECTOR_URL" &&
	cmp "$BIN" "$(collector_body 2)"
'

test_expect_success '"Expect: 100-continue" is answered without the client'\''s 20 s wait' '
	collector_start 200 && test_when_finished collector_stop &&
	took=$(curl -q -sS --noproxy "*" -o /dev/null -w "%{http_code} %{time_total}" \
	    -H "Expect: 100-continue" --expect100-timeout 20 \
	    --data-binary @"$JSON" "$COLLECTOR_URL") &&
	test_is "${took% *}" 200 &&
	awk -v t="${took#* }" "BEGIN { exit !(t < 10) }"
'

test_expect_success 'connections are counted; waits succeed at once or give up' '
	collector_start 200 && test_when_finished collector_stop &&
	for i in 1 2 3 4; do fetch -d x "$COLLECTOR_URL" || exit 1; done &&
	test_is "$(collector_connections)" 4 &&
	collector_wait_requests 4 1 &&
	! collector_wait_requests 5 1 4>/dev/null
'

# -- the answers ----------------------------------------------------------
test_expect_success '204, 400, 429 (Retry-After: 1) and 500 answer as named' '
	collector_start 200 && test_when_finished collector_stop &&
	answers 204 204 && test_is "$(size "$TRASH/out")" 0 &&
	answers 400 400 && answers 500 500 &&
	answers 429 429 && test_is "$(response_header retry-after)" 1 &&
	test_is "$(collector_requests)" 4
'

test_expect_success '503-once: 503 for the first request, 200 for the next' '
	collector_start 503-once && test_when_finished collector_stop &&
	fetch -d x "$COLLECTOR_URL" && test_is "$code" 503 &&
	fetch -d x "$COLLECTOR_URL" && test_is "$code" 200 &&
	fetch -d x "$COLLECTOR_URL" && test_is "$code" 200
'

test_expect_success 'redirect: 302 to itself, one request; a client that follows makes two' '
	collector_start redirect && test_when_finished collector_stop &&
	fetch -d x "$COLLECTOR_URL" &&
	test_is "$code" 302 &&
	test_is "$(response_header location)" \
	    "http://127.0.0.1:$COLLECTOR_PORT/redirected" &&
	test_is "$(collector_requests)" 1 &&
	fetch -L "$COLLECTOR_URL" &&
	test_is "$code $(collector_requests)" "200 3" &&
	test_is "$(collector_field 3 path)" /redirected
'

test_expect_success 'big-body: 200 with 1 MiB; a client that stops reading does no harm' '
	collector_start big-body && test_when_finished collector_stop &&
	fetch "$COLLECTOR_URL" &&
	test_is "$code $(size "$TRASH/out")" "200 1048576" &&
	{ curl -q -sS --noproxy "*" "$COLLECTOR_URL" 2>/dev/null | head -c 65536 >/dev/null; } &&
	answers 200 200
'

test_expect_success 'hang: no answer after the request is read; others are still served' '
	collector_start hang && test_when_finished collector_stop &&
	fetch -m 2 -d x "$COLLECTOR_URL" &&
	test_is "$rc $code" "28 000" &&
	test_is "$(collector_requests)" 1 &&
	{ curl -q -s --noproxy "*" -m 60 -d x "$COLLECTOR_URL" >/dev/null 2>&1 & } &&
	hung=$! && test_when_finished "kill $hung; wait $hung 2>/dev/null; :" &&
	collector_wait_requests 2 &&
	collector_mode 200 &&
	fetch -m 20 -d x "$COLLECTOR_URL" &&
	test_is "$code" 200 &&
	kill -0 "$hung"
'

test_expect_success 'trickle: 200, then a body of over 30 bytes a byte a second' '
	collector_start trickle && test_when_finished collector_stop &&
	fetch -m 5 "$COLLECTOR_URL" &&
	test_is "$rc $code" "28 200" &&
	test "$(size "$TRASH/out")" -lt 10 &&
	test "$(response_header content-length)" -gt 30
'

test_expect_success 'reset: the connection is reset (56, not an empty reply: 52) after the request' '
	collector_start reset && test_when_finished collector_stop &&
	fetch -d x "$COLLECTOR_URL" &&
	test_is "$rc" 56 &&
	test_is "$(collector_requests)" 1
'

test_expect_success 'an unknown mode in the mode file answers 500' '
	collector_start 200 && test_when_finished collector_stop &&
	collector_mode no-such-mode &&
	fetch -d x "$COLLECTOR_URL" && test_is "$code" 500
'

# -- malformed requests ---------------------------------------------------
test_expect_success 'malformed requests get 400, 413 or nothing, and are not recorded' '
	collector_start 200 && test_when_finished collector_stop &&
	printf "NONSENSE\r\n\r\n" | raw "$COLLECTOR_PORT" >/dev/null &&
	printf "POST /x HTTP/1.1\r\nContent-Length: 1x\r\n\r\n" |
	    raw "$COLLECTOR_PORT" >bad-length &&
	test_grep "^HTTP/1.1 400 " bad-length &&
	printf "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n" |
	    raw "$COLLECTOR_PORT" >bad-chunk &&
	test_grep "^HTTP/1.1 400 " bad-chunk &&
	printf "POST /x HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n" |
	    raw "$COLLECTOR_PORT" >too-big &&
	test_grep "^HTTP/1.1 413 " too-big &&
	printf "POST /x HTTP/1.1\r\nContent-Length: 100\r\n\r\nshort" |
	    raw "$COLLECTOR_PORT" >short &&
	test_empty short &&
	fetch -d x "$COLLECTOR_URL" &&
	test_is "$code $(collector_requests)" "200 1" &&
	test_is "$(collector_connections)" 6
'

# -- stopping -------------------------------------------------------------
test_expect_success 'the closed port refuses; collector_stop stops it and closes its port' '
	collector_start 200 &&
	pid=$COLLECTOR_PID && port=$COLLECTOR_PORT &&
	fetch -m 5 "$COLLECTOR_CLOSED_URL" && test_is "$rc" 7 &&
	collector_stop &&
	_xtsrv_gone "$pid" &&
	refused "$port"
'

test_expect_success 'after its lifetime it stops by itself, exit 0, letting its client go' '
	XT_SERVER_LIFETIME=6 collector_start hang &&
	pid=$COLLECTOR_PID &&
	test_when_finished "kill $pid 2>/dev/null; :" &&
	{ curl -q -s --noproxy "*" -m 60 -d x "$COLLECTOR_URL" >/dev/null 2>&1 & } &&
	hung=$! &&
	collector_wait_requests 1 &&
	wait_for "_xtsrv_gone $pid" 30 &&
	{ wait "$pid"; test_is "$?" 0; } &&
	wait_for "_xtsrv_gone $hung" 30 &&
	{ wait "$hung"; test_is "$?" 52; }
'

test_expect_success 'it stops when the process it watches is gone' '
	mkdir watched && mkfifo go &&
	: "the watched process lives until it is told to go" &&
	{ sh -c "\"\$1\" \"\$2/collector.py\" --dir \"\$3\" --watch-pid \$\$ \
	    >/dev/null 2>&1 & read -r _ <\"\$4\"" \
	    sh "$PYTHON" "$XT_TESTDIR" "$TRASH/watched" "$TRASH/go" & } &&
	watched=$! &&
	wait_for "test -s watched/port" 30 &&
	read -r port <watched/port &&
	! refused "$port" &&
	echo go >go && wait "$watched" &&
	wait_for "refused $port" 30
'

# -- TLS ------------------------------------------------------------------
test_expect_success 'tls: HTTPS with the test CA, for 127.0.0.1 and localhost, and no other CA' '
	collector_start 200 tls && test_when_finished collector_stop &&
	fetch --cacert "$COLLECTOR_CA" --data-binary @"$BIN" "$COLLECTOR_URL" &&
	test_is "$rc $code" "0 200" &&
	cmp "$BIN" "$(collector_body 1)" &&
	test_is "$(collector_field 1 scheme)" https &&
	fetch --cacert "$COLLECTOR_CA" --resolve "localhost:$COLLECTOR_PORT:127.0.0.1" \
	    -d x "https://localhost:$COLLECTOR_PORT/events" &&
	test_is "$code" 200 &&
	fetch --cacert "${COLLECTOR_CA%/*}/other-ca.pem" -d x "$COLLECTOR_URL" &&
	test_is "$rc" 60 &&
	test_is "$(collector_connections) $(collector_requests)" "3 2"
'

test_expect_success 'tls: trickle, hang and reset work over TLS too' '
	collector_start trickle tls && test_when_finished collector_stop &&
	fetch --cacert "$COLLECTOR_CA" -m 5 "$COLLECTOR_URL" &&
	test_is "$rc $code" "28 200" &&
	collector_mode hang &&
	fetch --cacert "$COLLECTOR_CA" -m 2 -d x "$COLLECTOR_URL" &&
	test_is "$rc $code" "28 000" &&
	collector_mode reset &&
	fetch --cacert "$COLLECTOR_CA" -d x "$COLLECTOR_URL" &&
	test_is "$rc" 56
'

test_expect_success 'tls-wrong: the same CA, the wrong name: verification fails before any request' '
	collector_start 200 tls-wrong && test_when_finished collector_stop &&
	fetch --cacert "$COLLECTOR_CA" -d x "$COLLECTOR_URL" &&
	test_is "$rc" 60 &&
	test_is "$(collector_connections) $(collector_requests)" "1 0" &&
	fetch --cacert "$COLLECTOR_CA" --resolve "wrong.example:$COLLECTOR_PORT:127.0.0.1" \
	    -d x "https://wrong.example:$COLLECTOR_PORT/events" &&
	test_is "$rc $code" "0 200"
'

# -- the proxy ------------------------------------------------------------
test_expect_success 'http_proxy: forwarded with body and headers, less the proxy'\''s own' '
	collector_start 200 && test_when_finished collector_stop &&
	proxy_start && test_when_finished proxy_stop &&
	http_proxy=$PROXY_URL viaproxy -H "X-Trace: p" \
	    -H "Proxy-Authorization: Basic eHQ6eHQ=" --data-binary @"$BIN" \
	    "$COLLECTOR_URL" &&
	test_is "$rc $code" "0 200" &&
	test_is "$(proxy_requests) $(proxy_field 1 method) $(proxy_field 1 path)" \
	    "1 POST $COLLECTOR_URL" &&
	test_is "$(proxy_field 1 allowed)" true &&
	test_is "$(collector_requests)" 1 &&
	cmp "$BIN" "$(collector_body 1)" &&
	test_is "$(collector_header 1 x-trace)" p &&
	test_is "$(proxy_header 1 proxy-authorization)|$(collector_header 1 proxy-authorization)" \
	    "Basic eHQ6eHQ=|"
'

test_expect_success 'no_proxy goes around it; other hosts get 403, a failing target 502' '
	collector_start 200 && test_when_finished collector_stop &&
	proxy_start && test_when_finished proxy_stop &&
	no_proxy=127.0.0.1 http_proxy=$PROXY_URL viaproxy -d x "$COLLECTOR_URL" &&
	test_is "$code $(collector_requests)" "200 1" &&
	test_is "$(proxy_connections)" 0 &&
	http_proxy=$PROXY_URL viaproxy -d x http://xt-test.invalid/events &&
	test_is "$code $(proxy_field 1 allowed)" "403 false" &&
	collector_mode reset &&
	http_proxy=$PROXY_URL viaproxy -d x "$COLLECTOR_URL" &&
	test_is "$code" 502
'

test_expect_success 'https_proxy: a CONNECT tunnel to 127.0.0.1 only; proxy_stop stops it' '
	collector_start 200 tls && test_when_finished collector_stop &&
	proxy_start &&
	https_proxy=$PROXY_URL viaproxy --cacert "$COLLECTOR_CA" -d x "$COLLECTOR_URL" &&
	test_is "$rc $code" "0 200" &&
	test_is "$(proxy_field 1 method) $(proxy_field 1 path)" \
	    "CONNECT 127.0.0.1:$COLLECTOR_PORT" &&
	test_is "$(collector_requests)" 1 &&
	https_proxy=$PROXY_URL viaproxy -d x https://xt-test.invalid/events &&
	test_is "$rc $(proxy_field 2 allowed)" "56 false" &&
	pid=$PROXY_PID && proxy_stop &&
	_xtsrv_gone "$pid"
'

test_done
