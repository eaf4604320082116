# tests/lib.sh: sourced by every CLI test (tests/t/*.t).  POSIX sh.
#
# Each test script runs in a clean environment (env -i: no CI=true, no
# DO_NOT_TRACK, nothing of the caller's) inside its own trash directory
# with its own HOME, XDG_* directories and TMPDIR, so no test touches the
# real user's files and scripts can run in parallel.  The programs under
# test are the ones built in cmd/.
#
#	test_expect_success 'what it shows' 'shell code'
#	test_done
#
# Each test's code runs in a subshell with set -e semantics left to the
# code itself: chain the steps with &&.  Its output goes to a log that
# is shown (as TAP comments) only when it fails.  The helpers below
# (test_exit, test_grep, ...) say why they failed on descriptor 4,
# which is that log too: a step's own 2>err does not hide the reason.
# test_when_finished 'shell code' in a test's code runs that code when
# the test ends, however it ends, as git's t/ does.

XT_ROOT=$(cd "$(dirname "$0")/../.." && pwd)

if [ -z "${XT_TEST_CLEAN:-}" ]; then
	exec env -i XT_TEST_CLEAN=1 PATH="$PATH" LC_ALL=C \
	    ${XT_TEST_VERBOSE:+XT_TEST_VERBOSE=1} \
	    ${XT_TEST_SHOTS:+XT_TEST_SHOTS="$XT_TEST_SHOTS"} \
	    ${XT_BINDIR:+XT_BINDIR="$XT_BINDIR"} \
	    ${ASAN_OPTIONS:+ASAN_OPTIONS="$ASAN_OPTIONS"} \
	    ${UBSAN_OPTIONS:+UBSAN_OPTIONS="$UBSAN_OPTIONS"} \
	    /bin/sh "$0" "$@"
fi
unset XT_TEST_CLEAN

# The programs under test: cmd/, or XT_BINDIR (make check runs the CLI
# tests a second time on the ASan+UBSan build in build/asan/cmd).
XT_BINDIR=${XT_BINDIR:-$XT_ROOT/cmd}
PATH="$XT_BINDIR:$PATH"
export PATH

TRASH=$(mktemp -d "/tmp/xt-test.$(basename "$0" .t).XXXXXX") || exit 1
# Searchable by an unprivileged user, for the tests that drop root.
chmod 755 "$TRASH"
trap 'test_cleanup' EXIT
trap 'exit 1' HUP INT TERM

HOME=$TRASH/home
XDG_CONFIG_HOME=$HOME/.config
XDG_STATE_HOME=$HOME/.local/state
XDG_CACHE_HOME=$HOME/.cache
XDG_DATA_HOME=$HOME/.local/share
TMPDIR=$TRASH/tmp
# An empty root for lib/sysinfo: not a container, not WSL, whatever
# machine the tests run on, so the config is where a desktop keeps it.
XT_SYSROOT=$TRASH/sysroot
# The system policy file lives here, not in the real /etc.
XT_SYSCONFDIR=$TRASH/etc
export HOME XDG_CONFIG_HOME XDG_STATE_HOME XDG_CACHE_HOME XDG_DATA_HOME \
    TMPDIR XT_SYSROOT XT_SYSCONFDIR
mkdir -p "$HOME" "$TMPDIR" "$XT_SYSROOT" "$XT_SYSCONFDIR" "$TRASH/log"
cd "$TRASH" || exit 1
# Where the helpers say why they failed: stderr here, a test's log in one.
exec 4>&2

test_count=0
test_failed=0

test_cleanup() {
	rc=$?
	cd /
	# The tests that make files read-only or unreadable: undo, then remove.
	chmod -R u+rwX "$TRASH" 2>/dev/null
	rm -rf "$TRASH"
	exit $rc
}

test_expect_success() {
	test_count=$((test_count + 1))
	log=$TRASH/log/$test_count
	if test_run_ "$2" >"$log" 2>&1 4>&1 </dev/null; then
		printf "ok %d - %s\n" "$test_count" "$1"
		[ -n "${XT_TEST_VERBOSE:-}" ] && sed 's/^/#   /' "$log"
	else
		printf "not ok %d - %s\n" "$test_count" "$1"
		sed 's/^/#   /' "$log"
		test_failed=$((test_failed + 1))
	fi
	return 0
}

# test_run_ CODE: CODE in a subshell, then what test_when_finished
# queued; a failing clean-up fails the test.
test_run_() {
	(
		test_cleanup_code=:
		test_cleanup_failed_=
		eval "$1"
		test_rc_=$?
		eval "$test_cleanup_code"
		if [ -n "$test_cleanup_failed_" ]; then
			echo "test_when_finished: the clean-up failed" >&4
			exit 1
		fi
		exit "$test_rc_"
	)
}

# test_when_finished CODE: run CODE when this test ends, pass or fail
# (the last queued runs first).  A clean-up that fails fails the test.
test_when_finished() {
	test_cleanup_code="{ $*
	} || test_cleanup_failed_=1; $test_cleanup_code"
}

test_skip() {	# test_skip 'what' 'why'
	test_count=$((test_count + 1))
	printf "ok %d - %s # SKIP %s\n" "$test_count" "$1" "$2"
}

test_done() {
	echo "1..$test_count"
	[ "$test_failed" = 0 ]
	exit $?
}

# test_exit CODE command...: the command exits with exactly CODE.
test_exit() {
	want=$1
	shift
	"$@" 4>&-
	got=$?
	[ "$got" = "$want" ] && return 0
	echo "exit status $got, want $want: $*" >&4
	return 1
}

# test_must_fail command...: fails cleanly (1..125), not by a signal.
test_must_fail() {
	"$@" 4>&-
	got=$?
	[ "$got" -gt 0 ] && [ "$got" -lt 126 ] && return 0
	echo "exit status $got, want a clean failure: $*" >&4
	return 1
}

# test_empty FILE: FILE exists and is empty (shows it when it is not).
test_empty() {
	[ -f "$1" ] && [ ! -s "$1" ] && return 0
	echo "not empty: $1:" >&4
	cat "$1" >&4
	return 1
}

# test_grep PATTERN FILE / test_nogrep PATTERN FILE: with the file shown on failure.
test_grep() {
	grep -q -e "$1" "$2" && return 0
	echo "no '$1' in $2:" >&4
	cat "$2" >&4
	return 1
}

test_nogrep() {
	grep -q -e "$1" "$2" || return 0
	echo "'$1' found in $2:" >&4
	cat "$2" >&4
	return 1
}

# test_is GOT WANT: two strings are the same (shows both when not).
test_is() {
	[ "$1" = "$2" ] && return 0
	printf 'got:  %s\nwant: %s\n' "$1" "$2" >&4
	return 1
}

# test_cmp WANT GOT: two files have the same bytes.
test_cmp() {
	cmp "$1" "$2" >&4 && return 0
	echo "want:" >&4
	cat "$1" >&4
	echo "got:" >&4
	cat "$2" >&4
	return 1
}

# snapshot FILE: every path under HOME, the XDG directories and TMPDIR,
# with its type and size, to show that nothing was created or changed.
snapshot() {
	find "$HOME" "$TMPDIR" "$XT_SYSCONFDIR" -exec ls -ld --time-style=+%s.%N {} + |
	    awk '{ $2 = ""; print }' | sort >"$1"
}

# as_user command...: run as an unprivileged user, so that permissions
# bite even when the tests run as root (CI).  Files it must reach are
# made accessible by the caller.
# The programs are copied where that user can run them: the checkout
# itself may sit in a directory only root can enter (/root on CI).
as_user() {
	if [ "$(id -u)" = 0 ]; then
		if [ ! -d "$TRASH/ubin" ]; then
			mkdir -p "$TRASH/ubin" &&
			cp "$XT_BINDIR"/xt-* "$XT_ROOT/tests/deps.sh" "$TRASH/ubin/" &&
			rm -f "$TRASH"/ubin/*.o &&
			chmod -R a+rX "$TRASH/ubin" || return 1
		fi
		setpriv --reuid=65534 --regid=65534 --clear-groups \
		    --inh-caps=-all -- env PATH="$TRASH/ubin:$PATH" "$@"
	else
		"$@"
	fi
}

# The copy of tests/deps.sh as_user can read.
user_deps() {
	if [ "$(id -u)" = 0 ]; then echo "$TRASH/ubin/deps.sh"; else echo "$XT_ROOT/tests/deps.sh"; fi
}

# wait_for 'condition' [seconds]: poll until the shell condition holds;
# fail after a generous bound (default 30 s) rather than sleep blindly.
# The one polling loop of the tests (collector.sh waits with it too).
wait_for() {
	wait_for_tries_=$((${2:-30} * 20))
	while ! eval "$1"; do
		wait_for_tries_=$((wait_for_tries_ - 1))
		[ "$wait_for_tries_" -lt 0 ] && {
			echo "timed out waiting for: $1" >&4
			return 1
		}
		sleep 0.05
	done
}

# The config file where a desktop user's xt keeps it.
CONFIG=$XDG_CONFIG_HOME/xt/telemetry.json

# write_config JSON: a config file with exactly this content.
write_config() {
	mkdir -p "$(dirname "$CONFIG")" && chmod 700 "$(dirname "$CONFIG")" &&
	printf '%s\n' "$1" >"$CONFIG" && chmod 600 "$CONFIG"
}

# A known identity for hash tests.
# shellcheck disable=SC2034
SALT=0123456789abcdef0123456789abcdef
# shellcheck disable=SC2034
ANON=$(printf "%064d" 0 | tr 0 a)
