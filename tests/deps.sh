#!/bin/sh
# deps.sh build|demo|test|bench: make sure what xt needs to build (and,
# with "demo", to show it at work; with "test", to run its tests; with
# "bench", to measure it) is here.  On Debian or Ubuntu, as root, the
# missing packages are installed (apt-get update once, then apt-get
# install); anywhere else the missing packages are named and we stop.
# A few test packages are optional: installed where the distribution
# has them, else their tests skip with the reason (never a failure).
set -u

what=${1:-build}
missing=
optional=

need_pkg() {	# need_pkg PACKAGE CHECK...: PACKAGE is missing unless CHECK succeeds
	pkg=$1
	shift
	"$@" >/dev/null 2>&1 || missing="$missing $pkg"
}

want_pkg() {	# want_pkg PACKAGE CHECK...: the same, for an optional package
	pkg=$1
	shift
	"$@" >/dev/null 2>&1 || optional="$optional $pkg"
}

have() { command -v "$1"; }

header() {	# header NAME.h: the C compiler finds it
	printf '#include <%s>\n' "$1" | ${CC:-cc} -E -x c - >/dev/null 2>&1
}

sanitizers_link() {	# clang can link a program with ASan and UBSan
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/xt-deps.XXXXXX" 2>/dev/null ||
	    mktemp -d /tmp/xt-deps.XXXXXX) || return 1
	printf 'int main(void) { return 0; }\n' >"$tmp/t.c"
	TMPDIR=$tmp clang -fsanitize=address,undefined -o "$tmp/t" "$tmp/t.c"
	rc=$?
	rm -rf "$tmp"
	return $rc
}

need_pkg gcc have cc
need_pkg make have make
need_pkg libbearssl-dev header bearssl.h
need_pkg libcurl4-openssl-dev header curl/curl.h
need_pkg libjsmn-dev header jsmn.h
need_pkg libmicrohttpd-dev header microhttpd.h
need_pkg libsqlite3-dev header sqlite3.h

if [ "$what" = demo ]; then
	need_pkg sqlite3 have sqlite3
fi

if [ "$what" = test ] || [ "$what" = bench ]; then
	need_pkg clang have clang
	need_pkg libclang-rt-dev sanitizers_link
	need_pkg perl have prove
	need_pkg python3 have python3
	need_pkg openssl have openssl
	need_pkg jq have jq
	need_pkg valgrind have valgrind
	need_pkg curl have curl
	need_pkg util-linux have setpriv
	need_pkg procps have pgrep
	need_pkg git have git
	need_pkg groff-base have groff
	need_pkg shellcheck have shellcheck
	need_pkg sqlite3 have sqlite3
	need_pkg chromium-headless-shell have chromium-headless-shell
	# tests/t/clickhouse.t: Debian 12 has 18.16 (amd64 only)
	want_pkg clickhouse-server test -x /usr/sbin/clickhouse-server
	want_pkg clickhouse-client have clickhouse-client
fi

if [ "$what" = bench ]; then
	need_pkg wrk have wrk
fi

install_optional() {
	[ -n "$optional" ] || return 0
	if [ -f /etc/debian_version ] && command -v apt-get >/dev/null 2>&1 &&
	    [ "$(id -u)" = 0 ]; then
		export DEBIAN_FRONTEND=noninteractive
		# shellcheck disable=SC2086
		{ [ -n "$missing" ] || apt-get update -qq; } &&
		    apt-get install -y -qq --no-install-recommends $optional \
		    >/dev/null 2>&1 && return 0
	fi
	echo "xt: optional packages not installed:$optional (their tests skip)" >&2
}

if [ -z "$missing" ]; then
	install_optional
	exit 0
fi

echo "xt: missing packages:$missing" >&2
if [ -f /etc/debian_version ] && command -v apt-get >/dev/null 2>&1 &&
    [ "$(id -u)" = 0 ]; then
	echo "xt: installing them with apt-get" >&2
	export DEBIAN_FRONTEND=noninteractive
	# shellcheck disable=SC2086
	apt-get update -qq &&
	    apt-get install -y -qq --no-install-recommends $missing >/dev/null ||
	    { echo "xt: apt-get install$missing failed" >&2; exit 1; }
	install_optional
	exit 0
fi
echo "xt: install them (Debian/Ubuntu: apt-get install$missing) and run make again" >&2
exit 1
