"""Shared training helpers: seeding, time-budgeted cosine schedule, logging."""
import math
import os
import random
import sys
import time

import numpy as np
import torch


def setup(seed, threads=1):
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    np.random.seed(seed)
    random.seed(seed)


class Clock:
    """Progress of a run = max(step / steps, elapsed / budget): the LR schedule always reaches its
    end on time on a loaded machine; with --steps and an unloaded machine it is step-exact."""

    def __init__(self, budget_s, steps):
        self.t0 = time.time()
        self.budget = budget_s
        self.steps = steps

    def elapsed(self):
        return time.time() - self.t0

    def progress(self, step):
        p = step / self.steps if self.steps else 0.0
        if self.budget:
            p = max(p, self.elapsed() / self.budget)
        return min(p, 1.0)


def cosine_lr(base, p, warmup=0.03, final=0.0):
    if p < warmup:
        return base * (0.1 + 0.9 * p / warmup)
    q = (p - warmup) / max(1e-9, 1 - warmup)
    return final + (base - final) * 0.5 * (1 + math.cos(math.pi * min(1.0, q)))


def log(*a):
    print(time.strftime("%H:%M:%S"), *a, flush=True)


def kd_loss(student_logits, teacher_prob):
    """In-place distillation: cross-entropy against the largest sub-network's soft labels
    (== KL(teacher||student) + const)."""
    return -(teacher_prob * torch.log_softmax(student_logits, dim=-1)).sum(-1).mean()


def args_common(p):
    p.add_argument("--budget", type=float, default=1320.0, help="training seconds (schedule ends on time)")
    p.add_argument("--steps", type=int, default=0, help="fixed number of optimizer steps (0: from budget)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=1, help="torch threads (CNN: 2 on this machine; transformers: 1)")
    p.add_argument("--quick", action="store_true", help="1-3 minute run, same export format")
    p.add_argument("--out", default=None, help="package folder (default public/supernets/<name>)")
    return p


def command_line(script, argv):
    """The command as recorded in supernet.json (without --out, which does not change the result)."""
    out, skip = [script], False
    for a in argv:
        if skip:
            skip = False
        elif a == "--out":
            skip = True
        elif not a.startswith("--out="):
            out.append(a)
    return " ".join(out)
