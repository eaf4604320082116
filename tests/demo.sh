#!/bin/sh
# make demo: xt doing its job end to end, in a temporary HOME, so
# nothing of yours is read or changed.  The uploads go to xt-collect,
# the embedded default, on 127.0.0.1 with a fresh SQLite file, and
# xt-collect report shows what arrived.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
PATH=$root/cmd:$PATH
demo=$(mktemp -d "${TMPDIR:-/tmp}/xt-demo.XXXXXX")
collector=
trap 'if [ -n "$collector" ]; then kill "$collector" 2>/dev/null; wait "$collector" 2>/dev/null; fi; rm -rf "$demo"' EXIT
HOME=$demo/home XDG_CONFIG_HOME=$demo/home/.config XDG_STATE_HOME=$demo/home/.local/state
TMPDIR=$demo/tmp
# Keep the config where a desktop user's is, even when this runs on CI
# or in a container (where it would be in $TMPDIR).
unset DO_NOT_TRACK XT_TELEMETRY_DISABLED XT_DEBUG XT_APP XT_ENDPOINT http_proxy https_proxy
XT_CONFIG=$XDG_CONFIG_HOME/xt/telemetry.json
export PATH HOME XDG_CONFIG_HOME XDG_STATE_HOME TMPDIR XT_CONFIG
mkdir -p "$HOME" "$TMPDIR"
cd "$demo"

if [ -t 1 ]; then bold='\033[1m' plain='\033[0m'; else bold='' plain=''; fi
step() { printf "\n$bold\$ %s$plain\n" "$*"; }
run() { step "$@"; "$@"; }

run xt-consent status

# The collector on loopback, on a port the kernel picks; it prints
# its URL once it listens.
step "xt-collect -l 127.0.0.1:0 -d $demo/collect.db &   # the reference collector"
xt-collect -l 127.0.0.1:0 -d "$demo/collect.db" >"$demo/url" &
collector=$!
i=0
until grep -q 'events$' "$demo/url"; do
	i=$((i + 1))
	[ $i -lt 300 ] || { echo "demo: the collector did not start" >&2; exit 1; }
	sleep 0.1
done
url=$(cat "$demo/url")
echo "$url"
XT_ENDPOINT=$url
export XT_ENDPOINT
state=$XDG_STATE_HOME/xt/telemetry
# delivered N: wait until N payloads are in sent.jsonl and the spool is empty.
delivered() {
	i=0
	while [ "$(wc -l 2>/dev/null <"$state/sent.jsonl" || echo 0)" -lt "$1" ] ||
	    [ -n "$(find "$state/spool" -name '*.jsonl' 2>/dev/null)" ]; do
		i=$((i + 1))
		[ $i -lt 600 ] || { echo "demo: the delivery did not arrive" >&2; exit 1; }
		sleep 0.1
	done
}

step "export XT_ENDPOINT=$url   # where the sender delivers"
step 'xt-event build:completed success:=true duration:=1234 transport=stdio | xt-flush   # first run: the notice, on stderr'
t0=$(date +%s%N)
xt-event build:completed success:=true duration:=1234 transport=stdio | xt-flush 2>&1
t1=$(date +%s%N)
echo "(xt-flush returned after $(((t1 - t0) / 1000000)) ms; a detached sender delivers)"
delivered 1
step 'cat ~/.local/state/xt/telemetry/sent.jsonl   # what left this machine, exactly'
cat "$state/sent.jsonl"
run xt-consent status
step 'xt-event test:ping | xt-flush   # the notice is shown once'
xt-event test:ping | xt-flush 2>&1
echo "(exit $?, nothing printed)"
delivered 2
run xt-id
run xt-id
step 'cat ~/.config/xt/telemetry.json   # 0600, in a 0700 directory'
sed 's/\("telemetry.salt": "\).*"/\1<secret: never printed or sent>"/' "$XT_CONFIG"
echo '{"name": "demo-app", "version": "1.0.0"}' >package.json
run xt-hash
salt=$(sed -n 's/.*"telemetry.salt": "\([0-9a-f]*\)".*/\1/p' "$XT_CONFIG")
step "printf '%s' \"\$salt\"demo-app@1.0.0 | sha256sum   # the same hash, by hand"
printf '%s' "${salt}demo-app@1.0.0" | sha256sum
run xt-meta
run xt-event build:completed success:=true duration:=1234 transport=stdio version=1.10
step 'xt-event build x:=1.2.3   # bad input is named, exit 2, nothing printed'
xt-event build x:=1.2.3 || echo "(exit $?)"

step '{ xt-id; xt-hash; xt-meta; xt-event build:completed success:=true duration:=1234; } | xt-post -n   # what would be sent'
{ xt-id; xt-hash; xt-meta; xt-event build:completed success:=true duration:=1234; } | xt-post -n
step "{ ...same...; } | XT_DEBUG=1 xt-post -u $url"
{ xt-id; xt-hash; xt-meta; xt-event build:completed success:=true duration:=1234; } |
    XT_DEBUG=1 xt-post -u "$url" 2>&1 | grep -v 'debug: payload'
for e in 'dev:started transport=stdio' 'build:completed success:=false duration:=87' 'test:ran passed:=12'; do
	step "{ xt-id; xt-hash; xt-meta; xt-event $e; } | xt-post -u \$url"
	# shellcheck disable=SC2086
	{ xt-id; xt-hash; xt-meta; xt-event $e; } | xt-post -u "$url"
done
step "sqlite3 $demo/collect.db 'select eventName, timestamp, fields from events'"
if command -v sqlite3 >/dev/null 2>&1; then
	sqlite3 "$demo/collect.db" 'select eventName, timestamp, fields from events'
else
	echo "(no sqlite3 here)"
fi
run xt-collect report -d "$demo/collect.db"
step "DO_NOT_TRACK=1 xt-event a | xt-flush   # off: nothing written, no sender, no connection"
xt-event a | DO_NOT_TRACK=1 xt-flush
rc=$?
n=$(xt-collect report -d "$demo/collect.db" | sed -n '2s/ events in .*//p')
echo "(exit $rc; the collector still has $n events, $(find "$state/spool" -name '*.jsonl' | wc -l) batch(es) in the spool)"
run xt-consent disable
run xt-consent -j
step 'xt-id   # off now: prints nothing, exits 0'
xt-id
echo "(exit $?)"
