#!/bin/sh
# Man pages: each program has one beside it, it renders without a
# warning, has the sections users look for, and -h prints its SYNOPSIS.
. "$(dirname "$0")/../lib.sh"

render() {
	groff -mdoc -Tascii -P-c -P-b -P-u "$1"
}

for page in "$XT_ROOT"/cmd/*.1; do
	name=$(basename "$page" .1)
	test_expect_success "$name.1 renders without warnings" '
		groff -mdoc -Tutf8 -ww -z "'"$page"'" 2>warn && test_empty warn
	'
	test_expect_success "$name.1 has every section" '
		render "'"$page"'" >page 2>/dev/null &&
		for s in NAME SYNOPSIS DESCRIPTION ENVIRONMENT FILES "EXIT STATUS" EXAMPLES "SEE ALSO"; do
			grep -q "^$s\$" page || { echo "no $s" >&2; exit 1; }
		done &&
		for code in 0 1 2 75; do
			awk "/^EXIT STATUS/{p=1;next} /^[A-Z]/{p=0} p" page |
			    grep -q "^ *$code " || { echo "no exit $code" >&2; exit 1; }
		done
	'
	test_expect_success "$name -h prints the SYNOPSIS" '
		render "'"$page"'" 2>/dev/null |
		    awk "/^SYNOPSIS/{p=1;next} /^DESCRIPTION/{p=0} p && NF" |
		    sed "s/^ *//" >want &&
		"'"$name"'" -h | sed "s/^usage: //; s/^ *//" >got &&
		test_cmp want got
	'
done

for src in "$XT_ROOT"/cmd/xt-*.c; do
	name=$(basename "$src" .c)
	test_expect_success "$name: -V prints its version; an unknown option is a usage error" '
		"'"$name"'" -V >out 2>err && test_empty err &&
		grep -q "^'"$name"' [0-9][0-9.]*\$" out &&
		test_exit 2 "'"$name"'" -Z >out 2>err </dev/null && test_empty out &&
		test_grep "^usage: '"$name"'" err
	'
done

test_expect_success 'every program has a man page' '
	for p in "$XT_ROOT"/cmd/*.c; do
		test -f "${p%.c}.1" || { echo "no man page for $p" >&2; exit 1; }
	done
'

test_done
