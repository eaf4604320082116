#!/bin/sh
# collector.t: the loopback collector and proxy that the CLI tests upload
# to keep their promises (tests/collector.py, tests/proxy.py,
# tests/collector.sh): exact recording, every fault mode, TLS with the
# test CA, the proxy, and that nothing outlives its lifetime.
# curl is the client; it only ever talks to 127.0.0.1.
set -u

XT_TESTDIR=$(cd "$(dirname "$0")/.." && pwd) || exit 1
# shellcheck source=tests/collector.sh disable=SC1091
. "$XT_TESTDIR/collector.sh"

tmp=$(mktemp -d) || exit 1
trap 'collector_cleanup; rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM
mkdir "$tmp/home"
export HOME="$tmp/home" TMPDIR="$tmp" XDG_CONFIG_HOME="$tmp/home/.config" \
    XDG_STATE_HOME="$tmp/home/.local/state" XDG_CACHE_HOME="$tmp/home/.cache"
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY \
    no_proxy NO_PROXY CURL_CA_BUNDLE SSL_CERT_FILE SSL_CERT_DIR

# -- TAP ------------------------------------------------------------------
ntest=0
nfail=0
pass() { ntest=$((ntest + 1)); echo "ok $ntest - $1"; }
fail() { ntest=$((ntest + 1)); nfail=$((nfail + 1)); echo "not ok $ntest - $1"; }
ok() {		# ok DESCRIPTION COMMAND...: COMMAND succeeds
	ok_what=$1
	shift
	if "$@"; then pass "$ok_what"; else fail "$ok_what"; fi
}
is() {		# is GOT EXPECTED DESCRIPTION
	if [ "$1" = "$2" ]; then
		pass "$3"
	else
		fail "$3"
		printf '#   got:      %s\n#   expected: %s\n' "$1" "$2"
	fi
}
not() { ! "$@"; }

# -- clients --------------------------------------------------------------
# fetch CURL_ARG...: one request, never through a proxy; sets rc (curl's
# exit status) and code (the HTTP status, 000 if none); the body is in
# $tmp/out, the response headers in $tmp/hdr, curl's complaint in $tmp/err.
fetch() { viaproxy --noproxy '*' "$@"; }
viaproxy() {	# the same, with the proxy variables of the environment
	code=$(curl -q -sS -o "$tmp/out" -D "$tmp/hdr" -w '%{http_code}' \
	    "$@" 2>"$tmp/err")
	rc=$?
}
response_header() {	# response_header NAME: its value in $tmp/hdr
	tr -d '\r' <"$tmp/hdr" |
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
has_field() { collector_field "$@" >/dev/null; }
size() { wc -c <"$1" | tr -d ' '; }
refused() {	# refused PORT: nothing listens there any more
	curl -q -s --noproxy '*' -o /dev/null -m 5 "http://127.0.0.1:$1/"
	[ $? -eq 7 ]
}

printf '{"eventName":"build:completed","fields":{"name":"caf\303\251"}}\n' \
    >"$tmp/json"
head -c 300000 /dev/urandom >"$tmp/bin"
printf '\0\r\n\377' >>"$tmp/bin"	# a NUL, a CRLF, and never UTF-8

# -- recording ------------------------------------------------------------
collector_start 200 || { echo 'Bail out! the collector does not start'; exit 1; }
is "$(collector_requests) $(collector_connections)" "0 0" \
    'a new collector has seen nothing'
fetch -H 'Content-Type: application/json' -H 'X-Trace: a, b' \
    -A 'xt/0.1.0' --data-binary @"$tmp/json" "$COLLECTOR_URL"
is "$rc $code" "0 200" '200: answers 200'
is "$(collector_requests) $(collector_connections)" "1 1" \
    'one request, one connection'
ok 'a JSON body is recorded byte for byte' \
    cmp -s "$tmp/json" "$(collector_body 1)"
is "$(collector_field 1 body)" "$(cat "$tmp/json")" \
    'and as text in the record'
is "$(collector_field 1 method) $(collector_field 1 path) $(collector_field 1 scheme)" \
    "POST /events http" 'method, path and scheme are recorded'
is "$(collector_header 1 Content-Type)" application/json \
    'headers are recorded, found in any case'
is "$(collector_header 1 x-trace)|$(collector_header 1 user-agent)" \
    "a, b|xt/0.1.0" 'header values are kept as sent'
ok 'a header that was not sent is reported absent' \
    not collector_header 1 x-absent
is "$(response_header connection)" close 'every answer closes its connection'

fetch --data-binary @"$tmp/bin" "$COLLECTOR_URL"
ok 'a binary body of 300 kB is recorded byte for byte' \
    cmp -s "$tmp/bin" "$(collector_body 2)"
is "$(collector_field 2 length)" "$(size "$tmp/bin")" 'its length is recorded'
ok 'a body that is not UTF-8 is kept in base64' has_field 2 body_b64
fetch -H 'Transfer-Encoding: chunked' --data-binary @"$tmp/bin" "$COLLECTOR_URL"
ok 'a chunked body is recorded decoded, byte for byte' \
    cmp -s "$tmp/bin" "$(collector_body 3)"
took=$(curl -q -sS --noproxy '*' -o /dev/null -w '%{http_code} %{time_total}' \
    -H 'Expect: 100-continue' --expect100-timeout 20 \
    --data-binary @"$tmp/json" "$COLLECTOR_URL")
is "${took% *}" 200 'a client asking "Expect: 100-continue" is answered'
ok '... at once, not after its 20 s wait' \
    awk -v t="${took#* }" 'BEGIN { exit !(t < 10) }'
is "$(collector_connections)" 4 'connections are counted'
ok 'waiting for requests already there succeeds' collector_wait_requests 4 1
ok 'waiting for requests that never come gives up' \
    not collector_wait_requests 5 1

# -- the answers ----------------------------------------------------------
for status in 204 400 429 500; do
	collector_mode "$status"
	fetch -d x "$COLLECTOR_URL"
	is "$rc $code" "0 $status" "$status: answers $status"
	[ "$status" != 429 ] || retry_after=$(response_header retry-after)
done
is "$(collector_requests)" 8 'those requests are recorded too'
is "$retry_after" 1 '429 says Retry-After: 1'
collector_mode 204
fetch -d x "$COLLECTOR_URL"
ok '204 has no body' [ ! -s "$tmp/out" ]

collector_mode 503-once
fetch -d x "$COLLECTOR_URL"
is "$code" 503 '503-once: the first request gets 503'
fetch -d x "$COLLECTOR_URL"
is "$code" 200 '503-once: the second gets 200'
fetch -d x "$COLLECTOR_URL"
is "$code" 200 '503-once: and so do the next'

collector_mode redirect
before=$(collector_requests)
fetch -d x "$COLLECTOR_URL"
is "$code" 302 'redirect: answers 302'
is "$(response_header location)" \
    "http://127.0.0.1:$COLLECTOR_PORT/redirected" '... to itself'
is "$(collector_requests)" $((before + 1)) '... and one request was made'
fetch -L "$COLLECTOR_URL"
is "$code $(collector_requests)" "200 $((before + 3))" \
    'a client that follows it makes a second request, which gets 200'
is "$(collector_field "$(collector_requests)" path)" /redirected \
    '... to /redirected'

collector_mode big-body
fetch "$COLLECTOR_URL"
is "$code $(size "$tmp/out")" "200 1048576" 'big-body: 200 with 1 MiB'
curl -q -sS --noproxy '*' "$COLLECTOR_URL" 2>/dev/null | head -c 65536 >/dev/null
collector_mode 200
fetch -d x "$COLLECTOR_URL"
is "$code" 200 'a client that stops reading a big body does it no harm'

collector_mode hang
before=$(collector_requests)
fetch -m 2 -d x "$COLLECTOR_URL"
is "$rc $code" "28 000" 'hang: the client times out with no answer'
is "$(collector_requests)" $((before + 1)) '... after the request was read'
curl -q -s --noproxy '*' -m 60 -d x "$COLLECTOR_URL" >/dev/null 2>&1 &
hung=$!
collector_wait_requests $((before + 2))
collector_mode 200
fetch -m 20 -d x "$COLLECTOR_URL"
is "$code" 200 'a hanging connection does not hold up another'
ok '... which is still held open' kill -0 "$hung"
kill "$hung"
wait "$hung" 2>/dev/null

collector_mode trickle
fetch -m 5 "$COLLECTOR_URL"
is "$rc $code" "28 200" 'trickle: 200 comes, then the client times out'
ok '... having had a few bytes of the body' [ "$(size "$tmp/out")" -lt 10 ]
ok '... of more than 30 announced, one a second' \
    [ "$(response_header content-length)" -gt 30 ]

collector_mode reset
before=$(collector_requests)
fetch -d x "$COLLECTOR_URL"
is "$rc" 56 'reset: the connection is reset (56, not an empty reply: 52)'
is "$(collector_requests)" $((before + 1)) '... after the request was read'

collector_mode no-such-mode
fetch -d x "$COLLECTOR_URL"
is "$code" 500 'an unknown mode in the mode file answers 500'
collector_mode 200

# -- malformed requests ---------------------------------------------------
before=$(collector_requests)
conns=$(collector_connections)
printf 'NONSENSE\r\n\r\n' | raw "$COLLECTOR_PORT" >/dev/null
printf 'POST /x HTTP/1.1\r\nContent-Length: 1x\r\n\r\n' |
    raw "$COLLECTOR_PORT" >"$tmp/out"
ok 'a bad Content-Length gets 400' grep -q '^HTTP/1.1 400 ' "$tmp/out"
printf 'POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n' |
    raw "$COLLECTOR_PORT" >"$tmp/out"
ok 'a bad chunk gets 400' grep -q '^HTTP/1.1 400 ' "$tmp/out"
printf 'POST /x HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n' |
    raw "$COLLECTOR_PORT" >"$tmp/out"
ok 'a body beyond 16 MiB gets 413' grep -q '^HTTP/1.1 413 ' "$tmp/out"
printf 'POST /x HTTP/1.1\r\nContent-Length: 100\r\n\r\nshort' |
    raw "$COLLECTOR_PORT" >"$tmp/out"
ok 'a body cut short gets no answer' [ ! -s "$tmp/out" ]
fetch -d x "$COLLECTOR_URL"
is "$code $(collector_requests)" "200 $((before + 1))" \
    'none of them is recorded, and the collector goes on'
is "$(collector_connections)" $((conns + 6)) 'each was a connection'

# -- stopping -------------------------------------------------------------
pid=$COLLECTOR_PID
port=$COLLECTOR_PORT
closed=$COLLECTOR_CLOSED_URL
fetch -m 5 "$closed"
is "$rc" 7 'the closed port refuses connections'
collector_stop
ok 'collector_stop stops it' _xtsrv_gone "$pid"
ok '... and its port is closed' refused "$port"

XT_SERVER_LIFETIME=6 collector_start hang
pid=$COLLECTOR_PID
curl -q -s --noproxy '*' -m 60 -d x "$COLLECTOR_URL" >/dev/null 2>&1 &
hung=$!
ok 'a collector with a lifetime of 6 s gets a request' collector_wait_requests 1
if _xtsrv_until 30 _xtsrv_gone "$pid"; then
	pass 'it stops by itself after its lifetime, holding a connection'
	wait "$pid"
	is "$?" 0 '... and exits 0'
	COLLECTOR_PID=
else
	fail 'it stops by itself after its lifetime, holding a connection'
	collector_stop
	fail '... and exits 0'
fi
ok '... which lets its client go' _xtsrv_until 30 _xtsrv_gone "$hung"
wait "$hung"
is "$?" 52 '... with an empty reply, not its own timeout'

sh -c '"$1" "$2/collector.py" --dir "$3" --watch-pid $$ >/dev/null 2>&1 &
    i=0
    while [ ! -s "$3/port" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done' \
    sh "$PYTHON" "$XT_TESTDIR" "$(mkdir "$tmp/watched" && echo "$tmp/watched")"
read -r port <"$tmp/watched/port"
ok 'it stops when the process it watches is gone' \
    _xtsrv_until 30 refused "$port"

# -- TLS ------------------------------------------------------------------
collector_start 200 tls
fetch --cacert "$COLLECTOR_CA" --data-binary @"$tmp/bin" "$COLLECTOR_URL"
is "$rc $code" "0 200" 'tls: HTTPS works with the test CA'
ok '... the body is recorded byte for byte' \
    cmp -s "$tmp/bin" "$(collector_body 1)"
is "$(collector_field 1 scheme)" https '... as https'
fetch --cacert "$COLLECTOR_CA" --resolve "localhost:$COLLECTOR_PORT:127.0.0.1" \
    -d x "https://localhost:$COLLECTOR_PORT/events"
is "$code" 200 '... and for the name localhost'
fetch --cacert "${COLLECTOR_CA%/*}/other-ca.pem" -d x "$COLLECTOR_URL"
is "$rc" 60 '... but not with another CA'
is "$(collector_connections) $(collector_requests)" "3 2" \
    '... which connected and sent nothing'
collector_mode trickle
fetch --cacert "$COLLECTOR_CA" -m 5 "$COLLECTOR_URL"
is "$rc $code" "28 200" 'trickle over TLS: 200, then the client times out'
collector_mode hang
fetch --cacert "$COLLECTOR_CA" -m 2 -d x "$COLLECTOR_URL"
is "$rc $code" "28 000" 'hang over TLS: the client times out'
collector_mode reset
fetch --cacert "$COLLECTOR_CA" -d x "$COLLECTOR_URL"
is "$rc" 56 'reset over TLS: the connection is reset'

collector_start 200 tls-wrong
fetch --cacert "$COLLECTOR_CA" -d x "$COLLECTOR_URL"
is "$rc" 60 'tls-wrong: the same CA, the wrong name: verification fails'
is "$(collector_connections) $(collector_requests)" "1 0" \
    '... after connecting, before any request'
fetch --cacert "$COLLECTOR_CA" --resolve "wrong.example:$COLLECTOR_PORT:127.0.0.1" \
    -d x "https://wrong.example:$COLLECTOR_PORT/events"
is "$rc $code" "0 200" '... the certificate is good for wrong.example'

# -- the proxy ------------------------------------------------------------
collector_start 200
proxy_start || { echo 'Bail out! the proxy does not start'; exit 1; }
http_proxy=$PROXY_URL viaproxy -H 'X-Trace: p' \
    -H 'Proxy-Authorization: Basic eHQ6eHQ=' --data-binary @"$tmp/bin" \
    "$COLLECTOR_URL"
is "$rc $code" "0 200" 'http_proxy: the request goes through the proxy'
is "$(proxy_requests) $(proxy_field 1 method) $(proxy_field 1 path)" \
    "1 POST $COLLECTOR_URL" '... which records the method and the URL'
is "$(proxy_field 1 allowed)" true '... as forwarded'
is "$(collector_requests)" 1 '... to the collector'
ok '... with the body byte for byte' cmp -s "$tmp/bin" "$(collector_body 1)"
is "$(collector_header 1 x-trace)" p '... and the headers'
is "$(proxy_header 1 proxy-authorization)|$(collector_header 1 proxy-authorization)" \
    "Basic eHQ6eHQ=|" '... but not those meant for the proxy'
no_proxy=127.0.0.1 http_proxy=$PROXY_URL viaproxy -d x "$COLLECTOR_URL"
is "$code $(collector_requests)" "200 2" 'no_proxy: the collector gets it'
is "$(proxy_connections)" 1 '... and the proxy saw nothing'
http_proxy=$PROXY_URL viaproxy -d x http://xt-test.invalid/events
is "$code $(proxy_field 2 allowed)" "403 false" \
    'the proxy refuses any host but 127.0.0.1 and localhost'
collector_mode reset
http_proxy=$PROXY_URL viaproxy -d x "$COLLECTOR_URL"
is "$code" 502 'a target that fails gets 502'

collector_start 200 tls
https_proxy=$PROXY_URL viaproxy --cacert "$COLLECTOR_CA" -d x "$COLLECTOR_URL"
is "$rc $code" "0 200" 'https_proxy: HTTPS goes through a CONNECT tunnel'
is "$(proxy_field 4 method) $(proxy_field 4 path)" \
    "CONNECT 127.0.0.1:$COLLECTOR_PORT" '... which the proxy records'
is "$(collector_requests)" 1 '... and the collector gets the request'
https_proxy=$PROXY_URL viaproxy -d x https://xt-test.invalid/events
is "$rc $(proxy_field 5 allowed)" "56 false" \
    'a tunnel to any other host is refused'
pid=$PROXY_PID
proxy_stop
ok 'proxy_stop stops it' _xtsrv_gone "$pid"

echo "1..$ntest"
[ "$nfail" -eq 0 ]
