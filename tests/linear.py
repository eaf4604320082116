#!/usr/bin/env python3
"""linear.py: what the JSON parsers cost on their worst input.

    python3 tests/linear.py input ROW SHAPE DIR   write ROW's input into DIR
    python3 tests/linear.py check ROW DIR         exit 1 if wide or deep
                                                  costs more than RATIO x
                                                  flat
    python3 tests/linear.py cpu ROW SHAPE DIR     print one run's CPU seconds

Every parser must cost time linear in its input.  Each ROW is a program
reading JSON at its size cap, fed inputs of the same size:

  wide   many small objects side by side in one array: what made jsmn
         (without parent links) scan back over every earlier token at
         every ',' after a member and every closing bracket;
  deep   many values each nested as deep as the reader takes
         (JSON_MAX_DEPTH), side by side: what makes a closing bracket
         climb through the containers it is in;
  flat   one array of numbers, no nesting.

Rows (the caps are the programs'):
  post   xt-post -n, 1 MiB of stdin (PAYLOAD_MAX)
  hash   xt-hash, a package.json of 1 MiB (JSON_MAX_TEXT)
  event  xt-event e k:=JSON, 60 KiB of JSON (FIELDS_MAX_BYTES is 64 KiB)

`check` measures CPU time (user + system, from getrusage), never the wall
clock, takes the least of REPS runs of each shape (run in turn) and
allows wide and deep RATIO times flat plus FLOOR seconds.  Linear code
costs 0.5 to 1.5 times flat; the quadratic reader cost 10 times flat
at the smallest cap (xt-event) and 80 times at 1 MiB (12 s against
0.15 s for xt-post).  tests/t/linear.t runs it under `ulimit -t`;
tests/bench.py prints the same rows.
"""

import os
import resource
import subprocess
import sys

KiB = 1024
MiB = 1024 * KiB
DEPTH = 32		# JSON_MAX_DEPTH
REPS = 5
RATIO = 5
FLOOR = 0.01		# seconds: noise in a process's start-up

# row: (program argv, size, containers open around the values)
ROWS = {
    "post": (["xt-post", "-n"], MiB - 4 * KiB, 4),
    "hash": (["xt-hash"], MiB - 4 * KiB, 2),
    "event": (["xt-event", "e"], 60 * KiB, 1),
}


def items(shape, size, depth):
    """Comma-separated values filling about size bytes."""
    if shape == "flat":
        one = "1"
    elif shape == "wide":
        one = "{}"
    else:
        one = "[" * depth + "1" + "]" * depth
    n = max(1, (size + 1) // (len(one) + 1))
    return ",".join([one] * n)


def text(row, shape):
    """The JSON the row's program reads, about the row's size."""
    argv, size, opened = ROWS[row]
    depth = DEPTH - opened	# the deepest the reader takes
    if row == "post":
        head, tail = '{"events":[{"eventName":"e","f":[', ']}]}'
    elif row == "hash":
        head, tail = '{"name":"linear","version":"1.0.0","f":[', ']}'
    else:
        head, tail = "[", "]"
    return head + items(shape, size - len(head) - len(tail), depth) + tail


def write_input(row, shape, d):
    """Write the input into directory d; return (argv, stdin path, cwd)."""
    argv, _, _ = ROWS[row]
    t = text(row, shape)
    if row == "post":
        path = os.path.join(d, "post-%s.jsonl" % shape)
        with open(path, "w") as f:
            f.write(t + "\n")
        return argv, path, d
    if row == "hash":
        cwd = os.path.join(d, "hash-" + shape)
        os.makedirs(cwd, exist_ok=True)
        with open(os.path.join(cwd, "package.json"), "w") as f:
            f.write(t)
        return argv, None, cwd
    return argv + ["k:=" + t], None, d


def cpu(argv, stdin, cwd, env=None):
    """CPU seconds (user + system) of one run of argv; it must exit 0."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(stdin if stdin else os.devnull, "rb") as f:
        rc = subprocess.call(argv, stdin=f, stdout=subprocess.DEVNULL,
                             cwd=cwd, env=env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if rc < 0:
        sys.exit("linear.py: %s killed by signal %d (SIGXCPU: over "
                 "ulimit -t)" % (argv[0], -rc))
    if rc != 0:
        sys.exit("linear.py: %s exited %d" % (argv[0], rc))
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def least(row, shapes, d, reps, env=None):
    """The least CPU time of reps runs of each shape, run in turn so that
    a busy moment of the machine falls on all of them alike."""
    runs = {s: write_input(row, s, d) for s in shapes}
    best = {s: float("inf") for s in shapes}
    for _ in range(reps):
        for s in shapes:
            best[s] = min(best[s], cpu(*runs[s], env=env))
    return best


def main():
    if len(sys.argv) >= 5 and sys.argv[1] == "input":
        print(" ".join(write_input(sys.argv[2], sys.argv[3], sys.argv[4])[0][:2]))
    elif len(sys.argv) >= 5 and sys.argv[1] == "cpu":
        print("%.4f" % least(sys.argv[2], [sys.argv[3]], sys.argv[4], 1)[sys.argv[3]])
    elif len(sys.argv) >= 4 and sys.argv[1] == "check":
        row, d = sys.argv[2], sys.argv[3]
        best = least(row, ("flat", "wide", "deep"), d, REPS)
        flat = best["flat"]
        bad = 0
        for shape in ("wide", "deep"):
            t = best[shape]
            print("%s: %s %.4f s, flat %.4f s of CPU (least of %d runs)" % (
                row, shape, t, flat, REPS))
            if t > RATIO * flat + FLOOR:
                print("%s: %s input costs more than %dx flat + %.2f s: "
                      "not linear" % (row, shape, RATIO, FLOOR))
                bad = 1
        sys.exit(bad)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
