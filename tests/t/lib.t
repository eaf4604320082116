#!/bin/sh
# tests/lib.sh itself: a helper's reason reaches the TAP output even when
# the step sends stderr to a file, and test_when_finished's clean-up runs
# however the test ends.  A small test script runs in a copy of tests/.
. "$(dirname "$0")/../lib.sh"

mkdir -p inner/tests/t && cp "$XT_ROOT/tests/lib.sh" inner/tests/ || exit 1
cat >inner/tests/t/self.t <<'SELF'
#!/bin/sh
. "$(dirname "$0")/../lib.sh"
test_expect_success 'test_exit' 'test_exit 3 true 2>err'
test_expect_success 'test_grep' 'echo a >f && test_grep b f 2>err'
test_expect_success 'a clean-up after a failure' '
	test_when_finished "echo cleaned >>\"$XT_ROOT/cleaned\"" && false
'
test_expect_success 'clean-ups, last first' '
	test_when_finished "echo one >>\"$XT_ROOT/order\"" &&
	test_when_finished "echo two >>\"$XT_ROOT/order\""
'
test_expect_success 'a failing clean-up' 'test_when_finished false'
test_done
SELF

test_expect_success 'a helper says why in the TAP output, whatever 2> says' '
	test_must_fail sh inner/tests/t/self.t >out &&
	test_grep "^not ok 1 - test_exit" out &&
	test_grep "^#   exit status 0, want 3: true" out &&
	test_grep "^not ok 2 - test_grep" out &&
	test_grep "^#   no .b. in f" out
'

test_expect_success 'test_when_finished runs after a failure, last first' '
	test_grep "^not ok 3 - a clean-up after a failure" out &&
	printf "cleaned\n" >want && test_cmp want inner/cleaned &&
	test_grep "^ok 4 - clean-ups, last first" out &&
	printf "two\none\n" >want && test_cmp want inner/order
'

test_expect_success 'a failing clean-up fails its test' '
	test_grep "^not ok 5 - a failing clean-up" out &&
	test_grep "^#   test_when_finished: the clean-up failed" out
'

test_done
