"""Does the Predictors panel's "accuracy against itself" step up right? (issue #5, stops 61-62.)

The panel ranks the scored sub-networks' accuracies on two halves of the validation samples
(Kendall tau between two halves: stop 61 the even- against the odd-numbered, stop 62 the mean over
16 random splits, --interval below), and steps that up to the whole set with
Spearman-Brown (src/core/experiment/analysis.ts, `stepUpTau`): r = sin(pi tau / 2) for each
half; a set of m half-sets agrees with another of m' at rel_m * rel_m' under the root, where
rel_m = m r / (1 + (m - 1) r); back to tau = 2 / pi * asin(.). Against a noise-free true accuracy
(m' -> infinity) that is the most a predictor's tau can reach if it ranks true accuracy.

This checks the step-up on real per-sample outcomes: bench/table-raw/<name>.jsonl.bits.npz
(training/table.py, stop 14: every sub-network's right/wrong on all 10,000 Fashion-MNIST test
images). Per repetition it draws a pool of sub-networks and two disjoint random sample sets, A (K
samples) and B (K, or all the other samples), steps A's halves up, and compares with the tau
actually measured between A and B. With --top the pools come from the most accurate share on the
first --select samples, and A and B from the others. Prints one JSON line per setting.

    /usr/bin/python3 training/split_half.py bench/table-raw/fashion-vit.jsonl.bits.npz --pool 20 --top 0.2

With --fit N it checks what the step-up says of a predictor: a ridge (one-hot genes, as in the app)
fitted on N random sub-networks' accuracy on K samples, scored on --test others against their
accuracy on the same K samples (the issue's tau) and on K other samples, beside the step-up of the
test pool's halves to true accuracy (a predictor of true accuracy, free of sample luck).

With --interval B it checks the panel's figure as stop 62 made it: the mean of the halves' tau over
--splits random half-splits (not one even/odd split), and its interval, the 5th-95th percentiles of
B bootstrap resamples of the pool's sub-networks, each with one random split. Per draw it compares
both, stepped to the rest of the samples, with tau actually measured between A and the rest; with
--simulate LO,HI the table is made up (binomial outcomes of sub-networks whose true accuracies are
uniform in [LO, HI]), and the figure is also compared with tau against the known true accuracy.
--scheme mean / samples score the resamples the two ways stop 62 tried and did not keep (each with
the mean over all splits; or resampling the samples of one split instead of the sub-networks).

    /usr/bin/python3 training/split_half.py bench/table-raw/fashion-mbconv.jsonl.bits.npz --interval 200 --top 0.2
    /usr/bin/python3 training/split_half.py --simulate 0.88,0.93 --interval 200
"""
import argparse
import json
import math

import numpy as np


def kendall_tau_b(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    da = np.sign(a[:, None] - a[None, :])
    db = np.sign(b[:, None] - b[None, :])
    iu = np.triu_indices(len(a), 1)
    da, db = da[iu], db[iu]
    s = (da * db).sum()
    den = math.sqrt((da != 0).sum() * (db != 0).sum())
    return s / den if den > 0 else float('nan')


def halves_tau(a, b, flat=float('nan')):
    """As the panel (src/core/experiment/analysis.ts halvesTau): 0 where one half ties every sub-network and the other does not, `flat` where both do (0 for the pool itself, NaN for a resample)."""
    t = kendall_tau_b(a, b)
    if np.isfinite(t):
        return t
    return 0.0 if (np.ptp(a) > 0 or np.ptp(b) > 0) else flat


def rel(r, m):
    """Spearman-Brown: the reliability of m parts whose one part has reliability r."""
    return m * r / (1 + (m - 1) * r)


def step_up(tau_half, m_a, m_b):
    """Tau between a set of m_a halves and one of m_b halves (inf: the true accuracy), from tau between two halves."""
    r = math.sin(math.pi * tau_half / 2)
    if r <= 0:
        return 0.0
    ra = rel(r, m_a)
    rb = 1.0 if math.isinf(m_b) else rel(r, m_b)
    return 2 / math.pi * math.asin(min(1.0, math.sqrt(ra * rb)))


def one_hot(keys):
    """One column per gene value (a key is the genome's gene indices as digits), as the app's one-hot encoding."""
    codes = np.array([[int(c) for c in k] for k in keys])
    cols = [(codes[:, g] == v).astype(float) for g in range(codes.shape[1]) for v in range(codes[:, g].max() + 1)]
    return np.stack(cols, axis=1)


def ridge_fit_predict(x, y, x_test, alphas=(0.1, 1.0, 10.0, 100.0)):
    """Ridge with an intercept, alpha by 5-fold cross-validation (the app's ridge, in numpy)."""
    def fit(xa, ya, alpha):
        mu, ym = xa.mean(0), ya.mean()
        xc = xa - mu
        w = np.linalg.solve(xc.T @ xc + alpha * np.eye(xa.shape[1]), xc.T @ (ya - ym))
        return lambda z: (z - mu) @ w + ym
    folds = np.arange(len(y)) % 5
    def cv(alpha):
        return sum(((fit(x[folds != f], y[folds != f], alpha)(x[folds == f]) - y[folds == f]) ** 2).sum() for f in range(5))
    best = min(alphas, key=cv)
    return fit(x, y, best)(x_test)


def predictor_check(a, bits, samples, rng):
    """A ridge fitted on --fit random sub-networks' K-sample accuracy, scored on --test others: against their
    accuracy on the same K samples (the issue's tau), on K other samples, and the step-up to true accuracy."""
    z = np.load(a.npz)
    feats = one_hot(z['keys'])
    n = len(samples)
    for k in [int(s) for s in a.sizes.split(',') if 2 * int(s) <= n]:
        rows = []
        for _ in range(a.reps):
            idx = rng.permutation(len(bits))
            tr, te = idx[: a.fit], idx[a.fit: a.fit + a.test]
            perm = samples[rng.permutation(n)]
            sa, sb = perm[:k], perm[k: 2 * k]
            acc_a, acc_b = bits[:, sa].mean(1), bits[:, sb].mean(1)
            pred = ridge_fit_predict(feats[tr], acc_a[tr], feats[te])
            t_half = kendall_tau_b(bits[te][:, sa[0::2]].sum(1), bits[te][:, sa[1::2]].sum(1))
            rows.append((kendall_tau_b(pred, acc_a[te]), kendall_tau_b(pred, acc_b[te]), t_half, step_up(t_half, 2, math.inf)))
        r = np.array(rows)
        print(json.dumps({'npz': a.npz, 'fit': a.fit, 'test': a.test, 'K': k, 'reps': len(r),
                          'ridge_vs_same_K': round(float(r[:, 0].mean()), 3), 'ridge_vs_other_K': round(float(r[:, 1].mean()), 3),
                          'halves_tau': round(float(r[:, 2].mean()), 3), 'true_accuracy_predictor_stepped': round(float(r[:, 3].mean()), 3)}), flush=True)


def split_sums(x, splits, rng):
    """Right answers of each sub-network (rows of x) in the two halves of `splits` random half-splits of x's columns."""
    k = x.shape[1]
    first, second = [], []
    for _ in range(splits):
        q = rng.permutation(k)
        first.append(x[:, q[: k // 2]].sum(1))
        second.append(x[:, q[k // 2:]].sum(1))
    return np.stack(first, 1), np.stack(second, 1)


def interval_check(a, bits, samples, eligible, truth, rng):
    """The panel's figure (mean of --splits halves' tau, stepped up) and its bootstrap interval, against tau measured
    between A and the rest of the samples (and, simulated, against the known true accuracy)."""
    n = len(samples)
    for k in [int(s) for s in a.sizes.split(',') if 2 * int(s) <= n]:
        rows = []
        for _ in range(a.reps):
            pool = rng.choice(eligible, size=a.pool, replace=False)
            perm = samples[rng.permutation(n)]
            sa, rest = perm[:k], perm[k:]
            x = bits[pool][:, sa]
            m_rest = 2 * len(rest) / k
            measured = kendall_tau_b(x.sum(1), bits[pool][:, rest].sum(1))
            first, second = split_sums(x, a.splits, rng)
            taus = [halves_tau(first[:, s], second[:, s], 0.0) for s in range(a.splits)]
            tau = float(np.nanmean(taus))
            one = kendall_tau_b(x[:, 0::2].sum(1), x[:, 1::2].sum(1))
            boot = []
            if a.scheme == 'samples':
                # resample the samples of each half with replacement (adds luck), one split, sub-networks kept
                even, odd = x[:, 0::2], x[:, 1::2]
                w1 = rng.multinomial(even.shape[1], np.ones(even.shape[1]) / even.shape[1], size=a.interval).T
                w2 = rng.multinomial(odd.shape[1], np.ones(odd.shape[1]) / odd.shape[1], size=a.interval).T
                f, g = even @ w1, odd @ w2
            for b in range(a.interval):
                idx, s = rng.integers(0, a.pool, a.pool), rng.integers(0, a.splits)
                if a.scheme == 'mean':  # each resample scored with the mean over all splits
                    t = float(np.nanmean([halves_tau(first[idx, j], second[idx, j]) for j in range(a.splits)]))
                elif a.scheme == 'samples':
                    t = kendall_tau_b(f[:, b], g[:, b])
                else:  # the panel's: resampled sub-networks, one random split
                    t = halves_tau(first[idx, s], second[idx, s])
                if np.isfinite(t):
                    boot.append(t)
            to_rest = np.quantile([step_up(t, 2, m_rest) for t in boot], [0.05, 0.95])
            to_true = np.quantile([step_up(t, 2, math.inf) for t in boot], [0.05, 0.95])
            row = [step_up(tau, 2, m_rest) - measured, step_up(one, 2, m_rest) - measured, to_rest[0] <= measured <= to_rest[1], to_true[1] - to_true[0], measured < 0]
            if truth is not None:
                true_tau = kendall_tau_b(truth[pool], x.sum(1))
                row += [step_up(tau, 2, math.inf) - true_tau, step_up(one, 2, math.inf) - true_tau, to_true[0] <= true_tau <= to_true[1]]
            rows.append(row)
        r = np.array(rows, dtype=float)
        out = {'npz': a.npz or f'simulated {a.simulate}', 'pool': a.pool, 'top': a.top, 'K': k, 'reps': len(r), 'splits': a.splits, 'resamples': a.interval, 'scheme': a.scheme,
               'vs_rest': {'rest': n - k, 'mean_abs_err_splits': round(float(np.abs(r[:, 0]).mean()), 3), 'mean_abs_err_one_split': round(float(np.abs(r[:, 1]).mean()), 3),
                           'covered': round(float(r[:, 2].mean()), 2), 'measured_below_0': round(float(r[:, 4].mean()), 2)},
               'interval_width': round(float(r[:, 3].mean()), 2)}
        if truth is not None:
            out['vs_true'] = {'mean_abs_err_splits': round(float(np.abs(r[:, 5]).mean()), 3), 'mean_abs_err_one_split': round(float(np.abs(r[:, 6]).mean()), 3),
                              'covered': round(float(r[:, 7].mean()), 2)}
        print(json.dumps(out), flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('npz', nargs='?', default='', help='bench/table-raw/<name>.jsonl.bits.npz (or --simulate)')
    ap.add_argument('--pool', type=int, default=20, help='sub-networks per pool (the panel scores at least 20)')
    ap.add_argument('--top', type=float, default=1.0, help='draw pools from the top share by accuracy on the first --select samples (alike, as near a front)')
    ap.add_argument('--select', type=int, default=2000, help='with --top: the samples that choose the pool, left out of the measurement')
    ap.add_argument('--sizes', default='250,500,1000,2000,4000,10000')
    ap.add_argument('--reps', type=int, default=200)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--fit', type=int, default=0, help='instead: fit a ridge on this many random sub-networks and score it on --test others')
    ap.add_argument('--test', type=int, default=1000)
    ap.add_argument('--interval', type=int, default=0, help="instead: check the panel's mean-of-splits figure and its interval from this many resamples")
    ap.add_argument('--splits', type=int, default=16, help='with --interval: random half-splits averaged (the panel: 16)')
    ap.add_argument('--scheme', choices=('one-split', 'mean', 'samples'), default='one-split',
                    help="with --interval: how each resample is scored (the panel: one-split; the others were tried and not kept)")
    ap.add_argument('--simulate', default='', help='LO,HI: a made-up table of 1,000 sub-networks, true accuracies uniform in [LO, HI], 10,000 samples')
    a = ap.parse_args()
    truth = None
    if a.simulate:
        lo, hi = (float(v) for v in a.simulate.split(','))
        sim = np.random.default_rng(a.seed + 1000)
        truth = lo + (hi - lo) * sim.random(1000)
        bits = (sim.random((1000, 10000)) < truth[:, None]).astype(np.int32)
        n_samples = bits.shape[1]
    else:
        z = np.load(a.npz)
        n_samples = int(z['n'])
        bits = np.unpackbits(z['bits'], axis=1)[:, :n_samples].astype(np.int32)
    samples = np.arange(n_samples)
    if a.top < 1:
        # near a front: the top share by accuracy on the first SELECT samples, measured on the others only
        # (chosen on the samples they are measured on, the pool would be the lucky ones: winner's curse)
        order = np.argsort(-bits[:, : a.select].mean(axis=1))
        samples = samples[a.select:]
    else:
        order = np.arange(len(bits))
    eligible = order[: max(a.pool, int(round(a.top * len(order))))]
    n_samples = len(samples)
    rng = np.random.default_rng(a.seed)
    if a.fit:
        if a.simulate:
            ap.error('--fit needs a table (its genes), not --simulate')
        predictor_check(a, bits, samples, rng)
        return
    if a.interval:
        interval_check(a, bits, samples, eligible, truth, rng)
        return
    for k in [int(s) for s in a.sizes.split(',') if int(s) <= n_samples]:
        rows = []
        for _ in range(a.reps):
            pool = rng.choice(eligible, size=a.pool, replace=False)
            perm = samples[rng.permutation(n_samples)]
            sa, sb, rest = perm[:k], perm[k: 2 * k], perm[k:]
            x = bits[pool]
            even, odd = x[:, sa[0::2]].sum(1), x[:, sa[1::2]].sum(1)
            t_half = kendall_tau_b(even, odd)
            if not np.isfinite(t_half):
                continue
            acc_a = x[:, sa].sum(1)
            nan = float('nan')
            rows.append((
                t_half,
                step_up(t_half, 2, 2), kendall_tau_b(acc_a, x[:, sb].sum(1)) if 2 * k <= n_samples else nan,
                step_up(t_half, 2, 2 * len(rest) / k) if len(rest) else nan, kendall_tau_b(acc_a, x[:, rest].sum(1)) if len(rest) else nan,
                step_up(t_half, 2, math.inf),
            ))
        r = np.array(rows)
        if 2 * k > n_samples:  # no second set of K: only the halves and the step-up to the true accuracy
            print(json.dumps({'npz': a.npz, 'pool': a.pool, 'top': a.top, 'K': k, 'reps': len(r),
                              'halves_tau': round(float(r[:, 0].mean()), 3), 'K_vs_true_stepped': round(float(r[:, 5].mean()), 3)}), flush=True)
            continue
        out = {
            'npz': a.npz, 'pool': a.pool, 'top': a.top, 'K': k, 'reps': len(r),
            'halves_tau': round(float(r[:, 0].mean()), 3),
            'K_vs_K': {'stepped': round(float(r[:, 1].mean()), 3), 'measured': round(float(r[:, 2].mean()), 3),
                       'mean_abs_err_stepped': round(float(np.abs(r[:, 1] - r[:, 2]).mean()), 3),
                       'mean_abs_err_halves': round(float(np.abs(r[:, 0] - r[:, 2]).mean()), 3)},
            'K_vs_rest': {'rest': n_samples - k, 'stepped': round(float(r[:, 3].mean()), 3), 'measured': round(float(r[:, 4].mean()), 3),
                          'mean_abs_err_stepped': round(float(np.abs(r[:, 3] - r[:, 4]).mean()), 3)},
            'K_vs_true_stepped': round(float(r[:, 5].mean()), 3),
        }
        print(json.dumps(out), flush=True)


if __name__ == '__main__':
    main()
