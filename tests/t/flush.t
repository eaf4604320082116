#!/bin/sh
# xt-flush: the caller returns at once, a detached sender delivers,
# keeps what it cannot deliver, and never piles up; the spool trusts
# nothing that is not the user's own.  Order of events, never a timer.
. "$(dirname "$0")/../lib.sh"
XT_TESTDIR=$XT_ROOT/tests
. "$XT_TESTDIR/collector.sh"
trap 'collector_cleanup; test_cleanup' EXIT

# The programs run from a copy in this test's own directory, so that
# pgrep -f finds this test's senders and no one else's.  The sender
# runs its siblings from where it is.
BIN=$TRASH/bin
mkdir -p "$BIN" &&
cp "$XT_BINDIR/xt-flush" "$XT_BINDIR/xt-id" "$XT_BINDIR/xt-meta" \
    "$XT_BINDIR/xt-post" "$BIN/" || exit 1
FLUSH=$BIN/xt-flush
# HOLD: the same, but its xt-post waits (nearly) forever for an answer,
# so a collector that holds a request holds it until the sender's cap:
# "the request is still held" is then an order of events, not a race
# with xt-post's own 5 s.
HOLD=$TRASH/hold
mkdir -p "$HOLD" && cp "$BIN/xt-flush" "$BIN/xt-id" "$BIN/xt-meta" "$HOLD/" &&
printf '#!/bin/sh\nexec "%s/xt-post" -t 600 "$@"\n' "$BIN" >"$HOLD/xt-post" &&
chmod 755 "$HOLD/xt-post" || exit 1
STATE=$XDG_STATE_HOME/xt/telemetry
SPOOL=$STATE/spool
export FLUSH

# ours_running [DIR]: a program of ours (from DIR, default BIN) is alive.
ours_running() {
	pgrep -f "^${1:-$BIN}/xt-" >/dev/null
}
# senders_done [DIR]: wait (60 s at most) until none is left.
senders_done() {
	wait_for "! ours_running ${1:-$BIN}" 60
}
# alive PID: the process is there and not a zombie waiting for init.
alive() {
	_st=$(ps -o stat= -p "$1") && case $_st in Z*) return 1 ;; esac
}
# batches: how many batches wait in the spool.
batches() {
	find "$SPOOL" -maxdepth 1 -name "*.jsonl" 2>/dev/null | wc -l
}
# A whole batch file, as xt-flush writes one: batch ID HASH LINE...
batch() {
	_id=$1 _hash=$2
	shift 2
	printf '{"context":{"projectHash":"%s"}}\n' "$_hash"
	printf '%s\n' "$@"
	printf '{"context":{"sessionId":"%s"}}\n' "$_id"
}
id_n() { printf "%064d" "$1"; }
HASH=$(printf "%064d" 7)

# Known identity, notice already shown.
setup_config() {
	write_config "{\"telemetry.anonymousId\":\"$ANON\",\"telemetry.salt\":\"$SALT\",\"telemetry.notifiedAt\":\"1795878331979\"}"
}
setup_config

test_expect_success 'bad input: exit 2, the line named, nothing spooled, nothing started' '
	snapshot before &&
	{ xt-event a; echo "{\"bad\":1}"; } | test_exit 2 "$FLUSH" >out 2>err &&
	test_empty out && test_grep "^xt-flush: line 2: " err &&
	printf "not json\n" | test_exit 2 "$FLUSH" 2>err &&
	test_grep "^xt-flush: line 1: " err &&
	echo "{\"meta\":{\"a\":1}}" | test_exit 2 "$FLUSH" 2>err &&
	test_grep "no events" err &&
	head -c 1100000 /dev/zero | tr "\\0" "\\n" | test_exit 2 "$FLUSH" 2>err &&
	test_grep "over 1 MiB" err &&
	! ours_running &&
	snapshot after && test_cmp before after
'

test_expect_success 'nothing on stdin: nothing to do, nothing written' '
	snapshot before &&
	"$FLUSH" </dev/null >out 2>err && test_empty out && test_empty err &&
	printf "\n  \n" | "$FLUSH" >out 2>err && test_empty out && test_empty err &&
	snapshot after && test_cmp before after
'

for off in DO_NOT_TRACK=1 XT_TELEMETRY_DISABLED=1 config policy; do
	test_expect_success "consent off ($off): stdin drained up to the cap, no file, no process, no connection" '
		collector_start 200 &&
		case '"$off"' in
		config) write_config "{\"telemetry.enabled\":false}"; set -- ;;
		policy) rm -f "$CONFIG"; mkdir -p "$XT_SYSCONFDIR/xt" &&
			echo "{\"telemetry.enabled\":false}" >"$XT_SYSCONFDIR/xt/telemetry.json"; set -- ;;
		*) set -- '"$off"' ;;
		esac &&
		snapshot before &&
		{ head -c 1000000 /dev/zero | tr "\\0" "\\n"; echo $? >writer; } |
		    env "$@" XT_ENDPOINT="$COLLECTOR_URL" "$FLUSH" >out 2>err &&
		test "$(cat writer)" = 0 &&
		yes | env "$@" XT_ENDPOINT="$COLLECTOR_URL" "$FLUSH" >out 2>err &&
		xt-event a | env "$@" XT_ENDPOINT="$COLLECTOR_URL" "$FLUSH" >out 2>err &&
		test_empty out && test_empty err &&
		! ours_running &&
		snapshot after && test_cmp before after &&
		curl -s --noproxy "*" -o /dev/null -d "{}" "$COLLECTOR_URL" &&
		collector_wait_connections 1 && test "$(collector_connections)" = 1 &&
		rm -rf "$XT_SYSCONFDIR/xt" writer && setup_config
	'
done

test_expect_success 'the first run shows the notice on stderr, once' '
	rm -f "$CONFIG" &&
	xt-event a | "$FLUSH" >out 2>err && test_empty out &&
	test_grep "collects anonymous usage data" err &&
	xt-event a | "$FLUSH" >out 2>err && test_empty out && test_empty err &&
	senders_done && setup_config && rm -rf "$STATE"
'

test_expect_success 'the caller returns while the collector still holds the delivery' '
	collector_start hang &&
	out=$(xt-event build:completed | XT_ENDPOINT=$COLLECTOR_URL "$HOLD/xt-flush") &&
	test -z "$out" &&
	collector_wait_requests 1 &&
	pgrep -f "^$BIN/xt-post -t 600" >/dev/null &&
	test "$(batches)" = 1 &&
	collector_stop && senders_done && senders_done "$HOLD"
'

test_expect_success 'a hanging endpoint: the sender ends, nothing left running, the batch kept' '
	collector_start hang &&
	xt-event build:completed | XT_ENDPOINT=$COLLECTOR_URL "$FLUSH" &&
	collector_wait_requests 1 &&
	senders_done &&
	test "$(batches)" -ge 1 &&
	test_grep " kept: temporary failure" "$STATE/last-upload" &&
	collector_stop && rm -rf "$STATE"
'

test_expect_success 'the caller'\''s process group killed right after xt-flush returns: the batch arrives' '
	collector_start 503-once &&
	XT_ENDPOINT=$COLLECTOR_URL setsid -w sh -c "
		xt-event group:killed | \"\$FLUSH\"
		kill -KILL 0" ; \
	collector_wait_requests 2 &&
	test "$(jq -r ".events[0].eventName" "$(collector_body 2)")" = group:killed &&
	senders_done && test "$(batches)" = 0
'

test_expect_success '... and killed while the sender is mid-delivery: it still arrives' '
	collector_start 503-once &&
	XT_ENDPOINT=$COLLECTOR_URL setsid -w sh -c "
		xt-event group:killed2 | \"\$FLUSH\"
		i=0
		while [ \"\$(cat \"\$COLLECTOR_DIR/requests\")\" -lt 1 ] && [ \$i -lt 1200 ]; do
			sleep 0.05; i=\$((i + 1))
		done
		kill -KILL 0" ; \
	test "$(collector_requests)" -ge 1 &&
	collector_wait_requests 2 &&
	test "$(jq -r ".events[0].eventName" "$(collector_body 2)")" = group:killed2 &&
	senders_done && test "$(batches)" = 0
'

test_expect_success 'the payload is xmcp'\''s shape, with xmcp'\''s own anonymousId (XT_APP=xmcp)' '
	collector_start 200 &&
	mkdir -p "$XDG_CONFIG_HOME/xmcp" && chmod 700 "$XDG_CONFIG_HOME/xmcp" &&
	echo "{\"telemetry.anonymousId\":\"$ANON\",\"telemetry.salt\":\"$SALT\",\"telemetry.notifiedAt\":\"1795878331979\"}" \
	    >"$XDG_CONFIG_HOME/xmcp/telemetry.json" &&
	mkdir -p app && cd app &&
	echo "{\"name\":\"my-app\",\"version\":\"1.2.3\"}" >package.json &&
	xt-event -T 2026-11-24T17:21:00.001Z build:completed success:=true duration:=1248 |
	    XT_APP=xmcp XT_ENDPOINT=$COLLECTOR_URL "$FLUSH" >out 2>err &&
	test_empty out && test_empty err &&
	collector_wait_requests 1 && senders_done "$BIN" &&
	body=$(collector_body 1) &&
	jq -e "keys_unsorted == [\"context\", \"meta\", \"events\"]" "$body" &&
	jq -e ".context | keys_unsorted == [\"anonymousId\", \"projectHash\", \"sessionId\"]" "$body" &&
	test "$(jq -r .context.anonymousId "$body")" = "$ANON" &&
	test "$(jq -r .context.projectHash "$body")" = \
	    "$(printf "%s" "${SALT}my-app@1.2.3" | sha256sum | cut -c1-64)" &&
	jq -e ".meta | keys_unsorted == [\"platform\",\"systemRelease\",\"arch\",\"cpuCores\",\"cpuModel\",\"cpuSpeed\",\"memoryTotal\",\"isDocker\",\"isWsl\",\"isCI\",\"ciName\"]" "$body" &&
	jq -e ".events == [{\"eventName\":\"build:completed\",\"timestamp\":\"2026-11-24T17:21:00.001Z\",\"fields\":{\"success\":true,\"duration\":1248}}]" "$body" &&
	test -f "$XDG_STATE_HOME/xmcp/telemetry/sent.jsonl" &&
	test "$(jq -r .context.sessionId "$body")" = \
	    "$(jq -r .context.sessionId "$XDG_STATE_HOME/xmcp/telemetry/sent.jsonl")"
'

test_expect_success 'a delivered payload is in sent.jsonl, exactly as the collector got it' '
	rm -rf "$STATE" &&
	collector_start 200 &&
	xt-event delivered n:=1 | XT_ENDPOINT=$COLLECTOR_URL "$FLUSH" &&
	collector_wait_requests 1 && senders_done &&
	printf "\n" | cat "$(collector_body 1)" - >want &&
	test_cmp want "$STATE/sent.jsonl" &&
	test "$(stat -c %a "$STATE/sent.jsonl")" = 600 &&
	test "$(batches)" = 0 &&
	test_grep " delivered$" "$STATE/last-upload" &&
	xt-consent status >st &&
	test_grep "^spool: $SPOOL: 0 batches waiting$" st &&
	test_grep "^last upload: 20[0-9-]*T[0-9:]*Z: delivered$" st
'

test_expect_success 'no endpoint: the batch stays in the spool, and status says so' '
	rm -rf "$STATE" &&
	xt-event kept | "$FLUSH" && senders_done &&
	test "$(batches)" = 1 &&
	test "$(stat -c %a "$SPOOL")" = 700 &&
	test "$(stat -c %a "$SPOOL"/*.jsonl)" = 600 &&
	xt-consent status >st &&
	test_grep "^spool: $SPOOL: 1 batch waiting$" st &&
	test_grep "^last upload: .*: kept: no endpoint configured$" st &&
	xt-consent -j | jq -e ".waiting == 1 and (.lastUpload.result | startswith(\"kept\"))"
'

test_expect_success '... and the next sender with an endpoint delivers it, its id the sessionId' '
	collector_start 200 &&
	id=$(basename "$SPOOL"/*.jsonl .jsonl) &&
	xt-event second | XT_ENDPOINT=$COLLECTOR_URL "$FLUSH" &&
	collector_wait_requests 2 && senders_done &&
	test "$(batches)" = 0 &&
	test "$(jq -r .context.sessionId "$(collector_body 1)")" = "$id" &&
	test "$(jq -r ".events[0].eventName" "$(collector_body 1)")" = kept &&
	test "$(jq -r ".events[0].eventName" "$(collector_body 2)")" = second
'

test_expect_success '-n prints the payload and writes nothing anywhere' '
	collector_start 200 &&
	snapshot before &&
	xt-event preview n:=1 | XT_ENDPOINT=$COLLECTOR_URL "$FLUSH" -n >out 2>err &&
	test_empty err &&
	jq -e "keys_unsorted == [\"context\", \"meta\", \"events\"] and .context.anonymousId == \"$ANON\" and .events[0].fields.n == 1" out &&
	! ours_running &&
	snapshot after && test_cmp before after &&
	test "$(collector_connections)" = 0 &&
	rm -rf "$XDG_CONFIG_HOME" "$STATE" && snapshot before &&
	xt-event preview | "$FLUSH" -n >out 2>err && test_empty err &&
	jq -r .context.anonymousId out | grep -q "^[0-9a-f]\{64\}$" &&
	snapshot after && test_cmp before after &&
	setup_config
'

test_expect_success 'rows format: -n prints the rows, sent.jsonl logs the rows the collector got' '
	rm -rf "$STATE" &&
	collector_start 200 &&
	{ xt-event -T 2026-11-24T17:21:00.001Z first n:=1 &&
	  xt-event -T 2026-11-24T17:21:00.002Z second; } >two.jsonl &&
	XT_FORMAT=rows "$FLUSH" -n <two.jsonl >out 2>err && test_empty err &&
	test "$(wc -l <out)" = 2 &&
	jq -e -s "map(.eventIndex) == [0, 1] and map(.eventName) == [\"first\", \"second\"] and .[0].anonymousId == \"$ANON\" and (.[0].fields | fromjson | .n == 1)" out &&
	test "$(collector_connections)" = 0 && test ! -e "$STATE" &&
	XT_FORMAT=rows XT_ENDPOINT=$COLLECTOR_URL "$FLUSH" <two.jsonl &&
	collector_wait_requests 1 && senders_done &&
	printf "\n" | cat "$(collector_body 1)" - >want &&
	test_cmp want "$STATE/sent.jsonl" &&
	jq -e -s "length == 2 and map(.eventName) == [\"first\", \"second\"]" "$STATE/sent.jsonl" &&
	write_config "{\"telemetry.anonymousId\":\"$ANON\",\"telemetry.salt\":\"$SALT\",\"telemetry.notifiedAt\":\"1795878331979\",\"telemetry.format\":\"rows\"}" &&
	"$FLUSH" -n <two.jsonl | jq -e -s "length == 2 and .[1].eventIndex == 1" &&
	setup_config
'

test_expect_success 'a bad format is bad input: exit 2, nothing spooled, nothing started' '
	snapshot before &&
	test_exit 2 env XT_FORMAT=csv "$FLUSH" <two.jsonl >out 2>err &&
	test_empty out && test_grep "XT_FORMAT=.csv.: payload or rows expected; nothing spooled" err &&
	test_exit 2 env XT_FORMAT=csv "$FLUSH" -n <two.jsonl >out 2>err && test_empty out &&
	! ours_running && snapshot after && test_cmp before after &&
	write_config "{\"telemetry.format\": 1}" && n=$(batches) &&
	test_exit 2 "$FLUSH" <two.jsonl 2>err &&
	test_grep "telemetry.format in .*: \"payload\" or \"rows\" expected" err &&
	test "$(batches)" = "$n" && ! ours_running &&
	setup_config
'

test_expect_success 'debug mode: the sender runs in the foreground and explains' '
	collector_start 200 &&
	xt-event debug | XT_DEBUG=1 XT_ENDPOINT=$COLLECTOR_URL "$FLUSH" >out 2>err &&
	test_empty out &&
	test "$(collector_requests)" = 1 &&
	test_grep "debug: batch [0-9a-f]* spooled in $SPOOL" err &&
	test_grep "debug: payload: {\"context\"" err &&
	test_grep "debug: batch [0-9a-f]*: delivered" err &&
	! ours_running
'

test_expect_success 'the sender holds no descriptor of the caller, in its own session, in /' '
	collector_start hang &&
	exec 7>"$TRASH/held" &&
	xt-event fds | XT_ENDPOINT=$COLLECTOR_URL "$HOLD/xt-flush" &&
	exec 7>&- &&
	collector_wait_requests 1 &&
	pid=$(pgrep -f "^$HOLD/xt-flush\$") &&
	test "$(echo "$pid" | wc -l)" = 1 &&
	ls -l /proc/$pid/fd >fds &&
	! grep -q "held" fds &&
	test "$(readlink /proc/$pid/fd/0)" = /dev/null &&
	test "$(readlink /proc/$pid/fd/1)" = /dev/null &&
	test "$(readlink /proc/$pid/fd/2)" = /dev/null &&
	test "$(readlink /proc/$pid/cwd)" = / &&
	test "$(ps -o sid= -p $pid | tr -d " ")" != "$(ps -o sid= -p $$ | tr -d " ")" &&
	grep -q "^Umask:.*0077" /proc/$pid/status &&
	collector_stop && senders_done && senders_done "$HOLD" && rm -rf "$STATE"
'

test_expect_success 'a sender killed with SIGKILL mid-delivery: the next flush delivers its batch' '
	collector_start hang &&
	xt-event first | XT_ENDPOINT=$COLLECTOR_URL "$HOLD/xt-flush" &&
	collector_wait_requests 1 &&
	id=$(jq -r .context.sessionId "$(collector_body 1)") &&
	pid=$(pgrep -f "^$HOLD/xt-flush\$") && kill -KILL $pid &&
	wait_for "! alive $pid" &&
	test -f "$SPOOL/$id.jsonl" &&
	collector_stop && senders_done && senders_done "$HOLD" &&
	collector_start 200 &&
	xt-event second | XT_ENDPOINT=$COLLECTOR_URL "$FLUSH" &&
	wait_for "test \$(batches) = 0" 60 && senders_done &&
	grep -c . "$STATE/sent.jsonl" >n && echo 2 >want && test_cmp want n &&
	jq -r "[.context.sessionId, .events[0].eventName] | join(\" \")" "$STATE/sent.jsonl" >got &&
	grep -q "^$id first$" got && grep -q " second$" got
'

# A bin directory whose xt-post is a stand-in, to watch the sender.
stand_in() {	# stand_in DIR SCRIPT
	mkdir -p "$1" &&
	cp "$XT_BINDIR/xt-flush" "$XT_BINDIR/xt-id" "$XT_BINDIR/xt-meta" "$1/" &&
	printf '#!/bin/sh\n%s\n' "$2" >"$1/xt-post" && chmod 755 "$1/xt-post"
}

test_expect_success 'the hard cap: a stuck xt-post is killed, the sender gone, the batch kept' '
	rm -rf "$STATE" &&
	stand_in "$TRASH/stuck" "echo \$\$ >$TRASH/stuck.pid; while :; do sleep 1; done" &&
	xt-event stuck | XT_ENDPOINT=http://127.0.0.1:9/ "$TRASH/stuck/xt-flush" &&
	wait_for "test -s $TRASH/stuck.pid" &&
	ours_running "$TRASH/stuck" &&
	senders_done "$TRASH/stuck" &&
	wait_for "! alive $(cat "$TRASH/stuck.pid")" &&
	test "$(batches)" = 1
'

test_expect_success '200 flushes at once while the collector fails, then one more: each batch once, one sender at a time' '
	rm -rf "$STATE" &&
	collector_start 500 &&
	stand_in "$TRASH/one" "
		mkdir $TRASH/inflight 2>/dev/null || echo overlap >>$TRASH/overlaps
		$BIN/xt-post \"\$@\"; rc=\$?
		rmdir $TRASH/inflight
		exit \$rc" &&
	export XT_ENDPOINT=$COLLECTOR_URL &&
	i=0 &&
	pids= &&
	while [ $i -lt 200 ]; do
		xt-event burst n:=$i | "$TRASH/one/xt-flush" &
		pids="$pids $!" i=$((i + 1))
	done &&
	wait $pids &&
	collector_wait_requests 1 &&
	senders_done "$TRASH/one" &&
	test "$(batches)" = 200 &&
	collector_mode 200 &&
	xt-event burst n:=200 | "$TRASH/one/xt-flush" &&
	wait_for "test \$(batches) = 0" 120 &&
	senders_done "$TRASH/one" &&
	test ! -e "$TRASH/overlaps" &&
	test ! -e "$SPOOL/rejected" &&
	cat "$COLLECTOR_DIR"/req-*.body |
	    jq -r "[.context.sessionId, (.events[] | .fields.n | tostring)] | join(\" \")" |
	    sort -u >pairs &&
	test "$(wc -l <pairs)" = 201 &&
	test "$(cut -d" " -f1 pairs | sort -u | wc -l)" = 201 &&
	test "$(cut -d" " -f2 pairs | sort -un | wc -l)" = 201 &&
	test "$(grep -c . "$STATE/sent.jsonl")" = 201 &&
	jq -r .context.sessionId "$STATE/sent.jsonl" | sort -u | wc -l >n &&
	echo 201 >want && test_cmp want n
'
unset XT_ENDPOINT

test_expect_success 'a batch older than 7 days is dropped; the oldest beyond 1 MiB too' '
	rm -rf "$STATE" && mkdir -p "$SPOOL" && chmod -R 700 "$XDG_STATE_HOME" &&
	batch "$(id_n 1)" "$HASH" "{\"eventName\":\"old\"}" >"$SPOOL/$(id_n 1).jsonl" &&
	touch -d "8 days ago" "$SPOOL/$(id_n 1).jsonl" &&
	pad=$(head -c 200000 /dev/zero | tr "\\0" x) &&
	for i in 2 3 4 5 6 7; do
		batch "$(id_n $i)" "$HASH" "{\"eventName\":\"big\",\"fields\":{\"pad\":\"$pad\"}}" \
		    >"$SPOOL/$(id_n $i).jsonl" &&
		touch -d "$((10 - i)) hours ago" "$SPOOL/$(id_n $i).jsonl" || exit 1
	done &&
	chmod 600 "$SPOOL"/*.jsonl &&
	xt-event new | "$FLUSH" && senders_done &&
	test ! -e "$SPOOL/$(id_n 1).jsonl" &&
	test ! -e "$SPOOL/$(id_n 2).jsonl" &&
	test -e "$SPOOL/$(id_n 3).jsonl" && test -e "$SPOOL/$(id_n 7).jsonl" &&
	test "$(batches)" = 6 &&
	test "$(cat "$SPOOL"/*.jsonl | wc -c)" -le 1048576
'

test_expect_success 'refused for good: moved to rejected/, the newest 16 kept' '
	rm -rf "$STATE" && mkdir -p "$SPOOL" && chmod -R 700 "$XDG_STATE_HOME" &&
	for i in $(seq 1 20); do
		batch "$(id_n $i)" "$HASH" "{\"eventName\":\"r$i\"}" >"$SPOOL/$(id_n $i).jsonl" &&
		touch -d "$((30 - i)) minutes ago" "$SPOOL/$(id_n $i).jsonl" || exit 1
	done &&
	chmod 600 "$SPOOL"/*.jsonl &&
	collector_start 400 &&
	xt-event r21 | XT_ENDPOINT=$COLLECTOR_URL "$FLUSH" &&
	collector_wait_requests 21 && senders_done &&
	test "$(batches)" = 0 &&
	test "$(ls "$SPOOL/rejected" | wc -l)" = 16 &&
	test ! -e "$SPOOL/rejected/$(id_n 5).jsonl" &&
	test -e "$SPOOL/rejected/$(id_n 6).jsonl" &&
	test "$(stat -c %a "$SPOOL/rejected")" = 700 &&
	test_grep " rejected (xt-post exit 1)$" "$STATE/last-upload" &&
	test ! -e "$STATE/sent.jsonl"
'

test_expect_success 'sent.jsonl past 256 KiB becomes sent.jsonl.1, replacing the older one' '
	rm -rf "$STATE" && mkdir -p "$STATE" && chmod -R 700 "$XDG_STATE_HOME" &&
	head -c 262000 /dev/zero | tr "\\0" "\\n" >"$STATE/sent.jsonl" &&
	echo older >"$STATE/sent.jsonl.1" &&
	chmod 600 "$STATE"/sent.jsonl* &&
	collector_start 200 &&
	xt-event rotate | XT_ENDPOINT=$COLLECTOR_URL "$FLUSH" &&
	collector_wait_requests 1 && senders_done &&
	test "$(wc -c <"$STATE/sent.jsonl.1")" = 262000 &&
	printf "\n" | cat "$(collector_body 1)" - >want &&
	test_cmp want "$STATE/sent.jsonl"
'

test_expect_success 'a partial batch, a foreign name, a link: never sent, left as they were' '
	rm -rf "$STATE" && mkdir -p "$SPOOL" && chmod -R 700 "$XDG_STATE_HOME" &&
	batch "$(id_n 1)" "$HASH" "{\"eventName\":\"partial\"}" | head -n 2 >"$SPOOL/$(id_n 1).jsonl" &&
	batch "$(id_n 3)" "$HASH" "{\"eventName\":\"wrongid\"}" >"$SPOOL/$(id_n 2).jsonl" &&
	batch "$(id_n 4)" "$HASH" "{\"eventName\":\"foreign\"}" >"$SPOOL/notes.jsonl" &&
	batch "$(id_n 5)" "$HASH" "{\"eventName\":\"linked\"}" >"$TRASH/target" &&
	ln -s "$TRASH/target" "$SPOOL/$(id_n 5).jsonl" &&
	chmod 600 "$SPOOL"/*.jsonl "$TRASH/target" &&
	( cd "$SPOOL" && ls -l --time-style=+%s.%N | sort && cat * ) >before 2>/dev/null;
	collector_start 200 &&
	xt-event good | XT_ENDPOINT=$COLLECTOR_URL "$FLUSH" &&
	collector_wait_requests 1 && senders_done &&
	test "$(collector_requests)" = 1 &&
	test "$(jq -r ".events[0].eventName" "$(collector_body 1)")" = good &&
	( cd "$SPOOL" && ls -l --time-style=+%s.%N | sort && cat * ) >after 2>/dev/null;
	test_cmp before after
'

test_expect_success 'a group- or world-writable spool, or a link in its place: refused, left as it is' '
	rm -rf "$STATE" && mkdir -p "$SPOOL" && chmod 770 "$SPOOL" &&
	xt-event a | XT_DEBUG=1 "$FLUSH" >out 2>err &&
	test_grep "can be written by others" err &&
	test "$(stat -c %a "$SPOOL")" = 770 &&
	test "$(ls -A "$SPOOL" | wc -l)" = 0 &&
	xt-consent status >st && test_grep "^spool: $SPOOL: unusable: .*can be written by others" st &&
	rm -rf "$STATE" && mkdir -p "$STATE" "$TRASH/elsewhere" &&
	chmod 700 "$STATE" "$TRASH/elsewhere" &&
	ln -s "$TRASH/elsewhere" "$SPOOL" &&
	xt-event a | XT_DEBUG=1 "$FLUSH" >out 2>err &&
	test_grep "symbolic link" err &&
	test "$(ls -A "$TRASH/elsewhere" | wc -l)" = 0 &&
	test -L "$SPOOL" && ! ours_running
'

if [ "$(id -u)" = 0 ]; then
	test_expect_success 'attacker: a spool directory owned by nobody is refused and left alone' '
		rm -rf "$STATE" && mkdir -p "$SPOOL" && chmod 700 "$STATE" &&
		chown 65534:65534 "$SPOOL" && chmod 700 "$SPOOL" &&
		xt-event a | XT_DEBUG=1 "$FLUSH" >out 2>err &&
		test_grep "belongs to another user" err &&
		test "$(stat -c %u:%a "$SPOOL")" = 65534:700 &&
		test "$(ls -A "$SPOOL" | wc -l)" = 0 &&
		! ours_running
	'
	test_expect_success 'attacker: a batch owned by nobody in the spool is never sent, and left alone' '
		rm -rf "$STATE" && mkdir -p "$SPOOL" && chmod -R 700 "$XDG_STATE_HOME" &&
		batch "$(id_n 9)" "$HASH" "{\"eventName\":\"planted\"}" >"$SPOOL/$(id_n 9).jsonl" &&
		chown 65534:65534 "$SPOOL/$(id_n 9).jsonl" && chmod 600 "$SPOOL/$(id_n 9).jsonl" &&
		cp -p "$SPOOL/$(id_n 9).jsonl" planted &&
		collector_start 200 &&
		xt-event mine | XT_ENDPOINT=$COLLECTOR_URL "$FLUSH" &&
		collector_wait_requests 1 && senders_done &&
		test "$(collector_requests)" = 1 &&
		test "$(jq -r ".events[0].eventName" "$(collector_body 1)")" = mine &&
		test_cmp planted "$SPOOL/$(id_n 9).jsonl" &&
		test "$(stat -c %u "$SPOOL/$(id_n 9).jsonl")" = 65534 &&
		xt-consent status >st && test_grep "0 batches waiting" st
	'
	test_expect_success 'attacker: a sent.jsonl owned by nobody is not written' '
		rm -rf "$STATE" && mkdir -p "$STATE" && chmod -R 700 "$XDG_STATE_HOME" &&
		echo theirs >"$STATE/sent.jsonl" && chown 65534 "$STATE/sent.jsonl" &&
		collector_start 200 &&
		xt-event x | XT_ENDPOINT=$COLLECTOR_URL "$FLUSH" &&
		collector_wait_requests 1 && senders_done &&
		echo theirs >want && test_cmp want "$STATE/sent.jsonl" &&
		test "$(batches)" = 0
	'
else
	test_skip 'attacker: files owned by another user' 'needs root to chown'
fi

test_expect_success 'every process this test started has ended' '
	collector_stop &&
	senders_done
'

test_done
