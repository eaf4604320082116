#!/bin/sh
# xt-hash: xmcp's salted SHA-256, of a value or of the project's own id.
. "$(dirname "$0")/../lib.sh"

# expect VALUE: the hash xmcp would give VALUE with our known salt.
expect() {
	printf '%s' "$SALT$1" | sha256sum | cut -d" " -f1
}

hash_of() {	# hash_of ARGS...: the projectHash xt-hash prints
	xt-hash "$@" | jq -r .context.projectHash
}

write_config "{\"telemetry.anonymousId\":\"$ANON\",\"telemetry.salt\":\"$SALT\"}"

test_expect_success 'xt-hash VALUE is sha256(salt . VALUE)' '
	xt-hash my-project@1.0.0 >out 2>err && test_empty err &&
	jq -e "keys == [\"context\"] and (.context | keys == [\"projectHash\"])" out &&
	test "$(jq -r .context.projectHash out)" = "$(expect my-project@1.0.0)"
'

test_expect_success 'Unicode, spaces and an empty value hash as their bytes' '
	test "$(hash_of "caf$(printf "\303\251") au lait")" = "$(expect "caf$(printf "\303\251") au lait")" &&
	test "$(hash_of "")" = "$(expect "")"
'

test_expect_success '- hashes stdin, less one trailing newline' '
	test "$(echo my-project@1.0.0 | hash_of -)" = "$(expect my-project@1.0.0)" &&
	test "$(printf "a\n\n" | hash_of -)" = "$(expect "a
")" &&
	test "$(printf "" | hash_of -)" = "$(expect "")"
'

test_expect_success '-k names the key' '
	xt-hash -k repoHash x >out &&
	jq -e ".context | keys == [\"repoHash\"]" out &&
	test "$(jq -r .context.repoHash out)" = "$(expect x)"
'

test_expect_success 'a bad key or an extra operand is a usage error' '
	test_exit 2 xt-hash -k "a b" x >out 2>err && test_empty out &&
	test_grep "key .a b.: 1 to 64 of" err &&
	test_exit 2 xt-hash -k "" x >out 2>err && test_empty out &&
	test_exit 2 xt-hash a b >out 2>err && test_empty out &&
	test_grep "usage: xt-hash" err
'

test_expect_success 'the project id is name@version from ./package.json' '
	mkdir -p p1 && cd p1 &&
	echo "{\"name\": \"my-app\", \"version\": \"2.3.4\", \"private\": true}" >package.json &&
	test "$(hash_of)" = "$(expect my-app@2.3.4)"
'

test_expect_success 'no name: unknown; no version: 0.0.0 (as xmcp)' '
	mkdir -p p2 && cd p2 &&
	echo "{\"version\": \"1.0.0\"}" >package.json &&
	test "$(hash_of)" = "$(expect unknown@1.0.0)" &&
	echo "{\"name\": \"app\"}" >package.json &&
	test "$(hash_of)" = "$(expect app@0.0.0)" &&
	echo "{\"name\": \"\", \"version\": \"\"}" >package.json &&
	test "$(hash_of)" = "$(expect unknown@0.0.0)" &&
	echo "{}" >package.json &&
	test "$(hash_of)" = "$(expect unknown@0.0.0)"
'

test_expect_success 'escapes in package.json are decoded before hashing' '
	mkdir -p p3 && cd p3 &&
	echo "{\"name\": \"caf\\u00e9\", \"version\": \"1\"}" >package.json &&
	test "$(hash_of)" = "$(expect "caf$(printf "\303\251")@1")"
'

test_expect_success 'without package.json: the git remote origin URL' '
	mkdir -p g1/sub && cd g1 &&
	git init -q . &&
	git remote add origin https://example.com/team/app.git &&
	test "$(hash_of)" = "$(expect https://example.com/team/app.git)" &&
	cd sub &&
	test "$(hash_of)" = "$(expect https://example.com/team/app.git)"
'

test_expect_success 'the URL is read as git reads it (quotes, comments, last wins)' '
	mkdir -p g2 && cd g2 && git init -q . &&
	git config remote.origin.url "git@example.com:first.git" &&
	git config --add remote.origin.url "ssh://x/with space ; not comment" &&
	test "$(hash_of)" = "$(expect "$(git config --get remote.origin.url)")"
'

test_expect_success 'a linked worktree finds the main repository'\''s config' '
	cd g1 && git -c user.name=t -c user.email=t@t commit -q --allow-empty -m x &&
	git worktree add -q ../g1-wt 2>/dev/null && cd ../g1-wt &&
	test -f .git &&
	test "$(hash_of)" = "$(expect https://example.com/team/app.git)"
'

test_expect_success 'package.json wins over git' '
	cd g1 && echo "{\"name\":\"n\",\"version\":\"v\"}" >package.json &&
	test "$(hash_of)" = "$(expect n@v)" && rm package.json
'

test_expect_success 'a package.json that is not an object falls through' '
	cd g1 && echo "[1, 2" >package.json &&
	test "$(hash_of)" = "$(expect https://example.com/team/app.git)" &&
	echo "null" >package.json &&
	test "$(hash_of)" = "$(expect https://example.com/team/app.git)" &&
	rm package.json
'

test_expect_success 'neither: the current directory' '
	mkdir -p plain/dir && cd plain/dir &&
	test "$(hash_of)" = "$(expect "$(pwd -P)")"
'

test_expect_success 'a new HOME gets a new salt, and the config is created' '
	(
		HOME=$TRASH/home2 XDG_CONFIG_HOME=$TRASH/home2/.config &&
		export HOME XDG_CONFIG_HOME && mkdir -p "$HOME" &&
		xt-hash value >out &&
		salt=$(jq -r ".\"telemetry.salt\"" "$XDG_CONFIG_HOME/xt/telemetry.json") &&
		test "$(jq -r .context.projectHash out)" = "$(printf "%s" "${salt}value" | sha256sum | cut -d" " -f1)" &&
		test "$salt" != "$SALT"
	)
'

test_expect_success 'the salt is not on stdout or stderr, debug included' '
	XT_DEBUG=1 xt-hash value >out 2>err &&
	XT_DEBUG=1 xt-hash >>out 2>>err &&
	echo x | XT_DEBUG=1 xt-hash - >>out 2>>err &&
	test -s err &&
	test_nogrep "$SALT" out && test_nogrep "$SALT" err
'

test_done
