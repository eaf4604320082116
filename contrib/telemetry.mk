# telemetry.mk: anonymous usage telemetry for a Makefile, with xt.
#
# In your Makefile (xt's programs on PATH), before or after the include:
#
#	XT_APP = mytool
#	XT_ENDPOINT = https://telemetry.example.com/events
#	XT_CONTRIB = /path/to/xt/contrib
#	include $(XT_CONTRIB)/telemetry.mk
#
#	build:
#		$(CC) -o prog prog.c
#		-@$(XT_SEND) build:completed success:=true
#
# $(XT_SEND) NAME [key=value | key:=json ...] is
# `xt-event NAME ... | xt-flush` (contrib/xt-send.sh): the event is
# spooled and the recipe goes on at once, even under make -j and even
# when the endpoint hangs; a sender in its own session delivers it, and
# keeps it for a later run when it cannot.  Nothing on stdout, exit 0.
# (The leading '-' keeps the build going even if xt itself is missing.)
# Users turn it off with DO_NOT_TRACK=1, <APP>_TELEMETRY_DISABLED=1 or
# `XT_APP=mytool xt-consent disable`.
#
# This file assigns nothing but XT_SEND, so it overrides none of yours;
# an empty XT_APP means "xt".

XT_SEND = XT_APP='$(XT_APP)' XT_ENDPOINT='$(XT_ENDPOINT)' sh '$(XT_CONTRIB)/xt-send.sh'
