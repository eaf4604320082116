#!/bin/sh
# make demo: xt doing its job end to end, in a temporary HOME, so
# nothing of yours is read or changed.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
PATH=$root/cmd:$PATH
demo=$(mktemp -d "${TMPDIR:-/tmp}/xt-demo.XXXXXX")
trap 'rm -rf "$demo"' EXIT
HOME=$demo/home XDG_CONFIG_HOME=$demo/home/.config XDG_STATE_HOME=$demo/home/.local/state
TMPDIR=$demo/tmp
# Keep the config where a desktop user's is, even when this runs on CI
# or in a container (where it would be in $TMPDIR).
unset DO_NOT_TRACK XT_TELEMETRY_DISABLED XT_DEBUG XT_APP
XT_CONFIG=$XDG_CONFIG_HOME/xt/telemetry.json
export PATH HOME XDG_CONFIG_HOME XDG_STATE_HOME TMPDIR XT_CONFIG
mkdir -p "$HOME" "$TMPDIR"
cd "$demo"

if [ -t 1 ]; then bold='\033[1m' plain='\033[0m'; else bold= plain=; fi
step() { printf "\n$bold\$ %s$plain\n" "$*"; }
run() { step "$@"; "$@"; }

run xt-consent status
step 'xt-consent notice   # first run: shown once, on stderr'
xt-consent notice 2>&1
run xt-consent notice
run xt-id
run xt-id
step 'cat ~/.config/xt/telemetry.json   # 0600, in a 0700 directory'
sed 's/\("telemetry.salt": "\).*"/\1<secret: never printed or sent>"/' \
    "$XDG_CONFIG_HOME/xt/telemetry.json"
echo '{"name": "demo-app", "version": "1.0.0"}' >package.json
run xt-hash
salt=$(sed -n 's/.*"telemetry.salt": "\([0-9a-f]*\)".*/\1/p' "$XDG_CONFIG_HOME/xt/telemetry.json")
step "printf '%s' \"\$salt\"demo-app@1.0.0 | sha256sum   # the same hash, by hand"
printf '%s' "${salt}demo-app@1.0.0" | sha256sum
run env DO_NOT_TRACK=1 xt-consent status
step 'DO_NOT_TRACK=1 xt-id   # off: prints nothing, writes nothing'
DO_NOT_TRACK=1 xt-id
echo "(exit $?)"
run xt-consent disable
run xt-consent -j
step 'xt-id   # off now'
xt-id
echo "(exit $?)"
xt-consent -q enable
run xt-meta
run xt-event build:completed success:=true duration:=1234 transport=stdio version=1.10
step 'xt-event build x:=1.2.3   # bad input is named, exit 2, nothing printed'
xt-event build x:=1.2.3 || echo "(exit $?)"
step '{ xt-meta; xt-event a; } | jq -s length'
{ xt-meta; xt-event a; } | if command -v jq >/dev/null; then jq -s length; else cat; fi
