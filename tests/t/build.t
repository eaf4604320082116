#!/bin/sh
# The build's promises to a packager and a new user: make install and
# uninstall honour PREFIX, DESTDIR and MANPREFIX; deps.sh names what is
# missing and stops when it cannot install it.
. "$(dirname "$0")/../lib.sh"

PROGS="xt-collect xt-consent xt-event xt-flush xt-hash xt-id xt-meta xt-post"

test_expect_success 'make install puts the programs and man pages under DESTDIR/PREFIX' '
	make -s -C "$XT_ROOT" install DESTDIR="$TRASH/dest" PREFIX=/opt/xt >out 2>&1 &&
	for p in $PROGS; do
		test -x "dest/opt/xt/bin/$p" &&
		test "$(stat -c %a "dest/opt/xt/bin/$p")" = 755 &&
		test -f "dest/opt/xt/share/man/man1/$p.1" &&
		test "$(stat -c %a "dest/opt/xt/share/man/man1/$p.1")" = 644 || exit 1
	done &&
	dest/opt/xt/bin/xt-event -V | grep -q "^xt-event "
'

test_expect_success 'only xt-collect links libmicrohttpd and SQLite' '
	ldd "$XT_BINDIR/xt-collect" >libs && test_grep libmicrohttpd libs && test_grep libsqlite3 libs &&
	for p in $PROGS; do
		[ "$p" = xt-collect ] && continue
		ldd "$XT_BINDIR/$p" >libs && test_nogrep "libmicrohttpd\|libsqlite3" libs || exit 1
	done
'

test_expect_success 'MANPREFIX moves the man pages' '
	make -s -C "$XT_ROOT" install DESTDIR="$TRASH/dest2" PREFIX=/usr MANPREFIX=/usr/man >out 2>&1 &&
	test -f dest2/usr/man/man1/xt-id.1 && test -x dest2/usr/bin/xt-id
'

test_expect_success 'make uninstall removes them, and only them' '
	: >dest/opt/xt/bin/other &&
	make -s -C "$XT_ROOT" uninstall DESTDIR="$TRASH/dest" PREFIX=/opt/xt >out 2>&1 &&
	ls dest/opt/xt/bin >left && echo other >want && test_cmp want left &&
	test -z "$(ls dest/opt/xt/share/man/man1)"
'

# A PATH with every command but jq: deps.sh test must see it missing.
test_expect_success 'deps.sh names a missing package and, not root, stops' '
	mkdir -p nojq && chmod 755 nojq &&
	for d in /usr/local/bin /usr/bin /bin /usr/sbin /sbin; do
		for f in "$d"/*; do
			n=$(basename "$f")
			[ "$n" = jq ] || [ -e "nojq/$n" ] || ln -s "$f" "nojq/$n"
		done
	done 2>/dev/null &&
	deps=$(user_deps) &&
	as_user env PATH="$TRASH/nojq" sh "$deps" test >out 2>err;
	test $? = 1 && test_empty out &&
	test_grep "xt: missing packages: jq" err &&
	test_grep "apt-get install jq" err
'

test_expect_success 'deps.sh is quiet when nothing is missing' '
	as_user sh "$(user_deps)" build >out 2>err &&
	test_empty out && test_empty err
'

test_done
