#!/bin/sh
# xt-id: the identity is created once, kept private, and read back.
. "$(dirname "$0")/../lib.sh"

hex64='^[0-9a-f]\{64\}$'

test_expect_success 'prints an anonymousId and a sessionId, 64 hex each' '
	xt-id >out 2>err &&
	test_empty err &&
	test "$(wc -l <out)" = 1 &&
	jq -e "keys == [\"context\"] and (.context | keys == [\"anonymousId\", \"sessionId\"])" out &&
	jq -r .context.anonymousId out | grep -q "$hex64" &&
	jq -r .context.sessionId out | grep -q "$hex64"
'

test_expect_success 'the anonymousId is the one in the config; sessionId is new each time' '
	xt-id >a && xt-id >b &&
	test "$(jq -r .context.anonymousId a)" = "$(jq -r .context.anonymousId b)" &&
	test "$(jq -r .context.sessionId a)" != "$(jq -r .context.sessionId b)" &&
	test "$(jq -r .context.anonymousId a)" = "$(jq -r ".\"telemetry.anonymousId\"" "$CONFIG")"
'

test_expect_success 'the config is 0600 in a 0700 directory, with a 16-byte salt' '
	test "$(stat -c %a "$CONFIG")" = 600 &&
	test "$(stat -c %a "$(dirname "$CONFIG")")" = 700 &&
	test "$(stat -c %a "$XDG_CONFIG_HOME")" = 700 &&
	jq -r ".\"telemetry.salt\"" "$CONFIG" | grep -q "^[0-9a-f]\{32\}$"
'

test_expect_success '100 xt-id at once in a fresh HOME print one anonymousId' '
	rm -rf "$XDG_CONFIG_HOME" &&
	mkdir -p race &&
	i=0 &&
	while [ $i -lt 100 ]; do
		{ xt-id >race/$i 2>race/$i.err; echo $? >race/$i.rc; } &
		i=$((i + 1))
	done &&
	wait &&
	cat race/*.rc | sort -u >rcs && echo 0 >want && test_cmp want rcs &&
	cat race/*.err >errs && test_empty errs &&
	cat race/[0-9] race/[0-9][0-9] | jq -r .context.anonymousId | sort -u >ids &&
	test "$(wc -l <ids)" = 1 &&
	test "$(cat ids)" = "$(jq -r ".\"telemetry.anonymousId\"" "$CONFIG")" &&
	cat race/[0-9] race/[0-9][0-9] | jq -r .context.sessionId | sort -u >sessions &&
	test "$(wc -l <sessions)" = 100 &&
	ls "$(dirname "$CONFIG")" >files &&
	printf "telemetry.json\ntelemetry.json.lock\n" >want && test_cmp want files
'

test_expect_success 'an existing xmcp-style config is read and its unknown keys kept' '
	write_config "{
  \"telemetry.anonymousId\": \"$ANON\",
  \"telemetry.notifiedAt\": \"1795878331979\",
  \"other.key\": {\"nested\": [1, 2.50, \"x\"]}
}" &&
	xt-id >out &&
	test "$(jq -r .context.anonymousId out)" = "$ANON" &&
	jq -e ".\"other.key\" == {\"nested\": [1, 2.50, \"x\"]}" "$CONFIG" &&
	jq -e ".\"telemetry.notifiedAt\" == \"1795878331979\"" "$CONFIG" &&
	jq -r keys_unsorted[] "$CONFIG" >keys &&
	printf "%s\n" telemetry.anonymousId telemetry.notifiedAt other.key telemetry.salt >want &&
	test_cmp want keys
'

test_expect_success 'XT_CONFIG names the config file' '
	XT_CONFIG=$TRASH/elsewhere/my.json xt-id >out &&
	test -f elsewhere/my.json &&
	test "$(jq -r .context.anonymousId out)" = "$(jq -r ".\"telemetry.anonymousId\"" elsewhere/my.json)"
'

test_expect_success 'XT_APP=xmcp uses xmcp'\''s own file' '
	XT_APP=xmcp xt-id >out &&
	test "$(jq -r .context.anonymousId out)" = "$(jq -r ".\"telemetry.anonymousId\"" "$XDG_CONFIG_HOME/xmcp/telemetry.json")"
'

test_expect_success 'without XDG_CONFIG_HOME the file is in ~/.config' '
	rm -rf "$XDG_CONFIG_HOME" &&
	(unset XDG_CONFIG_HOME; XT_APP=xmcp xt-id >out) &&
	test -f "$HOME/.config/xmcp/telemetry.json"
'

test_expect_success 'on CI, XT_APP=xmcp uses $TMPDIR/.xmcp-cache/telemetry.json' '
	CI=true XT_APP=xmcp xt-id >out &&
	test "$(jq -r .context.anonymousId out)" = "$(jq -r ".\"telemetry.anonymousId\"" "$TMPDIR/.xmcp-cache/telemetry.json")" &&
	test "$(stat -c %a "$TMPDIR/.xmcp-cache")" = 700 &&
	test "$(stat -c %a "$TMPDIR/.xmcp-cache/telemetry.json")" = 600
'

test_expect_success 'in a container, likewise' '
	rm -rf "$TMPDIR/.xmcp-cache" &&
	mkdir -p docker && : >docker/.dockerenv &&
	XT_SYSROOT=$TRASH/docker XT_APP=xmcp xt-id >out &&
	test -f "$TMPDIR/.xmcp-cache/telemetry.json"
'

test_expect_success 'a shared cache directory that is a symbolic link is refused' '
	rm -rf "$TMPDIR/.xmcp-cache" && mkdir -p target &&
	ln -s "$TRASH/target" "$TMPDIR/.xmcp-cache" &&
	CI=true XT_APP=xmcp XT_DEBUG=1 xt-id >out 2>err &&
	test_empty out &&
	test_grep "not a directory" err &&
	test -z "$(ls target)"
'

test_expect_success 'a cache directory others can write is refused, left as it is' '
	rm -f "$TMPDIR/.xmcp-cache" && mkdir -m 777 "$TMPDIR/.xmcp-cache" &&
	CI=true XT_APP=xmcp XT_DEBUG=1 xt-id >out 2>err &&
	test_empty out && test_grep "can be written by others" err &&
	test "$(stat -c %a "$TMPDIR/.xmcp-cache")" = 777 &&
	test -z "$(ls -A "$TMPDIR/.xmcp-cache")"
'

test_expect_success 'a cache directory of ours others can read is made private' '
	chmod 755 "$TMPDIR/.xmcp-cache" &&
	CI=true XT_APP=xmcp xt-id >out && test -s out &&
	test "$(stat -c %a "$TMPDIR/.xmcp-cache")" = 700
'

test_expect_success 'an invalid XT_APP is a usage error' '
	test_exit 2 env XT_APP=../evil xt-id >out 2>err &&
	test_empty out &&
	test_grep "XT_APP=.../evil.: not a valid application name" err &&
	test ! -e "$XDG_CONFIG_HOME/../evil"
'

test_expect_success '-h prints the synopsis; -V the version' '
	xt-id -h >out && test_grep "^usage: xt-id$" out &&
	xt-id -V >out && test_grep "^xt-id [0-9]" out
'

test_expect_success 'an unknown option or an operand: usage on stderr, exit 2' '
	test_exit 2 xt-id -x >out 2>err && test_empty out &&
	test_grep "usage: xt-id" err &&
	test_exit 2 xt-id extra >out 2>err && test_empty out &&
	test_grep "usage: xt-id" err
'

test_expect_success 'a closed stdout is an error, not silence' '
	test_exit 1 xt-id >&- 2>err &&
	test_grep "xt-id: stdout" err
'

test_done
