#!/bin/sh
# make demo: xt doing its job end to end, in a temporary HOME, so
# nothing of yours is read or changed.  The upload goes to the tests'
# collector on 127.0.0.1, which prints nothing and keeps what it gets.
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
mkdir -p "$HOME" "$TMPDIR" "$demo/collector"
cd "$demo"

if [ -t 1 ]; then bold='\033[1m' plain='\033[0m'; else bold='' plain=''; fi
step() { printf "\n$bold\$ %s$plain\n" "$*"; }
run() { step "$@"; "$@"; }

run xt-consent status
step 'xt-consent notice   # first run: shown once, on stderr'
xt-consent notice 2>&1
run xt-consent notice
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

# A collector on loopback, as a server written for xmcp would be.
python3 "$root/tests/collector.py" --dir "$demo/collector" --mode 200 \
    --lifetime 120 --watch-pid $$ --port-file "$demo/port" &
collector=$!
i=0
while [ ! -s "$demo/collector/port" ]; do
	i=$((i + 1))
	[ $i -lt 300 ] || { echo "demo: the collector did not start" >&2; exit 1; }
	sleep 0.1
done
url=http://127.0.0.1:$(cat "$demo/collector/port")/events

step '{ xt-id; xt-hash; xt-meta; xt-event build:completed success:=true duration:=1234; } | xt-post -n   # what would be sent'
{ xt-id; xt-hash; xt-meta; xt-event build:completed success:=true duration:=1234; } | xt-post -n
step "{ ...same...; } | XT_DEBUG=1 xt-post -u $url"
{ xt-id; xt-hash; xt-meta; xt-event build:completed success:=true duration:=1234; } |
    XT_DEBUG=1 xt-post -u "$url" 2>&1 | grep -v 'debug: payload'
step 'what the collector received'
cat "$demo/collector/req-0001.body"; echo
step "DO_NOT_TRACK=1 ... | xt-post -u $url   # off: no connection at all"
{ xt-id; xt-event a; } | DO_NOT_TRACK=1 xt-post -u "$url"
echo "(exit $?; the collector has seen $(cat "$demo/collector/connections") connection(s), all before this)"
run xt-consent disable
run xt-consent -j
step 'xt-id   # off now: prints nothing, exits 0'
xt-id
echo "(exit $?)"
