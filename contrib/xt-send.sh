#!/bin/sh
# xt-send.sh NAME [key=value | key:=json ...]: report one event from a
# build script or Makefile, the way a tool integrates xt today.
#
#	XT_APP=mytool XT_ENDPOINT=https://telemetry.example.com/events \
#	    sh contrib/xt-send.sh build:completed success:=true duration:=1234
#
# It never gets in the build's way: it prints nothing on stdout, always
# exits 0, and the upload runs in the background in its own session with
# its standard streams on /dev/null, so the caller does not wait for the
# network.  When telemetry is off (xt-consent) it does nothing at all.
# The first time, xt-consent notice tells the user, on stderr.
#
# A bad field is named on stderr and nothing is sent.  An upload that
# fails is not kept for later: the spooling xt-flush of DESIGN.md will
# do that.  XT_SEND_TIMEOUT sets xt-post's -t (default 5 seconds).
set -u

if [ "${1:-}" = --upload ]; then	# the detached part: $XT_SEND_EVENT
	{ xt-id && xt-hash && xt-meta && printf '%s\n' "$XT_SEND_EVENT"; } |
	    xt-post -t "${XT_SEND_TIMEOUT:-5}"
	exit 0
fi

xt-consent -q 2>/dev/null || exit 0
if ! XT_SEND_EVENT=$(xt-event "$@" 2>&1); then
	printf 'xt-send: %s\n' "$XT_SEND_EVENT" >&2
	exit 0
fi
export XT_SEND_EVENT
xt-consent notice
if command -v setsid >/dev/null 2>&1; then
	setsid sh "$0" --upload </dev/null >/dev/null 2>&1 &
else
	sh "$0" --upload </dev/null >/dev/null 2>&1 &
fi
exit 0
