# shellcheck shell=sh
# collector.sh: drive tests/collector.py and tests/proxy.py from a POSIX sh
# test.  Source it after tests/lib.sh (its waits are lib.sh's wait_for),
# with XT_TESTDIR set to the tests/ directory:
#
#	. "$(dirname "$0")/../lib.sh"
#	XT_TESTDIR=$XT_ROOT/tests
#	. "$XT_TESTDIR/collector.sh"
#	collector_start 200
#	curl --noproxy '*' -d '{}' "$COLLECTOR_URL"
#	collector_wait_requests 1 && cmp expected "$(collector_body 1)"
#
# collector_start MODE [tls|tls-wrong]
#	Start a collector answering MODE (see collector.py) and wait until it
#	listens.  "tls" serves HTTPS with a certificate for 127.0.0.1 and
#	localhost, "tls-wrong" one for wrong.example only, both signed by a
#	throwaway CA.  Exports:
#	  COLLECTOR_PID   its process id
#	  COLLECTOR_DIR   where it records (see collector.py)
#	  COLLECTOR_PORT  its port on 127.0.0.1
#	  COLLECTOR_URL   http[s]://127.0.0.1:PORT/events
#	  COLLECTOR_CLOSED_URL  http://127.0.0.1:CLOSED/events, a port that
#	                  refuses connections while the collector runs
#	  COLLECTOR_CA    (tls, tls-wrong) the CA certificate to trust
#	A running collector is stopped first: one collector per shell.
# collector_stop		stop it (SIGTERM) and reap it
# collector_mode MODE	answer MODE from the next request on
# collector_requests	print how many requests it has recorded
# collector_connections	print how many connections it has accepted
# collector_wait_requests N [SECONDS]	wait until at least N requests are
#	recorded; false after SECONDS (default 30)
# collector_wait_connections N [SECONDS]	the same for connections
# collector_body N	print the path of request N's body (exact bytes)
# collector_json N	print the path of request N's record
# collector_field N KEY	print KEY of request N's record: method, path,
#	scheme, version, length, body; false if it has none
# collector_header N NAME	print request N's header NAME (any case);
#	false if it was not sent
#
# proxy_start		start an HTTP proxy to 127.0.0.1 only; exports
#	PROXY_PID, PROXY_DIR, PROXY_PORT and PROXY_URL (http://127.0.0.1:PORT,
#	for http_proxy)
# proxy_stop, proxy_requests, proxy_connections, proxy_wait_requests,
# proxy_field, proxy_header	as for the collector; proxy_field N path
#	is the URL (or host:port for CONNECT) and proxy_field N allowed
#	true or false
#
# collector_cleanup	stop both and remove their directories; call it
#	from the test's EXIT trap (this file sets no trap, so it composes with
#	the test's own).  Even without it nothing is left running: both exit
#	when this shell is gone (--watch-pid) and after XT_SERVER_LIFETIME
#	seconds (default 300).
#
# Needs python3, and jq for the lookups (collector_field, collector_header).
# Their directories are made under $TMPDIR (or /tmp).  The servers run
# with -v: their request log is in $COLLECTOR_DIR/stderr.  Waits poll
# (wait_for); none sleeps for a fixed time.

: "${XT_TESTDIR:=$(pwd)/tests}"
: "${PYTHON:=python3}"
COLLECTOR_PID=
PROXY_PID=
_xtsrv_root=

_xtsrv_gone() { ! kill -0 "$1" 2>/dev/null; }

_xtsrv_start() {	# _xtsrv_start SCRIPT ARG...: start SCRIPT, wait for
			# its port; sets _xtsrv_dir, _xtsrv_pid, _xtsrv_port
	_xtsrv_script=$1
	shift
	_xtsrv_mkroot || return 1
	_xtsrv_dir=$(mktemp -d "$_xtsrv_root/${_xtsrv_script%.py}.XXXXXX") ||
	    return 1
	"$PYTHON" "$XT_TESTDIR/$_xtsrv_script" --dir "$_xtsrv_dir" \
	    --lifetime "${XT_SERVER_LIFETIME:-300}" --watch-pid $$ -v "$@" \
	    </dev/null >"$_xtsrv_dir/stdout" 2>"$_xtsrv_dir/stderr" &
	_xtsrv_pid=$!
	wait_for _xtsrv_settled 30
	if [ ! -s "$_xtsrv_dir/port" ]; then
		echo "collector.sh: $_xtsrv_script did not start:" >&2
		cat "$_xtsrv_dir/stderr" >&2
		_xtsrv_stop "$_xtsrv_pid"
		return 1
	fi
	read -r _xtsrv_port <"$_xtsrv_dir/port"
}

_xtsrv_settled() {	# the server listens, or died trying
	[ -s "$_xtsrv_dir/port" ] || _xtsrv_gone "$_xtsrv_pid"
}

_xtsrv_mkroot() {	# one directory holds all of this shell's servers
	[ -n "$_xtsrv_root" ] ||
	    _xtsrv_root=$(mktemp -d "${TMPDIR:-/tmp}/xt-servers.XXXXXX")
}

_xtsrv_stop() {		# _xtsrv_stop PID
	kill "$1" 2>/dev/null
	wait_for "_xtsrv_gone $1" 10 || kill -9 "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	return 0
}

_xtsrv_reached() {	# _xtsrv_reached DIR FILE N: the counter is >= N
	[ "$(cat "$1/$2")" -ge "$3" ]
}

_xtsrv_json() {		# _xtsrv_json FILE KEY...: print the value at KEY...
			# (a string as it is, anything else as JSON); false if
			# there is none.  jq: it starts ten times faster than
			# python, and the CLI tests look up many headers.
	_xtsrv_file=$1
	shift
	jq -r 'getpath($ARGS.positional) |
	    if . == null then error("absent")
	    elif type == "string" then . else tojson end' \
	    "$_xtsrv_file" --args "$@" 2>/dev/null
}

_xtsrv_record() {	# _xtsrv_record DIR N SUFFIX: path of request N's file
	printf '%s/req-%04d.%s\n' "$1" "$2" "$3"
}

_xtsrv_field() {	# _xtsrv_field DIR N KEY...: KEY... of request N
	_xtsrv_file=$(_xtsrv_record "$1" "$2" json)
	shift 2
	_xtsrv_json "$_xtsrv_file" "$@"
}

_xtsrv_header() {	# _xtsrv_header DIR N NAME: header NAME of request N
	_xtsrv_field "$1" "$2" headers \
	    "$(printf '%s\n' "$3" | tr '[:upper:]' '[:lower:]')"
}

collector_start() {
	[ -z "$COLLECTOR_PID" ] || collector_stop
	case ${2:-} in
	'')	set -- "$1" ;;
	tls)	set -- "$1" server ;;
	tls-wrong) set -- "$1" wrong ;;
	*)	echo "collector_start: $2: not tls or tls-wrong" >&2; return 2 ;;
	esac
	if [ $# -eq 2 ]; then
		_xtsrv_mkroot || return 1
		[ -f "$_xtsrv_root/pki/wrong.pem" ] ||
		    sh "$XT_TESTDIR/mkcert.sh" "$_xtsrv_root/pki" || return 1
		_xtsrv_start collector.py --mode "$1" \
		    --tls "$_xtsrv_root/pki/$2.pem" "$_xtsrv_root/pki/$2.key" ||
		    return 1
		COLLECTOR_URL=https://127.0.0.1:$_xtsrv_port/events
		COLLECTOR_CA=$_xtsrv_root/pki/ca.pem
		export COLLECTOR_CA
	else
		_xtsrv_start collector.py --mode "$1" || return 1
		COLLECTOR_URL=http://127.0.0.1:$_xtsrv_port/events
		unset COLLECTOR_CA
	fi
	COLLECTOR_PID=$_xtsrv_pid
	COLLECTOR_DIR=$_xtsrv_dir
	COLLECTOR_PORT=$_xtsrv_port
	read -r _xtsrv_closed <"$COLLECTOR_DIR/closed-port"
	COLLECTOR_CLOSED_URL=http://127.0.0.1:$_xtsrv_closed/events
	export COLLECTOR_PID COLLECTOR_DIR COLLECTOR_PORT COLLECTOR_URL \
	    COLLECTOR_CLOSED_URL
}

collector_stop() {
	[ -z "$COLLECTOR_PID" ] || _xtsrv_stop "$COLLECTOR_PID"
	COLLECTOR_PID=
}

collector_mode() {
	printf '%s\n' "$1" >"$COLLECTOR_DIR/.mode.new" &&
	    mv -f "$COLLECTOR_DIR/.mode.new" "$COLLECTOR_DIR/mode"
}

collector_requests() { cat "$COLLECTOR_DIR/requests"; }
collector_connections() { cat "$COLLECTOR_DIR/connections"; }
collector_wait_requests() {
	wait_for "_xtsrv_reached \"\$COLLECTOR_DIR\" requests $1" "${2:-30}"
}
collector_wait_connections() {
	wait_for "_xtsrv_reached \"\$COLLECTOR_DIR\" connections $1" "${2:-30}"
}
collector_body() { _xtsrv_record "$COLLECTOR_DIR" "$1" body; }
collector_json() { _xtsrv_record "$COLLECTOR_DIR" "$1" json; }
collector_field() { _xtsrv_field "$COLLECTOR_DIR" "$1" "$2"; }
collector_header() { _xtsrv_header "$COLLECTOR_DIR" "$1" "$2"; }

proxy_start() {
	[ -z "$PROXY_PID" ] || proxy_stop
	_xtsrv_start proxy.py || return 1
	PROXY_PID=$_xtsrv_pid
	PROXY_DIR=$_xtsrv_dir
	PROXY_PORT=$_xtsrv_port
	PROXY_URL=http://127.0.0.1:$_xtsrv_port
	export PROXY_PID PROXY_DIR PROXY_PORT PROXY_URL
}

proxy_stop() {
	[ -z "$PROXY_PID" ] || _xtsrv_stop "$PROXY_PID"
	PROXY_PID=
}

proxy_requests() { cat "$PROXY_DIR/requests"; }
proxy_connections() { cat "$PROXY_DIR/connections"; }
proxy_wait_requests() {
	wait_for "_xtsrv_reached \"\$PROXY_DIR\" requests $1" "${2:-30}"
}
proxy_field() { _xtsrv_field "$PROXY_DIR" "$1" "$2"; }
proxy_header() { _xtsrv_header "$PROXY_DIR" "$1" "$2"; }

collector_cleanup() {
	collector_stop
	proxy_stop
	[ -z "$_xtsrv_root" ] || rm -rf "$_xtsrv_root"
	_xtsrv_root=
}
