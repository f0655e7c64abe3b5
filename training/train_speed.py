"""How much faster does a training script train with glibc told to keep freed memory? (stop 52)

Runs a training script for a fixed number of optimizer steps (`--steps N --budget 0`, into a
temporary package folder) in fresh processes, alternately plain and with
`common.malloc.keep_freed_memory()` called first (as training/oracle.py does since stop 51), and
reads the seconds its own log gives for the training loop ("training done: … Ns"); the process is
stopped there, before the export. Prints seconds per step for each and the ratio.

    /usr/bin/python3 training/train_speed.py train_mbconv.py --steps 160 --threads 2
    /usr/bin/python3 training/train_speed.py train_vit.py --steps 160
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))

CHILD = """
import os, runpy, sys
sys.path.insert(0, {here!r})
if {keep!r}:
    from common.malloc import keep_freed_memory
    assert keep_freed_memory()
sys.argv = {argv!r}
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def one(script, steps, extra, keep):
    """Seconds the script's training loop took for `steps` steps (its own count), in a fresh process."""
    with tempfile.TemporaryDirectory() as out:
        argv = [os.path.join(HERE, script), "--steps", str(steps), "--budget", "0", "--out", out, *extra]
        code = CHILD.format(here=HERE, keep=keep, argv=argv)
        # plain: KEEP_FREED_MEMORY=0 also turns off the script's own call (train_mbconv.py's, since stop 52)
        env = {**os.environ, "KEEP_FREED_MEMORY": "1" if keep else "0"}
        p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
        t0 = time.time()
        first, last = None, None
        try:
            for line in p.stdout:
                m = re.search(r"step (\d+) ", line)
                if m and first is None:
                    first = (int(m.group(1)), time.time())
                elif m:
                    last = (int(m.group(1)), time.time())
                d = re.search(r"training done: (\d+) steps.* (\d+)s$", line.strip())
                if d:
                    done = int(d.group(1)), float(d.group(2)), time.time() - t0
                    break
            else:
                raise RuntimeError(f"{script}: no 'training done' line (exit {p.wait()})")
        finally:
            p.kill()
            p.wait()
    # the loop's own steps per second between its first and last progress lines (start-up left out)
    per_step = (last[1] - first[1]) / (last[0] - first[0]) if first and last else done[1] / done[0]
    return {"steps": done[0], "trainSeconds": done[1], "secondsPerStep": per_step}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("script", help="train_mbconv.py, train_vit.py or train_text.py")
    ap.add_argument("--steps", type=int, default=120)
    ap.add_argument("--rounds", type=int, default=2, help="plain / keeping pairs, alternating")
    args, extra = ap.parse_known_args()  # the rest: the script's own options
    args.extra = extra
    res = {False: [], True: []}
    for _ in range(args.rounds):
        for keep in (False, True):
            r = one(args.script, args.steps, args.extra, keep)
            res[keep].append(r)
            print(json.dumps({"keep": keep, **r}), file=sys.stderr, flush=True)
    med = {k: statistics.median(r["secondsPerStep"] for r in v) for k, v in res.items()}
    print(json.dumps({"bench": "train-speed", "script": args.script, "steps": args.steps, "extra": args.extra,
                      "rounds": args.rounds, "secondsPerStepPlain": round(med[False], 4),
                      "secondsPerStepKeep": round(med[True], 4), "ratio": round(med[False] / med[True], 2)}))


if __name__ == "__main__":
    main()
