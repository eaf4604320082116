#!/bin/sh
# Tried to break it: another local user, a careless one, hostile configs.
# Each test is named for the promise it keeps (easy to refuse, nothing
# lost, private).  The multi-user tests need root: they make files as
# nobody in a shared directory and run every program as the victim.
. "$(dirname "$0")/../lib.sh"
XT_TESTDIR=$XT_ROOT/tests
. "$XT_TESTDIR/collector.sh"
trap 'collector_cleanup; test_cleanup' EXIT

ROOT=
[ "$(id -u)" = 0 ] && command -v setpriv >/dev/null && ROOT=1
NEEDS_ROOT="needs root and setpriv to act as another user"

# as_nobody 'shell code': run it as the attacker, nobody:nogroup.
as_nobody() {
	setpriv --reuid=nobody --regid=nogroup --clear-groups \
	    --inh-caps=-all -- /bin/sh -c "$1"
}

# run_every_program: as the victim, every program, with their output in
# prog.out and prog.err; the ones that hold state must print nothing.
run_every_program() {
	xt-id >id.out 2>id.err &&
	xt-hash >hash.out 2>hash.err &&
	echo x | xt-hash - >hash-.out 2>hash-.err &&
	xt-meta >meta.out 2>meta.err &&
	xt-event e >event.out 2>event.err &&
	{ cat event.out; } | xt-post >post.out 2>post.err &&
	xt-consent notice >notice.out 2>notice.err &&
	xt-consent status >status.out 2>status.err &&
	test_empty id.out && test_empty hash.out && test_empty hash-.out &&
	test_empty post.out && test_empty notice.err && test -s meta.out &&
	test -s event.out
}

SHARED=$TRASH/shared
ZEROS=00000000000000000000000000000000
EVIL_ID=$(printf "%064d" 0 | tr 0 e)

# plant_cache [MODE]: the attacker's cache directory and config in the
# shared temporary directory, with their own endpoint and a known salt.
plant_cache() {
	rm -rf "$SHARED" && mkdir -m 1777 "$SHARED" &&
	as_nobody "mkdir -m ${1:-755} '$SHARED/.xt-cache' &&
	    printf '%s' '{\"telemetry.enabled\": true, \"telemetry.endpoint\": \"$COLLECTOR_URL\", \"telemetry.anonymousId\": \"$EVIL_ID\", \"telemetry.salt\": \"$ZEROS\"}' \
	    >'$SHARED/.xt-cache/telemetry.json' &&
	    chmod ${2:-644} '$SHARED/.xt-cache/telemetry.json'" &&
	ls -lR --time-style=+%s.%N "$SHARED" >planted
}

if [ -n "$ROOT" ]; then
collector_start 200
for mode in 755 777; do
test_expect_success "another user's shared cache ($mode) is never trusted: off, nothing sent, left as it was" '
	plant_cache '$mode' &&
	TMPDIR=$SHARED CI=true run_every_program &&
	test_grep "^off: the config is not yours alone.*belongs to another user (uid 65534)" status.out &&
	test "$(collector_connections)" = 0 &&
	TMPDIR=$SHARED CI=true XT_DEBUG=1 xt-id >out 2>err &&
	test_empty out && test_grep "belongs to another user" err &&
	ls -lR --time-style=+%s.%N "$SHARED" >now && test_cmp planted now
'
done

test_expect_success "another user's shared cache: disable says why, and stays off" '
	plant_cache &&
	test_exit 1 env TMPDIR=$SHARED CI=true xt-consent disable >out 2>err &&
	test_empty out &&
	test_grep "cannot record the choice: .*belongs to another user" err &&
	test_grep "telemetry counts as off" err &&
	test_exit 1 env TMPDIR=$SHARED CI=true xt-consent -q &&
	ls -lR --time-style=+%s.%N "$SHARED" >now && test_cmp planted now
'

test_expect_success "the policy file still decides what it decides beside a foreign cache" '
	plant_cache && mkdir -p "$XT_SYSCONFDIR/xt" &&
	echo "{\"telemetry.enabled\": false}" >"$XT_SYSCONFDIR/xt/telemetry.json" &&
	TMPDIR=$SHARED CI=true xt-consent status >out &&
	test_grep "^off: disabled by the system policy" out &&
	echo "{\"telemetry.enabled\": true}" >"$XT_SYSCONFDIR/xt/telemetry.json" &&
	TMPDIR=$SHARED CI=true xt-consent status >out &&
	test_grep "^off: the config is not yours alone" out &&
	rm -r "$XT_SYSCONFDIR/xt"
'

test_expect_success "a policy file another user owns is no policy" '
	rm -rf "$XT_SYSCONFDIR/xt" && mkdir -p "$XT_SYSCONFDIR/xt" &&
	echo "{\"telemetry.enabled\": true}" >"$XT_SYSCONFDIR/xt/telemetry.json" &&
	write_config "{}" &&
	xt-consent status >out && test_grep "^on: " out &&
	chown nobody "$XT_SYSCONFDIR/xt/telemetry.json" &&
	xt-consent status >out &&
	test_grep "^off: the policy file cannot be used.*belongs to another user (uid 65534)" out &&
	rm -r "$XT_SYSCONFDIR/xt"
'

test_expect_success "another user's config file in our own directory is never read" '
	write_config "{\"telemetry.enabled\": true}" &&
	chown nobody "$CONFIG" && cp "$CONFIG" before &&
	run_every_program &&
	test_grep "^off: .*telemetry.json belongs to another user" status.out &&
	test_exit 1 xt-consent disable 2>err &&
	test_cmp before "$CONFIG" && test "$(stat -c %U "$CONFIG")" = nobody
'

test_expect_success "a directory of ours that another user owns inside is refused" '
	rm -rf "$HOME/.config" && mkdir -p "$HOME/.config/xt" &&
	chown nobody "$HOME/.config/xt" &&
	run_every_program &&
	test_grep "^off: .*config/xt belongs to another user" status.out &&
	test -z "$(ls -A "$HOME/.config/xt")" && rm -rf "$HOME/.config"
'

test_expect_success "XT_CONFIG at a device (our own mknod, as root): refused, still a device" '
	mkdir -p dev && mknod dev/null c 1 3 && chmod 666 dev/null &&
	ls -l dev/null >before &&
	test_exit 1 env XT_CONFIG=$TRASH/dev/null xt-consent disable 2>err &&
	test_grep "is not a regular file" err &&
	XT_CONFIG=$TRASH/dev/null run_every_program &&
	test -c dev/null && ls -l dev/null >after && test_cmp before after &&
	test "$(ls dev)" = null
'
collector_stop
else
	for t in "another user's shared cache is never trusted" \
	    "a policy file another user owns is no policy" \
	    "another user's config file is never read" \
	    "XT_CONFIG at a device: refused"; do
		test_skip "$t" "$NEEDS_ROOT"
	done
fi

test_expect_success "XT_CONFIG at a directory: refused; nothing renamed or deleted" '
	rm -rf cfgdir && mkdir -p cfgdir/telemetry.json/keep cfgdir/telemetry.json.corrupt/old &&
	echo precious >cfgdir/telemetry.json/keep/file &&
	echo older >cfgdir/telemetry.json.corrupt/old/file &&
	find cfgdir | sort >before &&
	test_exit 1 env XT_CONFIG=$TRASH/cfgdir/telemetry.json xt-consent disable 2>err &&
	test_grep "telemetry.json is a directory" err &&
	XT_CONFIG=$TRASH/cfgdir/telemetry.json run_every_program &&
	test_grep "^off: .*is a directory" status.out &&
	find cfgdir | sort >after && test_cmp before after
'

test_expect_success "a config others can write is refused; one they can read is made 0600" '
	write_config "{\"telemetry.enabled\": true}" && chmod 666 "$CONFIG" &&
	xt-consent status >out && test_grep "can be written by others" out &&
	test "$(stat -c %a "$CONFIG")" = 666 &&
	chmod 644 "$CONFIG" && chmod 755 "$(dirname "$CONFIG")" &&
	xt-consent status >out && test_grep "^on: enabled" out &&
	test "$(stat -c %a "$CONFIG")" = 600 &&
	test "$(stat -c %a "$(dirname "$CONFIG")")" = 700
'

test_expect_success "a policy file others can write is no policy: off, and status says why" '
	rm -rf "$HOME/.config" "$XT_SYSCONFDIR/xt" && mkdir -p "$XT_SYSCONFDIR/xt" &&
	echo "{\"telemetry.enabled\": false}" >"$XT_SYSCONFDIR/xt/telemetry.json" &&
	xt-consent status >out && test_grep "^off: disabled by the system policy" out &&
	chmod 666 "$XT_SYSCONFDIR/xt/telemetry.json" && cp "$XT_SYSCONFDIR/xt/telemetry.json" before &&
	test_exit 1 xt-consent -q &&
	xt-consent status >out &&
	test_grep "^off: the policy file cannot be used.*can be written by others (mode 0666)" out &&
	chmod 644 "$XT_SYSCONFDIR/xt/telemetry.json" && chmod 777 "$XT_SYSCONFDIR/xt" &&
	xt-consent status >out && test_grep "^off: the policy file cannot be used.*xt can be written by others" out &&
	test "$(stat -c %a "$XT_SYSCONFDIR/xt")" = 777 &&
	test_cmp before "$XT_SYSCONFDIR/xt/telemetry.json" &&
	rm -r "$XT_SYSCONFDIR/xt"
'

test_expect_success "an empty key never crashes a program, and disable works" '
	write_config "{\"\": 1}" &&
	DO_NOT_TRACK=1 xt-consent disable >out &&
	test_grep "telemetry disabled" out &&
	jq -e ".[\"\"] == 1 and .\"telemetry.enabled\" == false" "$CONFIG" &&
	write_config "{\"\": 1, \"\": 2}" &&
	xt-id >out && test -s out &&
	xt-hash x >out && test -s out &&
	xt-consent notice 2>err && xt-consent enable && xt-consent disable &&
	jq -e ".[\"\"] == 2 and .\"telemetry.enabled\" == false" "$CONFIG"
'

test_expect_success "a \\u0000 key: the file written parses and keeps the identity" '
	write_config "{\"a\\u0000b\": 1, \"a\": 2, \"telemetry.anonymousId\": \"$ANON\", \"telemetry.salt\": \"$SALT\"}" &&
	xt-consent disable && jq -e . "$CONFIG" >/dev/null &&
	jq -e ".\"telemetry.anonymousId\" == \"$ANON\" and .\"telemetry.salt\" == \"$SALT\"" "$CONFIG" &&
	jq -e ".[\"a\\u0000b\"] == 1 and .a == 2" "$CONFIG" &&
	xt-consent enable && xt-id >out && test_grep "\"anonymousId\":\"$ANON\"" out
'

test_expect_success "a bad anonymousId or salt is corrupt: off, and disable keeps it aside" '
	for bad in "\"telemetry.anonymousId\": \"x\"" "\"telemetry.salt\": \"$ZEROS$ZEROS\"" \
	    "\"telemetry.anonymousId\": 5" "\"telemetry.salt\": \"$(echo $SALT | tr a-f A-F)\""; do
		rm -f "$CONFIG.corrupt" &&
		write_config "{$bad}" &&
		xt-id >out && test_empty out &&
		xt-consent status >out && test_grep "^off: .*not [0-9]* lowercase hex digits" out &&
		xt-consent disable && test -f "$CONFIG.corrupt" || return 1
	done
'

test_expect_success "a parse error never quotes the config's values" '
	write_config "{\"telemetry.salt\": $SALT}" &&
	xt-consent status >out 2>&1 && test_grep "is not JSON" out &&
	XT_DEBUG=1 xt-id >>out 2>&1 && test_nogrep "$SALT" out &&
	test_nogrep "0123" out
'

test_expect_success "a killed update's temporary file, holding the salt, is removed" '
	write_config "{\"telemetry.anonymousId\": \"$ANON\", \"telemetry.salt\": \"$SALT\"}" &&
	cp "$CONFIG" "$CONFIG.tmp-Ab12Cd" && cp "$CONFIG" "$CONFIG.backup" &&
	xt-consent disable &&
	test ! -e "$CONFIG.tmp-Ab12Cd" && test -e "$CONFIG.backup" &&
	test "$(ls "$(dirname "$CONFIG")" | grep -c tmp-)" = 0
'

test_expect_success "an empty key in a context or meta fragment is a key like any other" '
	printf "%s\n" "{\"context\":{\"\":1}}" "{\"meta\":{\"\":2,\"a\":3}}" \
	    "{\"context\":{\"\":4}}" "{\"eventName\":\"e\",\"fields\":{\"\":5}}" |
	xt-post -n >out &&
	jq -e ".context[\"\"] == 4 and .meta[\"\"] == 2 and .events[0].fields[\"\"] == 5" out
'

# The upload: bad input is bad input, diagnostics keep secrets out of
# CI logs, a hostile server is reported as what it did.
collector_start 200
rm -rf "$HOME/.config"
{ xt-id && xt-event e; } >frag.jsonl

test_expect_success "a malformed URL is bad input: exit 2, no connection" '
	for url in "http://127.0.0.1:99999/" "https://[::1" "http://127.0.0.1:0/" \
	    "http://127.0.0.1:$COLLECTOR_PORT/a b" \
	    "$(printf "http://127.0.0.1:%s/\001" "$COLLECTOR_PORT")" \
	    "$(printf "http://127.0.0.1:%s/\177" "$COLLECTOR_PORT")"; do
		test_exit 2 xt-post -u "$url" <frag.jsonl 2>err &&
		test_grep "not an http or https URL" err &&
		test_exit 2 env XT_ENDPOINT="$url" xt-post <frag.jsonl 2>err || return 1
	done &&
	test "$(collector_connections)" = 0
'

test_expect_success "diagnostics never show credentials, the query or raw control bytes" '
	url="http://user:s3cret@${COLLECTOR_CLOSED_URL#http://}?key=t0psecret#frag" &&
	test_exit 75 env XT_DEBUG=1 xt-post -t 2 -u "$url" <frag.jsonl 2>err &&
	test_grep "xt-post: http://127.0.0.1:[0-9]*/events: " err &&
	test_nogrep "s3cret" err && test_nogrep "t0psecret" err &&
	test_nogrep "user" err &&
	test_exit 2 env XT_ENDPOINT="$(printf "http://a:pw@h/\033[2J?k=v")" xt-post <frag.jsonl 2>err &&
	test_grep "http://h/\\\\x1B\[2J" err && test_nogrep "pw" err &&
	test_nogrep "$(printf "\033")" err
'

test_expect_success "-H cannot override what libcurl frames the body with, nor carry control bytes" '
	for h in "Content-Length: 5" "transfer-encoding: chunked" "Host: evil" \
	    "Content-Type: text/plain" "CONNECTION: keep-alive" "Expect: 100-continue" \
	    "$(printf "X-A: b\001")" "$(printf "X-A: b\rX-B: c")" "X-Empty:" "X-Empty:  "; do
		test_exit 2 xt-post -H "$h" -u "$COLLECTOR_URL" <frag.jsonl 2>err &&
		test_grep "header" err || return 1
	done &&
	test "$(collector_connections)" = 0 &&
	xt-post -H "X-Key: a b	c" -u "$COLLECTOR_URL" <frag.jsonl &&
	collector_wait_requests 1 &&
	test "$(collector_header 1 x-key)" = "a b	c"
'

test_expect_success "10 MB of response headers is reported as that, not as HTTP 200" '
	collector_mode huge-headers && n=$(collector_requests) &&
	test_exit 75 xt-post -u "$COLLECTOR_URL" <frag.jsonl 2>err &&
	test_grep "response headers are over 64 KiB" err &&
	test_nogrep "HTTP 200" err && collector_mode 200
'

test_expect_success "trickled headers are reported as the timeout they are, not as HTTP 200" '
	collector_mode trickle-headers &&
	test_exit 75 xt-post -t 1.5 -u "$COLLECTOR_URL" <frag.jsonl 2>err &&
	test_grep "[Tt]imed out" err && test_nogrep "HTTP 200" err &&
	collector_mode 200
'

test_expect_success "a status outside 100-599 is a failure of its own, not retried" '
	collector_mode 999 && n=$(collector_requests) &&
	test_exit 1 xt-post -u "$COLLECTOR_URL" <frag.jsonl 2>err &&
	test_grep "HTTP 999 is no HTTP status (100-599)" err &&
	test "$(collector_requests)" = $((n + 1)) && collector_mode 200
'

test_expect_success "with telemetry off, an endless stdin is read no further than the cap" '
	{ yes | DO_NOT_TRACK=1 timeout 60 xt-post -u "$COLLECTOR_URL"; echo $? >rc1; } &&
	{ yes | DO_NOT_TRACK=1 timeout 60 xt-hash -; echo $? >rc2; } &&
	test "$(cat rc1)" = 0 && test "$(cat rc2)" = 0 &&
	{ yes | timeout 60 xt-post -u "$COLLECTOR_URL" 2>err; echo $? >rc3; } &&
	test "$(cat rc3)" = 2 && test_grep "over 1 MiB" err
'

test_expect_success "CURL_CA_BUNDLE and SSL_CERT_FILE are honoured, as curl does" '
	collector_start 200 tls &&
	test_exit 75 xt-post -t 2 -u "$COLLECTOR_URL" <frag.jsonl 2>err &&
	CURL_CA_BUNDLE=$COLLECTOR_CA xt-post -u "$COLLECTOR_URL" <frag.jsonl &&
	SSL_CERT_FILE=$COLLECTOR_CA xt-post -u "$COLLECTOR_URL" <frag.jsonl &&
	CURL_CA_BUNDLE=$COLLECTOR_CA XT_CA_FILE=$COLLECTOR_CA xt-post -u "$COLLECTOR_URL" <frag.jsonl &&
	collector_wait_requests 3 &&
	collector_start 200
'

test_expect_success "the notice is recorded only when it could be shown" '
	rm -rf "$HOME/.config" &&
	xt-consent notice 2>/dev/full &&
	test_must_fail jq -e ".\"telemetry.notifiedAt\"" "$CONFIG" &&
	xt-consent notice 2>&- &&
	test_must_fail jq -e ".\"telemetry.notifiedAt\"" "$CONFIG" &&
	xt-consent notice 2>err && test_grep "collects anonymous usage data" err &&
	jq -e ".\"telemetry.notifiedAt\"" "$CONFIG"
'

test_expect_success "duplicate keys inside key:=json are refused, as duplicate fields are" '
	test_exit 2 xt-event e "a:={\"x\":1,\"x\":2}" >out 2>err && test_empty out &&
	test_grep "duplicate key inside the JSON value" err &&
	test_exit 2 xt-event e "a:=[{\"y\":{\"z\":1,\"\\u007a\":2}}]" >out 2>err &&
	test_empty out &&
	echo "{\"k\":{\"x\":1,\"x\":1}}" >dup.json &&
	test_exit 2 xt-event -f dup.json e >out 2>err && test_empty out &&
	xt-event e "a:={\"x\":1,\"y\":{\"x\":2}}" >out &&
	jq -e ".fields.a.y.x == 2" out
'

test_done
