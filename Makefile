# xt - anonymous, opt-out, never-blocking usage telemetry
# See LICENSE file for copyright and license details.
.POSIX:
.SUFFIXES:
.SUFFIXES: .c .o

include config.mk

BIN = \
	cmd/xt-collect \
	cmd/xt-consent \
	cmd/xt-event \
	cmd/xt-flush \
	cmd/xt-hash \
	cmd/xt-id \
	cmd/xt-meta \
	cmd/xt-post

MAN = $(BIN:=.1)

LIBHDR = \
	lib/batch.h \
	lib/buf.h \
	lib/ci.h \
	lib/consent.h \
	lib/env.h \
	lib/fields.h \
	lib/format.h \
	lib/gitconfig.h \
	lib/hash.h \
	lib/http.h \
	lib/ident.h \
	lib/json.h \
	lib/members.h \
	lib/payload.h \
	lib/project.h \
	lib/rand.h \
	lib/rows.h \
	lib/spool.h \
	lib/store.h \
	lib/sysinfo.h \
	lib/sysinfo-os.h \
	lib/trust.h \
	lib/utf8.h \
	lib/util.h

LIBSRC = \
	lib/batch.c \
	lib/buf.c \
	lib/ci.c \
	lib/consent.c \
	lib/env.c \
	lib/fields.c \
	lib/format.c \
	lib/gitconfig.c \
	lib/hash.c \
	lib/http.c \
	lib/ident.c \
	lib/json.c \
	lib/members.c \
	lib/payload.c \
	lib/project.c \
	lib/rand.c \
	lib/rows.c \
	lib/spool.c \
	lib/store.c \
	lib/sysinfo.c \
	lib/sysinfo-bsd.c \
	lib/sysinfo-linux.c \
	lib/sysinfo-other.c \
	lib/trust.c \
	lib/utf8.c \
	lib/util.c

LIBOBJ = $(LIBSRC:.c=.o)
LIB = lib/libxt.a

# unit tests of lib/: each tests/unit/t-NAME.c is one TAP program
UNIT = \
	tests/unit/t-ci \
	tests/unit/t-consent \
	tests/unit/t-fields \
	tests/unit/t-gitconfig \
	tests/unit/t-ident \
	tests/unit/t-json \
	tests/unit/t-members \
	tests/unit/t-payload \
	tests/unit/t-project \
	tests/unit/t-rows \
	tests/unit/t-spool \
	tests/unit/t-store \
	tests/unit/t-sysinfo \
	tests/unit/t-trust \
	tests/unit/t-util \
	tests/unit/t-utf8

# CLI tests: POSIX sh scripts speaking TAP
CLITESTS = tests/t/*.t

# libFuzzer targets, one per parser; tests/fuzz/corpus/NAME seeds each
FUZZ = \
	tests/fuzz/fuzz-batch \
	tests/fuzz/fuzz-config \
	tests/fuzz/fuzz-fields \
	tests/fuzz/fuzz-gitconfig \
	tests/fuzz/fuzz-http \
	tests/fuzz/fuzz-json \
	tests/fuzz/fuzz-payload
FUZZTIME = 60
# make check: each target this many seconds past its corpus
FUZZCHECKTIME = 8
# the first sanitizer report is a failure, never a warning to scroll past
FUZZFLAGS = -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all

all: $(BIN)

$(LIBOBJ) $(BIN:=.o) $(UNIT:=.o): $(LIBHDR) config.mk
$(UNIT:=.o): tests/unit/fixture.h tests/unit/render.h tests/unit/unit.h
# t-ci includes lib/ci.c to walk its vendor table
tests/unit/t-ci.o: lib/ci.c

.c.o:
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(LIB): $(LIBOBJ)
	rm -f $@
	$(AR) -rc $@ $(LIBOBJ)
	$(RANLIB) $@

cmd/xt-collect: cmd/xt-collect.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ cmd/xt-collect.o $(LIB) $(COLLECT_LIBS)
cmd/xt-consent: cmd/xt-consent.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ cmd/xt-consent.o $(LIB) $(BEARSSL_LIBS)
cmd/xt-event: cmd/xt-event.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ cmd/xt-event.o $(LIB)
cmd/xt-flush: cmd/xt-flush.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ cmd/xt-flush.o $(LIB) $(BEARSSL_LIBS)
cmd/xt-hash: cmd/xt-hash.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ cmd/xt-hash.o $(LIB) $(BEARSSL_LIBS)
cmd/xt-id: cmd/xt-id.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ cmd/xt-id.o $(LIB) $(BEARSSL_LIBS)
cmd/xt-meta: cmd/xt-meta.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ cmd/xt-meta.o $(LIB)
cmd/xt-post: cmd/xt-post.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ cmd/xt-post.o $(LIB) $(BEARSSL_LIBS) $(CURL_LIBS)

# Every unit test links the same way: its own object and lib/.  (Each
# depends on every unit object; a few extra relinks buy one rule.)
$(UNIT): $(UNIT:=.o) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $@.o $(LIB) $(BEARSSL_LIBS)

units: $(UNIT)

# variant: build lib/, the programs and the unit tests into $(VOUT) with
# compiler $(VCC) and extra flags $(VFLAGS), apart from the main build.
variant:
	mkdir -p $(VOUT)/lib $(VOUT)/cmd $(VOUT)/tests/unit
	set -e; for f in $(LIBSRC) $(BIN:=.c) $(UNIT:=.c); do \
		$(VCC) $(CPPFLAGS) $(CFLAGS) $(VFLAGS) -c -o $(VOUT)/$${f%.c}.o $$f; \
	done
	rm -f $(VOUT)/lib/libxt.a
	$(AR) -rc $(VOUT)/lib/libxt.a $(VOUT)/lib/*.o
	$(RANLIB) $(VOUT)/lib/libxt.a
	set -e; for p in $(BIN) $(UNIT); do \
		case $$p in \
		cmd/xt-collect) libs='$(COLLECT_LIBS)' ;; \
		*) libs='$(BEARSSL_LIBS) $(CURL_LIBS)' ;; \
		esac; \
		$(VCC) $(LDFLAGS) $(VFLAGS) -o $(VOUT)/$$p $(VOUT)/$$p.o \
		    $(VOUT)/lib/libxt.a $$libs; \
	done

# fuzz: each target for $(FUZZTIME) seconds; new inputs go to
# build/fuzz/corpus/NAME, crashes to build/fuzz/.
fuzz: fuzz-build
	set -e; for f in $(FUZZ); do \
		n=$${f#tests/fuzz/fuzz-}; mkdir -p build/fuzz/corpus/$$n; \
		build/$$f -max_total_time=$(FUZZTIME) -artifact_prefix=build/fuzz/ \
		    build/fuzz/corpus/$$n tests/fuzz/corpus/$$n; \
	done

# fuzz-regress: every committed corpus input once, under the sanitizers,
# then each target briefly ($(FUZZCHECKTIME) s) on new inputs grown from
# it (kept in build/, the committed corpus untouched).
fuzz-regress: fuzz-build
	set -e; for f in $(FUZZ); do \
		n=$${f#tests/fuzz/fuzz-}; \
		build/$$f -runs=0 tests/fuzz/corpus/$$n; \
		rm -rf build/fuzz/check/$$n; mkdir -p build/fuzz/check/$$n; \
		build/$$f -max_total_time=$(FUZZCHECKTIME) -timeout=10 \
		    -artifact_prefix=build/fuzz/ \
		    build/fuzz/check/$$n tests/fuzz/corpus/$$n; \
	done

fuzz-build:
	mkdir -p build/tests/fuzz
	set -e; for f in $(FUZZ); do \
		clang $(CPPFLAGS) -std=c11 $(FUZZFLAGS) -o build/$$f $$f.c \
		    $(LIBSRC) $(BEARSSL_LIBS) $(CURL_LIBS); \
	done

deps:
	sh tests/deps.sh test

check: deps
	$(MAKE) clean
	$(MAKE) variant VCC=clang VOUT=build/clang VFLAGS='$(WERROR)'
	$(MAKE) variant VCC=clang VOUT=build/asan VFLAGS='$(WERROR) $(SANITIZE)'
	$(MAKE) fuzz-regress
	$(MAKE) CC=gcc CFLAGS='$(CFLAGS) $(WERROR)' all units
	@echo "== the CLI tests on the ASan+UBSan build (build/asan/cmd)"
	XT_BINDIR=`pwd`/build/asan/cmd $(SANENV) prove --exec '' $(CLITESTS)
	@echo "== the unit tests, plain and under ASan+UBSan; the CLI tests"
	$(SANENV) prove --exec '' $(UNIT) \
	    `for t in $(UNIT); do echo build/asan/$$t; done` $(CLITESTS)

# bench: xt against baselines run side by side (tests/bench.py)
bench: all
	sh tests/deps.sh bench
	mkdir -p build
	$(CC) -std=c11 -D_DEFAULT_SOURCE -O2 -o build/rss tests/rss.c
	python3 tests/bench.py

demo:
	sh tests/deps.sh demo
	$(MAKE) all
	sh tests/demo.sh

install: all
	mkdir -p $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(MANPREFIX)/man1
	for p in $(BIN); do \
		cp -f $$p $(DESTDIR)$(PREFIX)/bin/ && \
		chmod 755 $(DESTDIR)$(PREFIX)/bin/$${p#cmd/} || exit 1; \
	done
	for m in $(MAN); do \
		cp -f $$m $(DESTDIR)$(MANPREFIX)/man1/ && \
		chmod 644 $(DESTDIR)$(MANPREFIX)/man1/$${m#cmd/} || exit 1; \
	done

uninstall:
	for p in $(BIN); do rm -f $(DESTDIR)$(PREFIX)/bin/$${p#cmd/}; done
	for m in $(MAN); do rm -f $(DESTDIR)$(MANPREFIX)/man1/$${m#cmd/}; done

clean:
	rm -f $(BIN) $(BIN:=.o) $(LIB) $(LIBOBJ) $(UNIT) $(UNIT:=.o)
	rm -rf build

.PHONY: all units variant deps check bench demo fuzz fuzz-regress fuzz-build install \
	uninstall clean
