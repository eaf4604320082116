#!/bin/sh
# contrib/: xt-send.sh and telemetry.mk report an event without ever
# holding up or failing the caller.
. "$(dirname "$0")/../lib.sh"
XT_TESTDIR=$XT_ROOT/tests
. "$XT_TESTDIR/collector.sh"
trap 'collector_cleanup; test_cleanup' EXIT

SEND="sh $XT_ROOT/contrib/xt-send.sh"

# uploads_running: an xt-post started by this test is still at work.
uploads_running() {
	pgrep -x xt-post >/dev/null
}

test_expect_success 'xt-send.sh: the event arrives, with the identity and the machine' '
	collector_start 200 &&
	XT_ENDPOINT=$COLLECTOR_URL $SEND build:completed success:=true duration:=12 >out 2>err &&
	test_empty out &&
	collector_wait_requests 1 &&
	jq -e ".events[0].eventName == \"build:completed\" and .events[0].fields.duration == 12 and (.context.anonymousId | length) == 64 and .meta.platform != null" "$(collector_body 1)"
'

test_expect_success 'xt-send.sh returns while the upload is still at work' '
	collector_start hang &&
	wait_for "! uploads_running" &&
	XT_ENDPOINT=$COLLECTOR_URL XT_SEND_TIMEOUT=60 $SEND build:completed >out 2>err &&
	wait_for uploads_running &&
	collector_wait_requests 1 &&
	uploads_running &&
	collector_stop &&
	wait_for "! uploads_running"
'

test_expect_success 'xt-send.sh: the first run shows the notice on stderr, once' '
	rm -rf "$XDG_CONFIG_HOME" &&
	$SEND a >out 2>err && test_empty out &&
	test_grep "collects anonymous usage data" err &&
	$SEND a >out 2>err && test_empty out && test_empty err
'

test_expect_success 'xt-send.sh: off, nothing happens at all' '
	collector_start 200 &&
	wait_for "! uploads_running" &&
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
	wait_for "! uploads_running" &&
	XT_ENDPOINT=$COLLECTOR_URL $SEND build x:=1.2.3 >out 2>err &&
	test_empty out &&
	test_grep "xt-send: xt-event: field .x:=1.2.3.: not a JSON value" err &&
	! uploads_running &&
	curl -s --noproxy "*" -o /dev/null -d "{}" "$COLLECTOR_URL" &&
	collector_wait_connections 1 && test "$(collector_connections)" = 1
'

test_expect_success 'xt-send.sh: a dead endpoint costs the caller nothing' '
	collector_start 200 &&
	XT_ENDPOINT=$COLLECTOR_CLOSED_URL $SEND a >out 2>err &&
	test_empty out && test_empty err
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
	test -f "$XDG_CONFIG_HOME/mytool/telemetry.json"
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

test_expect_success 'every upload it started has ended' '
	collector_stop &&
	wait_for "! uploads_running" 60
'

test_done
