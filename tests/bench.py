#!/usr/bin/env python3
"""bench.py: how fast and small xt is, against a baseline run side by side.

    python3 tests/bench.py [-n RUNS]

Each row runs an xt command and a baseline command alternately, RUNS times
each, in the same run (machines here are noisy: a ratio of two paired
medians says more than a time alone), and reports the median wall time,
the largest resident set (ru_maxrss of the child), and xt's time as a
multiple of the baseline's.  Nothing is asserted: `make bench` prints.

Rows:
  xt-post      one payload to the loopback collector, against
               curl -s -X POST --data-binary @payload to the same one
               (goal: at most 1.5x curl's time)
  xt-event     one event, against /bin/true (the cost of starting a process)
  xt-meta      the machine's description, against node doing xmcp's part
               of the same work (os.cpus(), os.totalmem(), ...), if node
               is here
  xt-id        the identity (config file read), against /bin/true
  xt-hash      the salted project hash, against sha256sum of a short file
  event/hash/post wide/deep
               the JSON readers at their size caps on the worst nesting
               (tests/linear.py), against the same program on flat input
               of the same size (linear: about 1x)
  flush/ok     `xt-event ... | xt-flush` (spool, start the detached sender,
  flush/refused  return) against `true | true`, both through sh, with a
  flush/hang   healthy endpoint, one that refuses connections and one that
               never answers (goal: at most 3x, aim 2x: a process start is
               the budget); the RSS column is xt-flush's own, in the
               foreground (goal: under 4 MiB)
  burst        1000 flushes from 50 parallel callers: how long they took,
               the most senders alive at once (sampled), and how many of
               the 1000 events arrived

And the collector on its own: xt-collect on loopback with a fresh SQLite
file, loaded by wrk (many keep-alive connections, a Lua script giving
every request its own sessionId) for COLLECT_SECONDS; then the payloads
stored per second, whether each was stored exactly once (wrk's count of
200 answers against the database's rows), and the collector's peak
resident set (VmHWM).  Goals: at least 2000 payloads a second, under
32 MiB.

Everything runs in a throwaway HOME; the only network traffic is to the
collector on 127.0.0.1.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import linear	# noqa: E402  (tests/linear.py: the worst-case inputs)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CMD = os.path.join(ROOT, "cmd")
RSS = os.path.join(ROOT, "build", "rss")	# tests/rss.c, built by make bench


def run(argv, env, stdin_path=None, cwd=None):
    """Run argv; return (seconds, exit status)."""
    stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    try:
        t0 = time.perf_counter()
        rc = subprocess.call(argv, env=env, stdin=stdin, cwd=cwd,
                             stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        t = time.perf_counter() - t0
    finally:
        if stdin_path:
            stdin.close()
    return t, rc


def maxrss(argv, env, stdin_path=None, cwd=None):
    """The largest resident set of argv in KiB, through tests/rss.c: the
    ru_maxrss of a child forked from Python would count Python's pages."""
    best = 0
    for _ in range(3):
        stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
        try:
            p = subprocess.run([RSS] + argv, env=env, stdin=stdin, cwd=cwd,
                               stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
        finally:
            if stdin_path:
                stdin.close()
        best = max(best, int(p.stderr.split()[-1]))
    return best


def pair(name, xt, base, env, runs, stdin=None, goal=None, base_stdin=None,
         cwd=None, base_cwd=None, label=None, rss_argv=None,
         rss_stdin=None):
    """xt against base, alternately; the baseline may have its own stdin
    and directory (the parsing rows: the same program on flat input).
    rss_argv, rss_stdin: measure this command's RSS instead of xt's (a
    pipeline's own program)."""
    times = {"xt": [], "base": []}
    sides = (("xt", xt, stdin, cwd),
             ("base", base, base_stdin or stdin, base_cwd or cwd))
    for _ in range(2):		# warm the page cache, not counted
        for _, argv, sin, wd in sides:
            run(argv, env, sin, wd)
    for _ in range(runs):
        for key, argv, sin, wd in sides:
            t, rc = run(argv, env, sin, wd)
            if rc != 0:
                sys.exit("bench: %s exited %d: %s" % (name, rc, " ".join(argv)))
            times[key].append(t)
    rss = {key: maxrss(argv, env, sin, wd) for key, argv, sin, wd in sides}
    if rss_argv:
        rss["xt"] = maxrss(rss_argv, env, rss_stdin, cwd)
    mx = statistics.median(times["xt"]) * 1000
    mb = statistics.median(times["base"]) * 1000
    ratio = mx / mb if mb > 0 else float("inf")
    verdict = ""
    if goal is not None:
        verdict = "  goal <= %.1fx: %s" % (goal, "met" if ratio <= goal else "MISSED")
    print("%-10s %8.2f ms %6.1f MiB | %-28s %8.2f ms %6.1f MiB | %5.2fx%s" % (
        name, mx, rss["xt"] / 1024, label or os.path.basename(base[0]),
        mb, rss["base"] / 1024, ratio, verdict))
    sys.stdout.flush()


COLLECT_SECONDS = 10
COLLECT_CONNECTIONS = 64

WRK_SCRIPT = """
-- every request a payload of its own: sessionId = thread id, counter
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local head = [==[%s]==]
local tail = [==[%s]==]
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end
function init(args)
  counter = 0
  prefix = string.format("%%08x", tid)
end
function request()
  counter = counter + 1
  return wrk.format(nil, nil, nil, head .. prefix .. string.format("%%056x", counter) .. tail)
end
"""


def collect_bench(tmp, env, payload):
    """xt-collect under wrk; prints one row, returns nothing."""
    wrk = shutil.which("wrk")
    if not wrk:
        print("xt-collect: no wrk here; skipped")
        return
    with open(payload) as f:
        body = f.read()
    sid = body.split('"sessionId":"')[1][:64]
    head, tail = body.split(sid)
    script = os.path.join(tmp, "post.lua")
    with open(script, "w") as f:
        f.write(WRK_SCRIPT % (head, tail))
    db = os.path.join(tmp, "collect.db")
    urlfile = os.path.join(tmp, "collect.url")
    with open(urlfile, "w") as out:
        server = subprocess.Popen(
            [os.path.join(CMD, "xt-collect"), "-l", "127.0.0.1:0", "-d", db],
            env=env, stdout=out, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            with open(urlfile) as f:
                url = f.read().strip()
            if url.endswith("/events"):
                break
            time.sleep(0.1)
        else:
            sys.exit("bench: xt-collect did not start")
        r = subprocess.run([wrk, "-t2", "-c%d" % COLLECT_CONNECTIONS,
                            "-d%ds" % COLLECT_SECONDS, "-s", script, url],
                           capture_output=True, text=True)
        with open("/proc/%d/status" % server.pid) as f:
            hwm = [l for l in f if l.startswith("VmHWM:")][0].split()[1]
    finally:
        server.terminate()
        server.wait()
    out = r.stdout
    answered = int(out.split(" requests in ")[0].split()[-1])
    bad = 0
    if "Non-2xx or 3xx responses:" in out:
        bad = int(out.split("Non-2xx or 3xx responses:")[1].split()[0])
    ok = answered - bad
    q = subprocess.run(["sqlite3", db, "select count(*), count(distinct "
                        "sessionId) from events; select count(*) from batches"],
                       capture_output=True, text=True, check=True).stdout.split()
    events, sessions = (int(x) for x in q[0].split("|"))
    batches = int(q[1])
    # wrk stops counting at the deadline: answers still on their way then
    # are stored but not counted, at most one per connection
    once = (events == sessions == batches and
            ok <= batches <= ok + COLLECT_CONNECTIONS and bad == 0)
    rate = batches / COLLECT_SECONDS
    mib = int(hwm) / 1024
    print("xt-collect %8.0f payloads/s (goal >= 2000: %s) %6.1f MiB (goal < 32: %s)"
          " | %d connections, %d s: %d answered 200, %d other, %d stored, "
          "each once: %s" % (
              rate, "met" if rate >= 2000 else "MISSED", mib,
              "met" if mib < 32 else "MISSED", COLLECT_CONNECTIONS,
              COLLECT_SECONDS, ok, bad, batches, "yes" if once else "NO"))


def senders_alive():
    """Detached senders now: xt-flush processes outside our session."""
    mine = os.getsid(0)
    n = 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % pid) as f:
                stat = f.read()
        except OSError:
            continue
        comm = stat[stat.find("(") + 1:stat.rfind(")")]
        fields = stat[stat.rfind(")") + 2:].split()
        if comm == "xt-flush" and int(fields[3]) != mine:
            n += 1
    return n


def wait_senders(deadline=90):
    end = time.monotonic() + deadline
    while senders_alive() and time.monotonic() < end:
        time.sleep(0.1)


def flush_rows(env, runs, cdir, url, closed_url):
    """The xt-flush rows and the burst."""
    event = ("xt-event build:completed success:=true duration:=1234 "
             "transport=stdio | xt-flush")
    state = os.path.join(env["XDG_STATE_HOME"], "xt")
    base = ["sh", "-c", "true | true"]
    events = os.path.join(env["TMPDIR"], "event.jsonl")
    with open(events, "wb") as f:
        f.write(subprocess.run([os.path.join(CMD, "xt-event"), "build:completed",
                                "success:=true"], env=env, check=True,
                               capture_output=True).stdout)
    modefile = os.path.join(cdir, "mode")
    for name, mode, endpoint in (("flush/ok", "204", url),
                                 ("flush/refused", "204", closed_url),
                                 ("flush/hang", "hang", url)):
        with open(modefile + ".new", "w") as f:
            f.write(mode + "\n")
        os.replace(modefile + ".new", modefile)
        e = dict(env, XT_ENDPOINT=endpoint)
        pair(name, ["sh", "-c", event], base, e, runs, goal=3.0,
             rss_argv=[os.path.join(CMD, "xt-flush")], rss_stdin=events)
        wait_senders()
        shutil.rmtree(state, ignore_errors=True)

    with open(modefile + ".new", "w") as f:
        f.write("204\n")
    os.replace(modefile + ".new", modefile)
    before = int(open(os.path.join(cdir, "requests")).read())
    e = dict(env, XT_ENDPOINT=url)
    most = [0]
    sampling = [True]

    def sample():
        while sampling[0]:
            most[0] = max(most[0], senders_alive())
            time.sleep(0.005)

    def caller(k):
        for i in range(k * 20, k * 20 + 20):
            subprocess.run(["sh", "-c", "xt-event burst n:=%d | xt-flush" % i],
                           env=e, stdin=subprocess.DEVNULL,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    import threading
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    t0 = time.perf_counter()
    callers = [threading.Thread(target=caller, args=(k,)) for k in range(50)]
    for c in callers:
        c.start()
    for c in callers:
        c.join()
    took = time.perf_counter() - t0
    spool = os.path.join(state, "telemetry", "spool")
    end = time.monotonic() + 180
    while time.monotonic() < end:
        left = [n for n in os.listdir(spool) if n.endswith(".jsonl")] \
            if os.path.isdir(spool) else []
        if not left and not senders_alive():
            break
        time.sleep(0.2)
    sampling[0] = False
    sampler.join()
    seen = set()
    after = int(open(os.path.join(cdir, "requests")).read())
    for k in range(before + 1, after + 1):
        try:
            with open(os.path.join(cdir, "req-%04d.body" % k), "rb") as f:
                body = json.loads(f.read())
        except (OSError, ValueError):
            continue
        for ev in body.get("events", []):
            if ev.get("eventName") == "burst":
                seen.add(ev.get("fields", {}).get("n"))
    print("%-14s 1000 flushes from 50 callers in %.2f s (%.1f ms each); "
          "at most %d sender(s) alive at once; %d of 1000 events arrived, "
          "in %d requests" % ("burst", took, took * 1000 / 20,
                              most[0], len(seen), after - before))
    sys.stdout.flush()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", "--runs", type=int, default=40)
    args = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="xt-bench.")
    home = os.path.join(tmp, "home")
    os.makedirs(home)
    env = {
        "PATH": CMD + ":" + os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": home, "TMPDIR": tmp, "LC_ALL": "C",
        "XDG_CONFIG_HOME": os.path.join(home, ".config"),
        "XT_CONFIG": os.path.join(home, ".config", "xt", "telemetry.json"),
        "XDG_STATE_HOME": os.path.join(home, ".local", "state"),
    }
    collector = None
    try:
        # an identity and a payload to send
        subprocess.run([os.path.join(CMD, "xt-id")], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        payload = os.path.join(tmp, "payload.json")
        frags = subprocess.run(
            "xt-id; xt-hash bench@1.0.0; xt-meta; "
            "xt-event build:completed success:=true duration:=1248 "
            "toolsCount:=1 transport=stdio",
            shell=True, env=env, check=True, capture_output=True).stdout
        fragfile = os.path.join(tmp, "fragments.jsonl")
        with open(fragfile, "wb") as f:
            f.write(frags)
        body = subprocess.run([os.path.join(CMD, "xt-post"), "-n"], env=env,
                              input=frags, check=True, capture_output=True).stdout
        with open(payload, "wb") as f:
            f.write(body.rstrip(b"\n"))

        cdir = os.path.join(tmp, "collector")
        os.makedirs(cdir)
        collector = subprocess.Popen(
            [sys.executable, os.path.join(ROOT, "tests", "collector.py"),
             "--dir", cdir, "--mode", "204", "--lifetime", "600",
             "--watch-pid", str(os.getpid())],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        portfile = os.path.join(cdir, "port")
        for _ in range(300):
            if os.path.exists(portfile) and os.path.getsize(portfile) > 0:
                break
            time.sleep(0.1)
        else:
            sys.exit("bench: the collector did not start")
        with open(portfile) as f:
            url = "http://127.0.0.1:%s/events" % f.read().strip()

        print("xt %s, %d paired runs each, median wall time and largest RSS" % (
            subprocess.run([os.path.join(CMD, "xt-id"), "-V"],
                           capture_output=True, text=True).stdout.split()[1],
            args.runs))
        print("%-10s %11s %10s | %-28s %11s %10s | %6s" % (
            "row", "xt", "RSS", "baseline", "time", "RSS", "ratio"))
        curl = shutil.which("curl")
        if curl:
            pair("xt-post", [os.path.join(CMD, "xt-post"), "-u", url],
                 [curl, "-s", "--noproxy", "*", "-o", "/dev/null", "-X", "POST",
                  "-H", "Content-Type: application/json",
                  "--data-binary", "@" + payload, url],
                 env, args.runs, stdin=fragfile, goal=1.5)
        true = shutil.which("true")
        pair("xt-event", [os.path.join(CMD, "xt-event"), "build:completed",
                          "success:=true", "duration:=1234", "transport=stdio"],
             [true], env, args.runs)
        node = shutil.which("node")
        if node:
            pair("xt-meta", [os.path.join(CMD, "xt-meta")],
                 [node, "-e", "const os=require('os');const c=os.cpus();"
                  "console.log(JSON.stringify({meta:{platform:os.platform(),"
                  "systemRelease:os.release(),arch:os.arch(),cpuCores:c.length,"
                  "cpuModel:c[0].model,cpuSpeed:c[0].speed,"
                  "memoryTotal:Math.round(os.totalmem()/1048576)}}))"],
                 env, args.runs)
        pair("xt-id", [os.path.join(CMD, "xt-id")], [true], env, args.runs)
        short = os.path.join(tmp, "short")
        with open(short, "w") as f:
            f.write("bench@1.0.0")
        pair("xt-hash", [os.path.join(CMD, "xt-hash"), "bench@1.0.0"],
             [shutil.which("sha256sum"), short], env, args.runs)

        # The JSON readers at their caps: the worst nesting beside flat
        # input of the same size (tests/linear.py); linear: about 1x.
        ldir = os.path.join(tmp, "linear")
        os.makedirs(ldir)
        for row in ("event", "hash", "post"):
            flat = linear.write_input(row, "flat", ldir)
            for shape in ("wide", "deep"):
                worst = linear.write_input(row, shape, ldir)
                pair("%s %s" % (row, shape),
                     [os.path.join(CMD, worst[0][0])] + worst[0][1:],
                     [os.path.join(CMD, flat[0][0])] + flat[0][1:],
                     env, max(5, args.runs // 4), stdin=worst[1],
                     base_stdin=flat[1], cwd=worst[2], base_cwd=flat[2],
                     label="%s flat, same size" % row)

        with open(os.path.join(cdir, "closed-port")) as f:
            closed_url = "http://127.0.0.1:%s/events" % f.read().strip()
        flush_rows(env, args.runs, cdir, url, closed_url)
        collect_bench(tmp, env, payload)
    finally:
        if collector:
            collector.terminate()
            collector.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
