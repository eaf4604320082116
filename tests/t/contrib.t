#!/bin/sh
# contrib/: xt-send.sh, telemetry.mk and example-cli report events
# through xt-flush without ever holding up or failing the caller.
. "$(dirname "$0")/../lib.sh"
XT_TESTDIR=$XT_ROOT/tests
. "$XT_TESTDIR/collector.sh"
trap 'collector_cleanup; test_cleanup' EXIT

# The programs from a copy of this test's own, so that pgrep finds the
# uploads this test started and no one else's.
BIN=$TRASH/bin
mkdir -p "$BIN" && cp "$XT_BINDIR"/xt-* "$BIN/" && rm -f "$BIN"/*.o || exit 1
PATH=$BIN:$PATH
export PATH

SEND="sh $XT_ROOT/contrib/xt-send.sh"
CLI=$XT_ROOT/contrib/example-cli

# uploads_running: an xt-post started by this test is still at work.
uploads_running() {
	pgrep -f "^$BIN/xt-post" >/dev/null
}
uploads_done() {
	wait_for "! uploads_running" 60
}

test_expect_success 'xt-send.sh: the event arrives, with the identity and the machine' '
	collector_start 200 &&
	XT_ENDPOINT=$COLLECTOR_URL $SEND build:completed success:=true duration:=12 >out 2>err &&
	test_empty out &&
	collector_wait_requests 1 &&
	jq -e ".events[0].eventName == \"build:completed\" and .events[0].fields.duration == 12 and (.context.anonymousId | length) == 64 and .meta.platform != null" "$(collector_body 1)"
'

test_expect_success 'xt-send.sh returns while the collector still holds the upload' '
	collector_start hang &&
	uploads_done &&
	out=$(XT_ENDPOINT=$COLLECTOR_URL $SEND build:completed) &&
	test -z "$out" &&
	collector_wait_requests 1 &&
	uploads_running &&
	collector_stop &&
	uploads_done
'

test_expect_success 'xt-send.sh: the first run shows the notice on stderr, once' '
	rm -rf "$XDG_CONFIG_HOME" &&
	$SEND a >out 2>err && test_empty out &&
	test_grep "collects anonymous usage data" err &&
	$SEND a >out 2>err && test_empty out && test_empty err
'

test_expect_success 'xt-send.sh: off, nothing happens at all' '
	collector_start 200 &&
	uploads_done &&
	snapshot before &&
	DO_NOT_TRACK=1 XT_ENDPOINT=$COLLECTOR_URL $SEND a >out 2>err &&
	test_empty out && test_empty err &&
	! uploads_running &&
	snapshot after && test_cmp before after &&
	curl -s --noproxy "*" -o /dev/null -d "{}" "$COLLECTOR_URL" &&
	collector_wait_connections 1 && test "$(collector_connections)" = 1
'

test_expect_success 'xt-send.sh: a bad field is named, exit 0, nothing sent' '
	collector_start 200 &&
	uploads_done &&
	XT_ENDPOINT=$COLLECTOR_URL $SEND build x:=1.2.3 >out 2>err &&
	test_empty out &&
	test_grep "xt-event: field .x:=1.2.3.: not a JSON value" err &&
	! uploads_running &&
	curl -s --noproxy "*" -o /dev/null -d "{}" "$COLLECTOR_URL" &&
	collector_wait_connections 1 && test "$(collector_connections)" = 1
'

test_expect_success 'xt-send.sh: a dead endpoint costs the caller nothing, the event is kept' '
	collector_start 200 &&
	rm -rf "$XDG_STATE_HOME" &&
	XT_ENDPOINT=$COLLECTOR_CLOSED_URL $SEND a >out 2>err &&
	test_empty out && test_empty err &&
	wait_for "test -s \"$XDG_STATE_HOME/xt/telemetry/last-upload\"" 60 &&
	test_grep "kept: temporary failure" "$XDG_STATE_HOME/xt/telemetry/last-upload" &&
	ls "$XDG_STATE_HOME/xt/telemetry/spool/"*.jsonl >/dev/null &&
	rm -rf "$XDG_STATE_HOME"
'

test_expect_success 'xt-send.sh is a two-line wrapper of xt-event | xt-flush' '
	grep -v "^#" "$XT_ROOT/contrib/xt-send.sh" >code &&
	printf "%s\n" "xt-event \"\$@\" | xt-flush" "exit 0" >want &&
	test_cmp want code
'

test_expect_success 'telemetry.mk: $(XT_SEND) in a recipe reports the event' '
	collector_start 200 &&
	mkdir -p proj && cd proj &&
	printf "%s\n" "XT_APP = mytool" "XT_ENDPOINT = $COLLECTOR_URL" \
	    "XT_CONTRIB = $XT_ROOT/contrib" "include \$(XT_CONTRIB)/telemetry.mk" "" \
	    "build:" "	@echo built" "	-@\$(XT_SEND) build:completed success:=true via=make" >Makefile &&
	make -s build >out 2>err &&
	printf "built\n" >want && test_cmp want out &&
	collector_wait_requests 1 &&
	jq -e ".events[0].fields.via == \"make\"" "$(collector_body 1)" &&
	test -f "$XDG_CONFIG_HOME/mytool/telemetry.json" &&
	uploads_done && test -f "$XDG_STATE_HOME/mytool/telemetry/sent.jsonl"
'

test_expect_success 'telemetry.mk: XT_APP left empty means xt' '
	collector_start 200 &&
	mkdir -p proj2 && cd proj2 &&
	printf "%s\n" "include $XT_ROOT/contrib/telemetry.mk" "XT_CONTRIB = $XT_ROOT/contrib" \
	    "XT_ENDPOINT = $COLLECTOR_URL" "all:" "	-@\$(XT_SEND) ping" >Makefile &&
	make -s >out 2>err && test_empty out &&
	collector_wait_requests 1 &&
	test -f "$XDG_CONFIG_HOME/xt/telemetry.json"
'

test_expect_success 'telemetry.mk: make -j returns while the endpoint hangs' '
	collector_start hang &&
	uploads_done &&
	mkdir -p proj3 && cd proj3 &&
	printf "%s\n" "XT_CONTRIB = $XT_ROOT/contrib" "XT_ENDPOINT = $COLLECTOR_URL" \
	    "include \$(XT_CONTRIB)/telemetry.mk" "all: a b" \
	    "a:" "	-@\$(XT_SEND) step name=a" "b:" "	-@\$(XT_SEND) step name=b" >Makefile &&
	out=$(make -s -j2 2>&1) && test -z "$out" &&
	collector_wait_requests 1 &&
	uploads_running &&
	collector_stop && uploads_done
'

test_expect_success 'example-cli: the notice on the first run, the build, a success event' '
	collector_start 200 &&
	rm -rf "$XDG_CONFIG_HOME" &&
	XT_ENDPOINT=$COLLECTOR_URL "$CLI" build >out 2>err &&
	printf "prepare: ok\ncompile: ok\nlink: ok\n" >want && test_cmp want out &&
	test_grep "example-cli collects anonymous usage data" err &&
	test "$(grep -c "collects anonymous" err)" = 1 &&
	collector_wait_requests 1 &&
	test -f "$XDG_CONFIG_HOME/example-cli/telemetry.json" &&
	jq -e ".events[0].eventName == \"build:completed\" and .events[0].fields.success == true and (.events[0].fields.duration | type) == \"number\"" "$(collector_body 1)" &&
	test "$(jq -r .context.anonymousId "$(collector_body 1)")" = \
	    "$(jq -r ".\"telemetry.anonymousId\"" "$XDG_CONFIG_HOME/example-cli/telemetry.json")" &&
	XT_ENDPOINT=$COLLECTOR_URL "$CLI" build >out 2>err && test_empty err
'

test_expect_success 'example-cli: a failure reports the failing step and the duration' '
	collector_start 200 &&
	test_exit 1 env XT_ENDPOINT="$COLLECTOR_URL" "$CLI" build --fail compile >out 2>err &&
	printf "prepare: ok\n" >want && test_cmp want out &&
	test_grep "compile failed" err &&
	collector_wait_requests 1 &&
	jq -e ".events[0].fields.success == false and .events[0].fields.step == \"compile\" and (.events[0].fields.duration | type) == \"number\"" "$(collector_body 1)"
'

test_expect_success 'example-cli telemetry status|disable|enable map to xt-consent' '
	collector_start 200 &&
	"$CLI" telemetry status >out &&
	test_grep "^on: " out && test_grep "example-cli/telemetry.json" out &&
	"$CLI" telemetry disable >out && test_grep "telemetry disabled" out &&
	"$CLI" telemetry >out && test_grep "^off: disabled in " out &&
	uploads_done &&
	XT_ENDPOINT=$COLLECTOR_URL "$CLI" build >out 2>err && test_empty err &&
	! uploads_running &&
	curl -s --noproxy "*" -o /dev/null -d "{}" "$COLLECTOR_URL" &&
	collector_wait_connections 1 && test "$(collector_connections)" = 1 &&
	"$CLI" telemetry enable >out && test_grep "telemetry enabled" out &&
	test_exit 2 "$CLI" telemetry maybe 2>err && test_grep "^usage: " err
'

# shellcheck is one of make check's tools (tests/deps.sh).
test_expect_success 'example-cli and xt-send.sh are shellcheck-clean' '
	shellcheck -s sh "$CLI" "$XT_ROOT/contrib/xt-send.sh"
'

test_expect_success 'every upload it started has ended' '
	collector_stop &&
	uploads_done
'

test_done
