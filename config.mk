# xt version
VERSION = 0.1.0

# paths
PREFIX = /usr/local
MANPREFIX = $(PREFIX)/share/man
DESTDIR =

# toolchain
CC = cc
AR = ar
CPPFLAGS = -I. -D_POSIX_C_SOURCE=200809L -DXT_VERSION=\"$(VERSION)\"
CFLAGS = -std=c11 -O2 -g -Wall -Wextra -Wpedantic
LDFLAGS =

# libraries: only xt-post links libcurl, and only xt-collect
# libmicrohttpd and SQLite, so the other programs start fast
BEARSSL_LIBS = -lbearssl
CURL_LIBS = -lcurl
COLLECT_LIBS = -lmicrohttpd -lsqlite3
RANLIB = ranlib

# make check: every build warning is an error; the unit tests run a
# second time under these sanitizers
WERROR = -Werror
SANITIZE = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
# a sanitizer's report must not pass for an expected exit status
SANENV = ASAN_OPTIONS=detect_leaks=1:exitcode=99 UBSAN_OPTIONS=exitcode=99:print_stacktrace=1
