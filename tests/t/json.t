#!/bin/sh
# The strict JSON reader, through the programs: every malformed case is
# refused with exit 2, nothing on stdout, and a message naming the line
# and byte.  (tests/unit/t-json.c checks the same cases in-process.)
. "$(dirname "$0")/../lib.sh"

# One case a line: what | the text, for printf %b (\0NNN is octal) |
# line | byte | the message after "line L, byte B: "
while IFS='|' read -r what text line byte msg; do
	test_expect_success "refuses $what" '
		printf "%b" "$text" >in.json &&
		test_exit 2 xt-event -f in.json ev >out 2>err &&
		test_empty out &&
		want="xt-event: file '"'"'in.json'"'"': not JSON: line $line, byte $byte: $msg" &&
		{ grep -qF -e "$want" err || { echo "want: $want"; cat err; false; }; }
	'
done <<'CASES'
a trailing comma in an array|{"a":[1,2,]}|1|10|trailing comma
a trailing comma in an object|{"a":1,}|1|7|trailing comma
an empty element|{"a":[1,,3]}|1|9|empty element
a leading comma|{"a":[,1]}|1|7|empty element
an empty member|{,"a":1}|1|2|empty member
a missing comma|{"a":[1 2]}|1|9|expected ',' between values
a missing colon|{"a" 1}|1|6|expected ':' after key
a key that is not a string|{1:2}|1|2|object key must be a string
a bare word|{"a":hello}|1|6|not a JSON value: 'hello'
NaN|{"a":NaN}|1|6|not a JSON value: 'NaN'
-Infinity|{"a":-Infinity}|1|7|bad number '-Infinity': digit expected
a bad literal|{"a":tru}|1|6|bad literal 'tru' (true expected)
a capitalised literal|{"a":True}|1|6|not a JSON value: 'True'
a leading zero|{"a":01}|1|7|bad number '01': leading zero
a bare dot|{"a":1.}|1|8|bad number '1.': digit expected after '.'
an empty exponent|{"a":1e}|1|8|bad number '1e': digit expected in exponent
a leading plus|{"a":+1}|1|6|not a JSON value: '+1'
a bad escape|{"a":"\\x"}|1|7|bad escape '\x'
a short \\u escape|{"a":"\\u12"}|1|7|bad \u escape: 4 hex digits expected
a lone high surrogate|{"a":"\\uD800"}|1|7|lone high surrogate \uD800
a high surrogate without its low|{"a":"\\uD800\\u0041"}|1|7|lone high surrogate \uD800
a lone low surrogate|{"a":"\\uDC00"}|1|7|lone low surrogate \uDC00
a raw tab in a string|{"a":"x\ty"}|1|8|control character U+0009 in string
a raw newline in a string|{"a":"x\ny"}|1|8|control character U+000A in string
a raw control character|{"a":"\0001"}|1|7|control character U+0001 in string
invalid UTF-8|{"a":"\0377"}|1|7|invalid UTF-8 (byte 0xFF)
an overlong UTF-8 form|{"a":"\0300\0257"}|1|7|invalid UTF-8 (byte 0xC0)
a UTF-8 surrogate|{"a":"\0355\0240\0200"}|1|7|invalid UTF-8 (byte 0xED)
a byte past U+10FFFF|{"a":"\0364\0220\0200\0200"}|1|7|invalid UTF-8 (byte 0xF4)
an unterminated string|{"a":"x}|1|6|unterminated string
an unclosed object|{"a":1|1|7|unexpected end of input
two root values|{} {}|1|4|more than one JSON value
a value after the object|{"a":1} 2|1|9|more than one JSON value
a NUL byte|{"a":"\0000"}|1|7|NUL byte
an error on line 3|{\n "a": 1,\n "b": tru\n}|3|7|bad literal 'tru'
CASES

test_expect_success 'refuses nesting deeper than 32' '
	{ printf "{\"a\":"; i=0; while [ $i -lt 32 ]; do printf "["; i=$((i+1)); done
	  i=0; while [ $i -lt 32 ]; do printf "]"; i=$((i+1)); done; printf "}"; } >in.json &&
	test_exit 2 xt-event -f in.json ev >out 2>err && test_empty out &&
	test_grep "line 1, byte 37: nesting deeper than 32" err &&
	{ printf "{\"a\":"; i=0; while [ $i -lt 31 ]; do printf "["; i=$((i+1)); done
	  i=0; while [ $i -lt 31 ]; do printf "]"; i=$((i+1)); done; printf "}"; } >in.json &&
	xt-event -f in.json ev >out
'

test_expect_success 'refuses input over the caps' '
	{ printf "{\"a\":\""; head -c 70000 /dev/zero | tr "\0" x; printf "\"}"; } >in.json &&
	test_exit 2 xt-event -f in.json ev >out 2>err && test_empty out &&
	test_grep "over 64 KiB" err &&
	{ i=0; while [ $i -lt 20 ]; do xt-event e "f=$(head -c 60000 /dev/zero | tr "\0" x)"; i=$((i+1)); done; } >big.jsonl &&
	test_exit 2 xt-post -n <big.jsonl >out 2>err && test_empty out &&
	test_grep "over 1 MiB" err
'

test_expect_success 'xt-post names the line of JSON Lines input' '
	printf "%s\n" "{\"eventName\":\"a\"}" "" "{\"eventName\":\"b\",}" >in.jsonl &&
	test_exit 2 xt-post -n <in.jsonl >out 2>err && test_empty out &&
	test_grep "xt-post: line 3: not JSON: byte 17: trailing comma; nothing sent" err
'

test_done
