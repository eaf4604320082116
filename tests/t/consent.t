#!/bin/sh
# Consent: every way to say no works, is named by xt-consent status, and
# when telemetry is off nothing is written.
. "$(dirname "$0")/../lib.sh"

# status_is 'on: ...' [env...]: the first line of xt-consent status.
status_is() {
	want=$1
	shift
	env "$@" xt-consent status >st 2>err &&
	test_empty err &&
	test "$(head -n 1 st)" = "$want" || {
		echo "status: $(head -n 1 st), want: $want" >&2
		return 1
	}
}

test_expect_success 'on by default, and status says so and where the config is' '
	xt-consent status >out &&
	printf "on: the default (nothing turned it off)\nconfig: %s\nspool: %s: 0 batches waiting\nlast upload: none\n" \
	    "$CONFIG" "$XDG_STATE_HOME/xt/telemetry/spool" >want &&
	test_cmp want out &&
	xt-consent >out2 && test_cmp want out2
'

test_expect_success 'DO_NOT_TRACK=1 (or any value but 0 or empty) turns it off' '
	status_is "off: DO_NOT_TRACK is set" DO_NOT_TRACK=1 &&
	status_is "off: DO_NOT_TRACK is set" DO_NOT_TRACK=true &&
	status_is "off: DO_NOT_TRACK is set" DO_NOT_TRACK=yes
'

test_expect_success 'DO_NOT_TRACK=0 and DO_NOT_TRACK= do not' '
	status_is "on: the default (nothing turned it off)" DO_NOT_TRACK=0 &&
	status_is "on: the default (nothing turned it off)" DO_NOT_TRACK=
'

test_expect_success 'XT_TELEMETRY_DISABLED=true, =1 or anything else turn it off' '
	status_is "off: XT_TELEMETRY_DISABLED is set" XT_TELEMETRY_DISABLED=true &&
	status_is "off: XT_TELEMETRY_DISABLED is set" XT_TELEMETRY_DISABLED=1 &&
	status_is "off: XT_TELEMETRY_DISABLED is set" XT_TELEMETRY_DISABLED=yes
'

test_expect_success 'XT_TELEMETRY_DISABLED=false, =0 and empty do not' '
	status_is "on: the default (nothing turned it off)" XT_TELEMETRY_DISABLED=false &&
	status_is "on: the default (nothing turned it off)" XT_TELEMETRY_DISABLED=FALSE &&
	status_is "on: the default (nothing turned it off)" XT_TELEMETRY_DISABLED=0 &&
	status_is "on: the default (nothing turned it off)" XT_TELEMETRY_DISABLED=
'

test_expect_success 'XT_APP=xmcp reads XMCP_TELEMETRY_DISABLED, not XT_...' '
	status_is "off: XMCP_TELEMETRY_DISABLED is set" XT_APP=xmcp XMCP_TELEMETRY_DISABLED=true &&
	status_is "on: the default (nothing turned it off)" XT_APP=xmcp XT_TELEMETRY_DISABLED=true &&
	status_is "off: MY_TOOL_TELEMETRY_DISABLED is set" XT_APP=my-tool MY_TOOL_TELEMETRY_DISABLED=1
'

test_expect_success 'DO_NOT_TRACK comes first' '
	status_is "off: DO_NOT_TRACK is set" DO_NOT_TRACK=1 XT_TELEMETRY_DISABLED=1
'

test_expect_success 'telemetry.enabled=false in the config turns it off' '
	write_config "{\"telemetry.enabled\": false}" &&
	status_is "off: disabled in $CONFIG"
'

test_expect_success 'the system policy file turns it off, the user config wins' '
	rm -f "$CONFIG" &&
	mkdir -p "$XT_SYSCONFDIR/xt" &&
	echo "{\"telemetry.enabled\": false}" >"$XT_SYSCONFDIR/xt/telemetry.json" &&
	status_is "off: disabled by the system policy $XT_SYSCONFDIR/xt/telemetry.json" &&
	write_config "{\"telemetry.enabled\": true}" &&
	status_is "on: enabled in $CONFIG" &&
	rm -rf "$XT_SYSCONFDIR/xt" "$CONFIG"
'

test_expect_success 'a policy file for another app does not apply' '
	mkdir -p "$XT_SYSCONFDIR/other" &&
	echo "{\"telemetry.enabled\": false}" >"$XT_SYSCONFDIR/other/telemetry.json" &&
	status_is "on: the default (nothing turned it off)" &&
	status_is "off: disabled by the system policy $XT_SYSCONFDIR/other/telemetry.json" XT_APP=other
'

test_expect_success '-q: exit 0 when on, 1 when off, nothing printed' '
	xt-consent -q status >out 2>&1 && test_empty out &&
	test_exit 1 env DO_NOT_TRACK=1 xt-consent -q >out 2>&1 && test_empty out
'

test_expect_success '-j: the decision as JSON' '
	DO_NOT_TRACK=1 xt-consent -j >out &&
	jq -e ".enabled == false and .source == \"DO_NOT_TRACK\" and .reason == \"DO_NOT_TRACK is set\" and .app == \"xt\" and .config == \"$CONFIG\"" out &&
	xt-consent -j status | jq -e ".enabled == true and .source == \"default\""
'

test_expect_success 'disable and enable record the choice' '
	xt-consent disable >out && test_grep "telemetry disabled in $CONFIG" out &&
	jq -e ".\"telemetry.enabled\" == false" "$CONFIG" &&
	status_is "off: disabled in $CONFIG" &&
	xt-consent -q enable >out && test_empty out &&
	jq -e ".\"telemetry.enabled\" == true" "$CONFIG" &&
	status_is "on: enabled in $CONFIG"
'

test_expect_success 'enable says when the environment still keeps it off' '
	DO_NOT_TRACK=1 xt-consent enable >out &&
	test_grep "but it stays off: DO_NOT_TRACK is set" out
'

for how in DO_NOT_TRACK=1 XT_TELEMETRY_DISABLED=true config policy; do
test_expect_success "off by $how: xt-id and xt-hash print nothing, exit 0, write nothing" '
	rm -rf "$HOME" "$TMPDIR" "$XT_SYSCONFDIR" && mkdir -p "$HOME" "$TMPDIR" "$XT_SYSCONFDIR" &&
	vars=XT_APP=xt &&
	case '"$how"' in
	config) write_config "{\"telemetry.enabled\":false}" ;;
	policy) mkdir -p "$XT_SYSCONFDIR/xt" &&
		echo "{\"telemetry.enabled\":false}" >"$XT_SYSCONFDIR/xt/telemetry.json" ;;
	*) vars='"$how"' ;;
	esac &&
	snapshot before &&
	env $vars xt-id >out 2>err && test_empty out && test_empty err &&
	env $vars xt-hash >out 2>err && test_empty out && test_empty err &&
	env $vars xt-hash value >out 2>err && test_empty out && test_empty err &&
	echo value | env $vars xt-hash - >out 2>err && test_empty out && test_empty err &&
	env $vars xt-consent notice >out 2>err && test_empty out && test_empty err &&
	snapshot after &&
	test_cmp before after
'
done

test_expect_success 'off: debug mode says why' '
	DO_NOT_TRACK=1 XT_DEBUG=1 xt-id >out 2>err && test_empty out &&
	test_grep "xt-id: debug: telemetry is off: DO_NOT_TRACK is set" err &&
	DO_NOT_TRACK=1 XT_APP=xmcp XMCP_DEBUG_TELEMETRY=1 xt-hash x >out 2>err &&
	test_grep "xt-hash: debug: telemetry is off" err
'

test_expect_success 'the notice is shown once, on stderr, and recorded' '
	rm -rf "$HOME" "$XT_SYSCONFDIR/xt" && mkdir -p "$HOME" &&
	XT_NOTICE_URL=https://example.com/telemetry xt-consent notice >out 2>err &&
	test_empty out &&
	test_grep "xt collects anonymous usage data" err &&
	test_grep "To turn it off: xt-consent disable, or set DO_NOT_TRACK=1 or XT_TELEMETRY_DISABLED=1" err &&
	test_grep "Learn more: https://example.com/telemetry" err &&
	jq -r ".\"telemetry.notifiedAt\"" "$CONFIG" | grep -q "^[0-9]\{13\}$" &&
	xt-consent notice >out 2>err && test_empty out && test_empty err
'

test_expect_success 'the notice names the app and its variable' '
	XT_APP=xmcp xt-consent notice 2>err &&
	test_grep "^xmcp collects" err &&
	test_grep "XT_APP=xmcp xt-consent disable, or set DO_NOT_TRACK=1 or XMCP_TELEMETRY_DISABLED=1" err
'

test_expect_success 'on CI the notice is recorded but not shown' '
	CI=true XT_APP=ci-app xt-consent notice >out 2>err &&
	test_empty out && test_empty err &&
	test -n "$(jq -r ".\"telemetry.notifiedAt\"" "$TMPDIR/.ci-app-cache/telemetry.json")"
'

# Corrupt configs: never a crash, telemetry off (a choice we cannot
# read might have been no), and disable still works.
corrupt() {
	rm -rf "$CONFIG" "$CONFIG.corrupt" && mkdir -p "$(dirname "$CONFIG")" &&
	case $1 in
	truncated) printf '{"telemetry.anonymousId": "abc' >"$CONFIG" ;;
	not-json) echo 'telemetry.enabled = false' >"$CONFIG" ;;
	array) echo '[1, 2]' >"$CONFIG" ;;
	empty) : >"$CONFIG" ;;
	binary) printf '\377\376\0\0garbage' >"$CONFIG" ;;
	bad-enabled) echo '{"telemetry.enabled": "no"}' >"$CONFIG" ;;
	directory) mkdir -p "$CONFIG/sub" ;;
	symlink) echo '{}' >"$TRASH/target.json" && ln -s "$TRASH/target.json" "$CONFIG" ;;
	fifo) mkfifo "$CONFIG" ;;
	esac
}

for kind in truncated not-json array empty binary; do
test_expect_success "a $kind config: no crash, off, and disable replaces it" '
	corrupt '"$kind"' &&
	xt-id >out 2>err && test_empty out && test_empty err &&
	xt-hash x >out 2>err && test_empty out &&
	xt-consent status >out 2>err && test_empty err &&
	test_grep "^off: " out &&
	xt-consent disable >out 2>err &&
	test_grep "telemetry disabled" out &&
	jq -e ".\"telemetry.enabled\" == false" "$CONFIG" &&
	test -e "$CONFIG.corrupt" &&
	test "$(stat -c %a "$CONFIG")" = 600
'
done

# What is not a regular file is not xt's: refused, off, left as it was.
for kind in directory symlink fifo; do
test_expect_success "a $kind config is not xt's: off, and disable leaves it as it was" '
	rm -f "$CONFIG.lock" && corrupt '"$kind"' && ls -ld "$CONFIG" >before &&
	xt-id >out 2>err && test_empty out && test_empty err &&
	xt-consent status >out 2>err && test_empty err &&
	test_grep "^off: the config is not yours alone" out &&
	test_exit 1 xt-consent disable >out 2>err && test_empty out &&
	test_grep "cannot record the choice: $CONFIG" err &&
	test_grep "DO_NOT_TRACK=1" err &&
	ls -ld "$CONFIG" >after && test_cmp before after &&
	test ! -e "$CONFIG.corrupt" && test ! -e "$CONFIG.lock"
'
done

test_expect_success 'telemetry.enabled that is not a boolean: off, and why' '
	corrupt bad-enabled &&
	status_is "off: telemetry.enabled in $CONFIG is not true or false" &&
	xt-id >out && test_empty out &&
	xt-consent enable && status_is "on: enabled in $CONFIG"
'

test_expect_success 'a config too large to be a config is corrupt too' '
	rm -rf "$CONFIG" "$CONFIG.corrupt" &&
	{ printf "{\"x\": \""; head -c 70000 /dev/zero | tr "\0" a; printf "\"}"; } >"$CONFIG" &&
	xt-consent status >out && test_grep "over 64 KiB" out &&
	xt-consent disable && jq -e ".\"telemetry.enabled\" == false" "$CONFIG"
'

test_expect_success 'enable also replaces a corrupt config, keeping it aside' '
	corrupt not-json && xt-consent enable >out &&
	test_grep "telemetry.enabled = false" "$CONFIG.corrupt" &&
	status_is "on: enabled in $CONFIG"
'

test_expect_success 'an unreadable config: no crash, off, disable replaces it' '
	rm -rf "$HOME" && mkdir -p "$(dirname "$CONFIG")" &&
	echo "{\"telemetry.enabled\": true}" >"$CONFIG" && chmod 000 "$CONFIG" &&
	chown -R 65534 "$HOME" 2>/dev/null; chmod -R go+rX "$TRASH" &&
	as_user xt-consent status >out 2>err && test_empty err &&
	test_grep "^off: .*cannot be read: Permission denied" out &&
	as_user xt-id >out 2>err && test_empty out && test_empty err &&
	as_user xt-consent disable >out 2>err &&
	test_grep "telemetry disabled" out &&
	as_user jq -e ".\"telemetry.enabled\" == false" "$CONFIG"
'

test_expect_success 'a read-only HOME: the tools exit 0, debug says why' '
	rm -rf "$HOME" && mkdir -p "$HOME" && chmod 555 "$HOME" &&
	as_user xt-id >out 2>err && test_empty out && test_empty err &&
	as_user xt-hash x >out 2>err && test_empty out && test_empty err &&
	as_user env XT_DEBUG=1 xt-id >out 2>err && test_empty out &&
	test_grep "xt-id: debug: no identity, so no output: cannot create .*Permission denied" err &&
	as_user env XT_DEBUG=1 xt-consent notice >out 2>err && test_empty out &&
	test_grep "debug: the notice cannot be recorded" err &&
	test ! -e "$HOME/.config"
'

test_expect_success 'a read-only HOME: disable says it cannot record, and what to do' '
	test_exit 1 as_user xt-consent disable >out 2>err &&
	test_grep "cannot record the choice: cannot create" err &&
	test_grep "set DO_NOT_TRACK=1 or XT_TELEMETRY_DISABLED=1" err &&
	test_exit 1 as_user env DO_NOT_TRACK=1 xt-consent -q
'

test_expect_success 'no HOME: the tools exit 0, debug says why' '
	chmod 755 "$HOME" &&
	env -u HOME -u XDG_CONFIG_HOME xt-id >out 2>err && test_empty out && test_empty err &&
	env -u HOME -u XDG_CONFIG_HOME XT_DEBUG=1 xt-hash x >out 2>err && test_empty out &&
	test_grep "no place for the config: HOME is not set" err &&
	env -u HOME -u XDG_CONFIG_HOME xt-consent status >out &&
	test_grep "^config: none (no place for the config: HOME is not set)" out
'

test_expect_success 'the salt is on no stdout or stderr, in any mode' '
	rm -rf "$HOME" "$TMPDIR" && mkdir -p "$HOME" "$TMPDIR" &&
	write_config "{\"telemetry.anonymousId\":\"$ANON\",\"telemetry.salt\":\"$SALT\"}" &&
	: >all &&
	for debug in "" 1; do
		for cmd in "xt-id" "xt-hash" "xt-hash x" "xt-hash -k k x" \
		    "xt-consent" "xt-consent -j" "xt-consent notice" \
		    "xt-consent disable" "xt-consent enable" "xt-id -h" \
		    "xt-hash -V" "xt-hash -x" "xt-consent bogus"; do
			XT_DEBUG=$debug $cmd </dev/null >>all 2>&1
			echo x | XT_DEBUG=$debug xt-hash - >>all 2>&1
		done
		{ xt-id; xt-hash; xt-meta; xt-event e; } >frags 2>>all
		XT_DEBUG=$debug xt-post -n <frags >>all 2>&1
		XT_DEBUG=$debug xt-post -u http://127.0.0.1:9/ -t 1 <frags >>all 2>&1
		XT_DEBUG=$debug xt-meta >>all 2>&1
		XT_DEBUG=$debug xt-event e >>all 2>&1
	done &&
	test_grep "\"events\":\[" all &&
	test_grep "projectHash" all && test_grep "debug:" all &&
	test_nogrep "$SALT" all
'

test_done
