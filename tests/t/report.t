#!/bin/sh
# xt-collect report: the text tables and the HTML page say what the
# database holds (checked against sqlite3's own counts), and the page,
# rendered by headless Chromium, shows those counts.
. "$(dirname "$0")/../lib.sh"

DB=$TRASH/r.db

# A database made the way a collector makes one: real uploads to a real
# xt-collect.  Three installs; six uploads; CI and not; several days.
upload() {	# upload INSTALL SESSION PLATFORM ARCH CORES MEM CI CINAME DAY NAME...
	aid=$(printf 'install %s' "$1" | sha256sum | cut -c1-64)
	sid=$(printf 'session %s' "$2" | sha256sum | cut -c1-64)
	plat=$3 arch=$4 cores=$5 mem=$6 ci=$7 ciname=$8 day=$9
	shift 9
	{
		echo "{\"context\":{\"anonymousId\":\"$aid\",\"sessionId\":\"$sid\"}}"
		echo "{\"meta\":{\"platform\":\"$plat\",\"systemRelease\":\"1\",\"arch\":\"$arch\",\"cpuCores\":$cores,\"cpuModel\":\"m\",\"cpuSpeed\":0,\"memoryTotal\":$mem,\"isDocker\":false,\"isWsl\":false,\"isCI\":$ci,\"ciName\":$ciname}}"
		for name in "$@"; do
			xt-event -T "${day}T12:00:00.000Z" "$name" || return 1
		done
	} | xt-post -u "$URL"
}

xt-collect -l 127.0.0.1:0 -d "$DB" >url 2>collect.err &
pid=$!
wait_for 'grep -q "events$" url || ! kill -0 $pid' 60
URL=$(cat url)
recent=$(date -u -d '2 days ago' +%Y-%m-%d)
old=$(date -u -d '40 days ago' +%Y-%m-%d)
{
	upload 1 1 linux x64 2 1900 false null "$old" build:completed build:completed &&
	upload 1 2 linux x64 2 1900 false null "$recent" build:completed test:ran &&
	upload 2 3 darwin arm64 8 16000 false null "$recent" build:completed &&
	upload 3 4 linux x64 4 7000 true '"GitHub Actions"' "$recent" build:failed &&
	upload 3 5 linux arm64 64 200000 true '"GitLab CI"' "$recent" build:completed &&
	upload 2 6 darwin arm64 8 16000 false null "$old" 'dev:started <&>'
} >upload.log 2>&1
made=$?
kill -TERM $pid && wait $pid

q() { sqlite3 "$DB" "$1"; }

test_expect_success 'a database of real uploads' '
	test "$made" = 0 && test "$(q "select count(*) from events")" = 8
'

test_expect_success 'the text report: totals and events per day and name, as sqlite3 counts them' '
	xt-collect report -d "$DB" >report 2>err && test_empty err &&
	test_grep "^$(q "select count(*) from events") events in $(q "select count(distinct sessionId) from events") uploads from $(q "select count(distinct anonymousId) from events") installs, $old to $recent\.\$" report &&
	awk "/^Events per day and name/{p=1;getline;next} /^\$/{p=0} p" report | sed "s/  */ /g" >got &&
	q "select substr(timestamp,1,10), eventName, count(*) from events group by 1, 2 order by 1, 2" | tr "|" " " >want &&
	test_cmp want got
'

test_expect_success 'the text report: installs per week, platform, CI, cores, memory' '
	awk "/^Installs per week/{p=1;getline;next} /^\$/{p=0} p" report | sed "s/  */ /g" >got &&
	q "select date(substr(timestamp,1,10), \"weekday 0\", \"-6 days\"), count(distinct anonymousId) from events group by 1 order by 1" | tr "|" " " >want &&
	test_cmp want got &&
	test_grep "^linux *x64 *3 *50.0%\$" report &&
	test_grep "^darwin *arm64 *2 *33.3%\$" report &&
	test_grep "^linux *arm64 *1 *16.7%\$" report &&
	test_grep "^not CI *4 *66.7%\$" report &&
	test_grep "^CI *2 *33.3%\$" report &&
	test_grep "^GitHub Actions *1 *50.0%\$" report &&
	test_grep "^2 *2 *33.3%\$" report && test_grep "^33+ *1 *16.7%\$" report &&
	test_grep "^up to 2 GiB *2 *33.3%\$" report &&
	test_grep "^8-16 GiB *2 *33.3%\$" report &&
	test_grep "^over 64 GiB *1 *16.7%\$" report
'

test_expect_success '--since DAYS counts only the events of those days' '
	xt-collect report -d "$DB" --since 7 >since &&
	n=$(q "select count(*) from events where timestamp >= \"$recent\"") &&
	test_grep "^$n events in 4 uploads from 3 installs, $recent to $recent\.\$" since &&
	test_nogrep "$old" since && test_nogrep "dev:started" since &&
	xt-collect report -d "$DB" --since=100 >all && test_grep "^8 events" all
'

test_expect_success '-H: one self-contained page: no script, nothing from the network, dark mode' '
	xt-collect report -d "$DB" -H page.html >out 2>err &&
	test_empty out && test_empty err &&
	test "$(stat -c %a page.html)" = 644 &&
	test_grep "<svg" page.html &&
	test_grep "prefers-color-scheme: dark" page.html &&
	test_nogrep "<script" page.html && test_nogrep "src=" page.html &&
	test_nogrep "href=" page.html && test_nogrep "@import\|url(" page.html &&
	test_nogrep "<&>" page.html && test_grep "dev:started &lt;&amp;&gt;" page.html
'

if ! command -v chromium-headless-shell >/dev/null 2>&1; then
	test_skip 'headless Chromium shows the database'\''s counts' 'no chromium-headless-shell'
else
	# The page as a browser renders it: its DOM after layout, its text
	# without the tags; and screenshots: light, dark (prefers-color-scheme),
	# and with the text twice as large (a reader's text zoom), to look at
	# with XT_TEST_SHOTS=DIR.
	test_expect_success 'headless Chromium renders the page with the database'\''s counts' '
		chromium-headless-shell --no-sandbox --disable-gpu --dump-dom \
		    "file://$TRASH/page.html" >dom 2>chromium.err &&
		sed "s/<[^>]*>/ /g; s/&lt;/</g; s/&gt;/>/g; s/&amp;/\\&/g; s/  */ /g" dom >text &&
		test_grep " 8 events in 6 uploads from 3 installs" text &&
		q "select substr(timestamp,1,10), eventName, count(*) from events group by 1, 2" |
		while IFS="|" read -r day name n; do
			test_grep " $day $name $n " text || exit 1
		done &&
		test_grep " linux x64 3 50.0% " text &&
		test_grep " GitLab CI 1 50.0% " text &&
		chromium-headless-shell --no-sandbox --disable-gpu --window-size=900,2400 \
		    --screenshot="$TRASH/light.png" "file://$TRASH/page.html" >/dev/null 2>&1 &&
		chromium-headless-shell --no-sandbox --disable-gpu --window-size=900,2400 \
		    --blink-settings=preferredColorScheme=0 \
		    --screenshot="$TRASH/dark.png" "file://$TRASH/page.html" >/dev/null 2>&1 &&
		chromium-headless-shell --no-sandbox --disable-gpu --window-size=900,2400 \
		    --blink-settings=defaultFontSize=32 \
		    --screenshot="$TRASH/large.png" "file://$TRASH/page.html" >/dev/null 2>&1 &&
		for f in light dark large; do
			test "$(head -c 8 $f.png | od -An -tx1 | tr -d " ")" = 89504e470d0a1a0a || exit 1
		done &&
		! cmp -s light.png dark.png && ! cmp -s light.png large.png &&
		if [ -n "${XT_TEST_SHOTS:-}" ]; then cp light.png dark.png large.png page.html "$XT_TEST_SHOTS/"; fi
	'
fi

test_expect_success 'an empty database: zeros and "(none)", not an error' '
	xt-collect -l 127.0.0.1:0 -d empty.db >url2 2>/dev/null &
	p=$! && wait_for "grep -q events\$ url2" 60 && kill -TERM $p && wait $p &&
	xt-collect report -d empty.db >out &&
	test_grep "^0 events in 0 uploads from 0 installs\.\$" out && test_grep "^(none)\$" out &&
	xt-collect report -d empty.db -H empty.html && test_grep "None\." empty.html
'

test_expect_success 'bad input: exit 2, a message, no page written' '
	test_exit 2 xt-collect report -d nope.db 2>err && test_grep "^xt-collect: nope.db: " err &&
	echo "not sqlite" >junk.db &&
	test_exit 2 xt-collect report -d junk.db 2>err && test_grep "junk.db: not a" err &&
	sqlite3 other.db "create table t(x)" &&
	test_exit 2 xt-collect report -d other.db 2>err && test_grep "not an xt-collect database" err &&
	test_exit 2 xt-collect report -d "$DB" --since 0 2>err && test_grep "^xt-collect: --since .0." err &&
	test_exit 2 xt-collect report -d "$DB" --since x 2>err &&
	test_exit 2 xt-collect report -d "$DB" -Z 2>err && test_grep "^usage: " err &&
	mkdir d.html && test_exit 2 xt-collect report -d "$DB" -H d.html 2>err &&
	test_grep "not a regular file" err && test ! -e d.html/index
'

test_done
