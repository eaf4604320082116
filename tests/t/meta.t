#!/bin/sh
# xt-meta: xmcp's keys, order and types; the real machine's numbers; the
# container and WSL signs from fixture trees; CI from the environment.
. "$(dirname "$0")/../lib.sh"

FIX=$XT_ROOT/tests/fixtures/sysroot

# meta [env...]: xt-meta's .meta under a fixture root (or none)
meta() {
	env "$@" xt-meta | jq -c .meta
}

test_expect_success 'xmcp 1.1.3'\''s keys, in its order, with its types' '
	xt-meta >out 2>err && test_empty err &&
	test "$(wc -l <out)" = 1 &&
	jq -c "keys_unsorted" out >keys &&
	jq -c ".meta | [to_entries[] | [.key, (.value | type)]]" out >types &&
	echo "[\"meta\"]" >want && test_cmp want keys &&
	echo "[[\"platform\",\"string\"],[\"systemRelease\",\"string\"],[\"arch\",\"string\"],[\"cpuCores\",\"number\"],[\"cpuModel\",\"string\"],[\"cpuSpeed\",\"number\"],[\"memoryTotal\",\"number\"],[\"isDocker\",\"boolean\"],[\"isWsl\",\"boolean\"],[\"isCI\",\"boolean\"],[\"ciName\",\"null\"]]" >want &&
	test_cmp want types
'

test_expect_success 'on this machine: Node'\''s names, nproc, MemTotal, uname' '
	env -u XT_SYSROOT xt-meta >out &&
	test "$(jq -r .meta.cpuCores out)" = "$(nproc)" &&
	test "$(jq -r .meta.memoryTotal out)" = "$(awk "/^MemTotal:/ { printf \"%d\", (\$2 + 512) / 1024 }" /proc/meminfo)" &&
	test "$(jq -r .meta.systemRelease out)" = "$(uname -r)" &&
	test "$(jq -r .meta.platform out)" = linux &&
	case $(uname -m) in
	x86_64) test "$(jq -r .meta.arch out)" = x64 ;;
	aarch64) test "$(jq -r .meta.arch out)" = arm64 ;;
	i?86) test "$(jq -r .meta.arch out)" = ia32 ;;
	*) true ;;
	esac &&
	jq -e ".meta.cpuSpeed >= 0 and (.meta.cpuSpeed | floor) == .meta.cpuSpeed" out
'

test_expect_success 'on this machine: isDocker exactly when one of the three signs is there' '
	env -u XT_SYSROOT xt-meta >out &&
	if [ -e /.dockerenv ] || grep -q docker /proc/self/cgroup 2>/dev/null ||
	    grep -q /docker/containers/ /proc/self/mountinfo 2>/dev/null; then
		jq -e ".meta.isDocker == true" out
	else
		jq -e ".meta.isDocker == false" out
	fi
'

test_expect_success 'a plain Linux box: the model, cpufreq speed, memory' '
	meta XT_SYSROOT=$FIX/plain >out &&
	jq -e ".cpuSpeed == 2394 and .memoryTotal == 7861 and .isDocker == false and .isWsl == false and .systemRelease == \"6.1.0-13-amd64\"" out &&
	case $(uname -m) in x86_64|i?86) jq -e ".cpuModel == \"Intel(R) Xeon(R) CPU E5-2680 v4 @ 2.40GHz\"" out ;; esac
'

test_expect_success 'a VM without cpufreq: the cpu MHz line; none: 0' '
	meta XT_SYSROOT=$FIX/vm | jq -e ".cpuSpeed == 2399" &&
	meta XT_SYSROOT=$FIX/nomhz | jq -e ".cpuSpeed == 0"
'

for sign in docker-env docker-cgroup docker-mountinfo; do
	test_expect_success "a container, by $sign alone" "
		meta XT_SYSROOT=$FIX/$sign | jq -e '.isDocker == true and .isWsl == false' &&
		meta XT_SYSROOT=$FIX/plain | jq -e '.isDocker == false'
	"
done

test_expect_success 'WSL by the kernel release, or by /proc/version' '
	meta XT_SYSROOT=$FIX/wsl-release | jq -e ".isWsl == true and .isDocker == false" &&
	meta XT_SYSROOT=$FIX/wsl-version | jq -e ".isWsl == true"
'

test_expect_success 'WSL inside a container is not WSL' '
	meta XT_SYSROOT=$FIX/wsl-docker | jq -e ".isWsl == false and .isDocker == true" &&
	meta XT_SYSROOT=$FIX/wsl-podman | jq -e ".isWsl == false"
'

test_expect_success 'a cgroup-limited machine reports the host'\''s memory' '
	meta XT_SYSROOT=$FIX/cgroup-limited | jq -e ".memoryTotal == 64294"
'

test_expect_success 'garbage under /proc: unknowns, no crash' '
	meta XT_SYSROOT=$FIX/garbage >out && jq -e ".cpuModel == \"unknown\" and .cpuSpeed == 0" out
'

test_expect_success 'CI from the environment, with its name' '
	meta CI=true GITHUB_ACTIONS=true | jq -e ".isCI == true and .ciName == \"GitHub Actions\"" &&
	meta GITLAB_CI=true | jq -e ".isCI == true and .ciName == \"GitLab CI\"" &&
	meta BUILDKITE=true | jq -e ".ciName == \"Buildkite\"" &&
	meta CI_NAME=codeship | jq -e ".ciName == \"Codeship\""
'

test_expect_success 'generic CI variables: CI without a name' '
	for v in BUILD_ID BUILD_NUMBER CI CI_APP_ID CI_BUILD_ID CI_BUILD_NUMBER CI_NAME CONTINUOUS_INTEGRATION RUN_ID; do
		meta $v=1 | jq -e ".isCI == true and .ciName == null" >/dev/null ||
		{ echo "$v" >&2; exit 1; }
	done
'

test_expect_success 'CI=false: not CI, whatever else is set' '
	meta CI=false GITHUB_ACTIONS=true | jq -e ".isCI == false and .ciName == null"
'

test_expect_success 'no CI at all' '
	meta | jq -e ".isCI == false and .ciName == null"
'

test_expect_success '-k adds the app'\''s own keys after xmcp'\''s' '
	xt-meta -k xmcpVersion=1.1.3 -k nodeVersion=v20.20.2 -k "flags:=[1,true]" >out &&
	jq -c ".meta | keys_unsorted[-3:]" out >got &&
	echo "[\"xmcpVersion\",\"nodeVersion\",\"flags\"]" >want && test_cmp want got &&
	jq -e ".meta.flags == [1, true] and .meta.xmcpVersion == \"1.1.3\"" out
'

test_expect_success '-k: bad words refused as xt-event refuses them' '
	test_exit 2 xt-meta -k platform=x >out 2>err && test_empty out &&
	test_grep "field .platform=x.: duplicate key" err &&
	test_exit 2 xt-meta -k "v:=1.2.3" >out 2>err && test_empty out &&
	test_grep "field .v:=1.2.3.: not a JSON value" err &&
	test_exit 2 xt-meta -k novalue >out 2>err && test_empty out &&
	test_exit 2 xt-meta extra >out 2>err && test_empty out &&
	test_grep "usage: xt-meta" err
'

test_expect_success 'no path, host name, user name, IP or MAC address' '
	env -u XT_SYSROOT xt-meta >out &&
	for word in "$(uname -n)" "$(id -un)" "$TRASH" "$HOME"; do
		[ -z "$word" ] || test_nogrep "$word" out || exit 1
	done &&
	for mac in $(cat /sys/class/net/*/address 2>/dev/null); do
		[ "$mac" = 00:00:00:00:00:00 ] || test_nogrep "$mac" out || exit 1
	done &&
	test_nogrep "/" out &&
	test_nogrep "[0-9]\{1,3\}\.[0-9]\{1,3\}\.[0-9]\{1,3\}\.[0-9]\{1,3\}" out
'

test_expect_success 'works when telemetry is off: it holds no state' '
	DO_NOT_TRACK=1 xt-meta >out && jq -e .meta.platform out &&
	test ! -e "$XDG_CONFIG_HOME/xt"
'

test_done
