#!/bin/sh
# Every JSON reader costs time linear in its input: at each program's
# size cap, input nested as widely or as deeply as the reader takes
# costs a few times what flat input of the same size costs, not
# hundreds (tests/linear.py says how it measures: CPU time, the least
# of several runs, never a stopwatch).  ulimit -t turns a quadratic
# reader into a failure in seconds rather than a hang.
. "$(dirname "$0")/../lib.sh"

xt-id >/dev/null || exit 1
mkdir -p in

for row in event hash post; do
	test_expect_success "$row: wide and deep input cost about what flat input costs" '
		ulimit -t 20 &&
		python3 "$XT_ROOT/tests/linear.py" check '"$row"' in
	'
done

test_expect_success 'a megabyte of brackets is refused at the one too deep, in under 10 s of CPU' '
	ulimit -t 10 &&
	python3 -c "import sys; sys.stdout.write(\"[\" * 524000 + \"]\" * 524000)" >deep.json &&
	test_exit 2 xt-post -n <deep.json >out 2>err && test_empty out &&
	test_grep "line 1: not JSON: byte 33: nesting deeper than 32" err &&
	cp deep.json package.json && xt-hash >out 2>err &&
	test "$(jq -r .context.projectHash out)" != null
'

test_done
