#!/bin/sh
# xt-event: HTTPie's fields, exact numbers, JSON that jq reads back
# unchanged, and every bad word refused with exit 2 and nothing printed.
. "$(dirname "$0")/../lib.sh"

T=2026-11-24T17:21:00.001Z

# jq 1.6 (Debian 12) prints numbers through doubles: 1e400 becomes
# 1.797e+308.  Where jq keeps a number's text (1.7 and later), numbers
# round-trip through jq too; else they are checked by their exact text.
if [ "$(echo 100000000000000000001 | jq -c .)" = 100000000000000000001 ]; then
	jq_keeps_numbers=1
else
	jq_keeps_numbers=
fi

# emits 'want fields' word...: xt-event prints exactly these fields.
emits() {
	want=$1
	shift
	xt-event -T $T ev "$@" >out 2>err &&
	test_empty err &&
	printf '{"eventName":"ev","timestamp":"%s","fields":{%s}}\n' "$T" "$want" >want &&
	test_cmp want out
}

# roundtrip 'want fields' word...: emits, and jq -c reads it back unchanged.
roundtrip() {
	emits "$@" && jq -c . out >jqout && test_cmp out jqout
}

# exact 'want fields' word...: as roundtrip, for numbers jq 1.6 rewrites.
exact() {
	if [ -n "$jq_keeps_numbers" ]; then
		roundtrip "$@"
	else
		emits "$@" && jq -e . out >/dev/null
	fi
}

e_acute=$(printf '\303\251')
smile=$(printf '\360\237\230\200')

test_expect_success 'xmcp'\''s build:completed, fields in argument order' '
	xt-event -T $T build:completed success:=true duration:=1248 toolsCount:=1 \
	    reactToolsCount:=0 promptsCount:=0 resourcesCount:=0 \
	    outputSize:=551659 transport=stdio adapter=none \
	    nodeVersion=v20.20.2 xmcpVersion=1.1.3 >out &&
	echo "{\"eventName\":\"build:completed\",\"timestamp\":\"$T\",\"fields\":{\"success\":true,\"duration\":1248,\"toolsCount\":1,\"reactToolsCount\":0,\"promptsCount\":0,\"resourcesCount\":0,\"outputSize\":551659,\"transport\":\"stdio\",\"adapter\":\"none\",\"nodeVersion\":\"v20.20.2\",\"xmcpVersion\":\"1.1.3\"}}" >want &&
	test_cmp want out
'

n=0
while IFS='|' read -r want words; do
	n=$((n + 1))
	test_expect_success "round trip $n: $words" "roundtrip '$want' $words"
done <<EOF
"s":"x"|s=x
"s":""|s=
"version":"1.10"|version=1.10
"n":"1"|n=1
"b":"true"|b=true
"b":true|b:=true
"b":false|b:=false
"z":null|z:=null
"i":0|i:=0
"i":-7|i:=-7
"f":0.5|f:=0.5
"f":-2.25|f:=-2.25
"s":"a b  c"|'s=a b  c'
"s":"quote\"in"|'s=quote"in'
"s":"back\\\\slash"|'s=back\\slash'
"s":"x=y"|s=x=y
"a:b":"c"|a:b=c
"s":"$e_acute"|s=$e_acute
"k$e_acute":"v"|k$e_acute=v
"s":"$smile"|s=$smile
"s":"\\\\u0041"|'s=\\u0041'
"j":"A"|'j:="\\u0041"'
"j":"$e_acute"|'j:="\\u00e9"'
"j":"$smile"|'j:="\\ud83d\\ude00"'
"j":"\\\\/\\"\\b\\f\\n\\r\\t"|'j:="\\\\\\/\\"\\b\\f\\n\\r\\t"'
"j":"\\u0001\\u001f\\u007f"|'j:="\\u0001\\u001F\\u007f"'
"a":[]|a:=[]
"o":{}|o:={}
"a":[1,"two",null,[true,{}]]|'a:=[ 1, "two" , null,[true,{ }] ]'
"o":{"x":{"y":{"z":[1]}}}|'o:={"x": {"y": {"z": [1]}}}'
"e":""|'e:=""'
"a":1,"b":"2","c":[3]|a:=1 b=2 c:=[3]
EOF

test_expect_success 'a tab and a newline in a value are escaped as jq does' '
	roundtrip "\"t\":\"a\\tb\",\"n\":\"a\\nb\"" "t=$(printf "a\tb")" "n=$(printf "a\nb")"
'

test_expect_success 'numbers keep their exact text' '
	exact "\"n\":18446744073709551617" n:=18446744073709551617 &&
	exact "\"x\":1e400" x:=1e400 &&
	exact "\"x\":-1.5E-7" x:=-1.5E-7 &&
	exact "\"x\":1.50" x:=1.50 &&
	exact "\"x\":0.1000000000000000055511151231257827" x:=0.1000000000000000055511151231257827 &&
	exact "\"x\":-0" x:=-0 &&
	exact "\"x\":[1E+2,2e-2]" "x:=[1E+2, 2e-2]"
'

test_expect_success 'the timestamp is now, UTC, with milliseconds, as toISOString()' '
	before=$(date -u +%Y-%m-%dT%H:%M:%S) &&
	xt-event x >out &&
	after=$(date -u +%Y-%m-%dT%H:%M:%S) &&
	ts=$(jq -r .timestamp out) &&
	echo "$ts" | grep -q "^[0-9]\{4\}-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]\.[0-9]\{3\}Z$" &&
	s=${ts%.*} &&
	{ [ "$s" = "$before" ] || [ "$s" = "$after" ] || { [ "$s" \> "$before" ] && [ "$s" \< "$after" ]; }; }
'

test_expect_success '-T sets the timestamp, in three-digit milliseconds' '
	test "$(xt-event -T 2026-11-24T17:21:00Z x | jq -r .timestamp)" = 2026-11-24T17:21:00.000Z &&
	test "$(xt-event -T 2026-11-24T17:21:00.5Z x | jq -r .timestamp)" = 2026-11-24T17:21:00.500Z &&
	test "$(xt-event -T 2024-02-29T23:59:59.999Z x | jq -r .timestamp)" = 2024-02-29T23:59:59.999Z
'

test_expect_success '-f FILE and -f - start from a fields object' '
	echo "{\"from\": \"file\", \"n\": 1e400}" >f.json &&
	xt-event -T $T -f f.json ev extra=1 >out &&
	grep -q "\"fields\":{\"from\":\"file\",\"n\":1e400,\"extra\":\"1\"}" out &&
	grep -q "\"n\":1e400,\"extra\":\"1\"}" out &&
	echo "{\"a\": [1]}" | xt-event -T $T -f - ev b:=2 >out &&
	grep -q "\"fields\":{\"a\":\[1\],\"b\":2}" out
'

test_expect_success 'the event name is any printable UTF-8 up to 128 bytes' '
	xt-event "build:completed" >/dev/null &&
	xt-event "NEXT_BUILD_COMPLETED" >/dev/null &&
	xt-event "caf$e_acute $smile" >out && test "$(jq -r .eventName out)" = "caf$e_acute $smile" &&
	xt-event "$(printf "%0128d" 0)" >/dev/null
'

test_expect_success '{ xt-meta; xt-event a; } feeds jq -s' '
	{ xt-meta; xt-event a; xt-event b n:=1; } | jq -s -e "length == 3 and .[0].meta.platform != null and .[2].fields.n == 1"
'

# bad 'what' 'message part' args...: exit 2, nothing on stdout, the
# message names the argument.
bad() {
	what=$1 msg=$2
	shift 2
	test_exit 2 xt-event "$@" >out 2>err &&
	test_empty out &&
	test_grep "^xt-event: " err &&
	{ grep -qF -e "$msg" err || { echo "no '$msg' in:" >&2; cat err >&2; false; }; }
}

echo '[1]' >arr.json
echo '{"a":}' >bad.json
echo '{"from": "file"}' >from.json

# One case a line: what | the message, literally | the arguments, as shell words.
while IFS='|' read -r what msg args; do
	test_expect_success "refuses $what" '
		eval "set -- $args" && bad "$what" "$msg" "$@"
	'
done <<'EOF'
an empty event name|event name '': empty|''
a name with a tab|event name 'a\x09b': not printable|"$(printf 'a\tb')"
a name with a newline|event name 'a\x0Ab': not printable|"$(printf 'a\nb')"
a name with DEL|not printable|"$(printf 'a\177')"
a name with a C1 control|not printable|"$(printf 'a\302\205')"
a name over 128 bytes|over 128 bytes|"$(printf '%0129d' 0)"
a name of invalid UTF-8|event name 'a\xFF': invalid UTF-8|"$(printf 'a\377')"
a word without =|field 'duration': no '='|ev duration
an empty key|field '=1': empty key|ev =1
an empty key with :=|field ':=1': empty key|ev :=1
a duplicate key|field 'a:=2': duplicate key|ev a=1 a:=2
a duplicate key from -f|field 'from=arg': duplicate key|-f from.json ev from=arg
invalid UTF-8 in a value|field 'k=\xC3(': invalid UTF-8 in the value (byte 1)|ev "$(printf 'k=\303(')"
invalid UTF-8 in a key|invalid UTF-8 in the key|ev "$(printf 'k\300\257=v')"
a number with two dots|field 'x:=1.2.3': not a JSON value|ev x:=1.2.3
NaN|field 'x:=NaN': not a JSON value|ev x:=NaN
Infinity|field 'x:=Infinity': not a JSON value|ev x:=Infinity
a leading zero|field 'x:=01': not a JSON value (byte 2: bad number '01': leading zero)|ev x:=01
a trailing dot|field 'x:=1.': not a JSON value|ev x:=1.
a bare word|field 'x:=yes': not a JSON value|ev x:=yes
an empty JSON value|field 'x:=': not a JSON value|ev x:=
a trailing comma|field 'a:=[1,]': not a JSON value (byte 3: trailing comma)|ev 'a:=[1,]'
an empty element|field 'a:=[1,,2]': not a JSON value (byte 4: empty element)|ev 'a:=[1,,2]'
two JSON values|more than one JSON value|ev 'a:=1 2'
an unterminated string|unterminated string|ev 'a:="x'
a bad escape|bad escape '\q'|ev 'a:="\q"'
a lone surrogate|lone high surrogate|ev 'a:="\ud800"'
a raw control character|control character U+0009|ev "$(printf 'a:="\t"')"
a bad time|time 'yesterday': not YYYY-MM-DDTHH:MM:SS.sssZ|-T yesterday ev
February 30th|time '2026-02-30T00:00:00Z'|-T 2026-02-30T00:00:00Z ev
a time without Z|not YYYY|-T 2026-01-01T00:00:00 ev
a missing -f file|file 'nope.json': No such file or directory|-f nope.json ev
a -f file that is not an object|file 'arr.json': not a JSON object|-f arr.json ev
a -f file that is not JSON|file 'bad.json': not JSON: line 1, byte 6|-f bad.json ev
EOF

test_expect_success 'refuses more than 256 fields' '
	i=0 && set -- && while [ $i -lt 257 ]; do set -- "$@" "k$i=v"; i=$((i + 1)); done &&
	bad "257 fields" "more than 256 fields" ev "$@" &&
	shift && xt-event ev "$@" >out && test "$(jq ".fields | length" out)" = 256
'

test_expect_success 'refuses more than 64 KiB' '
	big=$(head -c 40000 /dev/zero | tr "\0" x) &&
	bad "64 KiB" "over 65536 bytes" ev "a=$big" "b=$big" &&
	xt-event ev "a=$big" >/dev/null
'

test_expect_success 'no name, or an unknown option: usage, exit 2' '
	test_exit 2 xt-event >out 2>err && test_empty out &&
	test_grep "usage: xt-event" err &&
	test_exit 2 xt-event -q ev >out 2>err && test_empty out
'

test_expect_success 'xt-event works when telemetry is off: it holds no state' '
	DO_NOT_TRACK=1 xt-event ev a=1 >out && test_grep "\"a\":\"1\"" out &&
	test ! -e "$XDG_CONFIG_HOME/xt"
'

test_done
