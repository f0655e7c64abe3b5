import { describe, expect, it } from 'vitest';
import { unzlibSync, zlibSync } from 'fflate';
import { LINK_PREFIX, LinkError, MAX_LINK_JSON_BYTES, decodeLink, encodeLink, isShareLink, linkPayloadOf, type LinkContent } from './link';
import type { ResultRecord } from './types';

/** Deterministic PRNG so sizes and contents are reproducible. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An OFA-MobileNetV3-like experiment: 45 variables of 3 choices, realistic metric noise. */
function experiment(n: number, seed = 1): LinkContent {
  const r = rng(seed);
  const created = Date.UTC(2026, 10, 26, 10, 0, 0, 0);
  const results: ResultRecord[] = Array.from({ length: n }, (_, id) => {
    const config: Record<string, number> = {};
    for (let i = 0; i < 20; i++) config[`ks_${i}`] = [3, 5, 7][Math.floor(r() * 3)]!;
    for (let i = 0; i < 20; i++) config[`e_${i}`] = [3, 4, 6][Math.floor(r() * 3)]!;
    for (let i = 0; i < 5; i++) config[`d_${i}`] = [2, 3, 4][Math.floor(r() * 3)]!;
    const predicted = r() < 0.2;
    return {
      id,
      iteration: Math.floor(id / 50),
      config,
      metrics: {
        accuracy: Math.round(7000 + r() * 800) / 10000,
        latencyMs: predicted ? undefined : 8 + r() * 20,
        latencyCv: predicted ? undefined : r() * 0.1,
        params: 3_000_000 + Math.floor(r() * 4_000_000),
        macs: 150_000_000 + Math.floor(r() * 400_000_000),
        bytes: 4 * (3_000_000 + Math.floor(r() * 4_000_000)),
      },
      kind: predicted ? 'predicted' : 'validated',
      time: new Date(created + 1000 + id * 1234).toISOString(),
    };
  });
  for (const x of results) {
    // drop the undefined keys so toEqual compares like for like
    for (const k of Object.keys(x.metrics) as (keyof typeof x.metrics)[]) if (x.metrics[k] === undefined) delete x.metrics[k];
  }
  return {
    name: 'MobileNetV3 on my laptop',
    created: new Date(created).toISOString(),
    status: 'completed',
    device: 'Chrome 131 / Linux x86_64, 8 cores, wasm',
    settings: { supernet: 'ofa-mbv3', objectives: ['accuracy', 'latency'], tactic: 'linas', budget: 500, population: 50, seed: 42, backend: 'wasm', threads: 4, batchSize: 1, validationLimit: 0, quantization: false, extraValidation: false, linasPredictor: 'default', linasPrior: false, raceValidations: false, steadyLatency: false },
    results,
    remeasured: [{ device: 'Pixel 8, Chrome', time: new Date(created + 86400_000).toISOString(), latencyMs: n > 3 ? { 0: 31.5, 3: 29.25 } : { 0: 31.5 } }],
  };
}

function b64url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}
const linkOf = (json: unknown) => LINK_PREFIX + b64url(zlibSync(new TextEncoder().encode(JSON.stringify(json))));
/** The JSON inside a link we made, to tamper with. */
const payloadOf = (link: string) => JSON.parse(new TextDecoder().decode(unzlibSync(Buffer.from(link.slice(3), 'base64url'))));

function decodeError(link: string): LinkError {
  try {
    decodeLink(link);
  } catch (e) {
    expect(e).toBeInstanceOf(LinkError);
    return e as LinkError;
  }
  throw new Error('expected decodeLink to fail');
}

describe('share links', () => {
  it('round-trips an experiment exactly', () => {
    const exp = experiment(120);
    const link = encodeLink(exp);
    expect(link.startsWith('#x=')).toBe(true);
    expect(link.slice(3)).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeLink(link)).toEqual(exp);
    // a full URL works too
    expect(decodeLink(`https://example.org/explorer/?q=1${link}`)).toEqual(exp);
  });

  it('round-trips string choices, absent variables, many-valued variables and empty experiments', () => {
    const exp = experiment(3);
    exp.results[0]!.config = { act: 'gelu', layers: 2 };
    exp.results[1]!.config = { act: 'relu', width: 0.123456789 };
    exp.results[2]!.config = {};
    // a real-valued variable with > 64 distinct values needs 2 digits per config
    for (let i = 0; i < 100; i++) exp.results.push({ ...exp.results[2]!, id: 10 + i, config: { lr: i / 7, act: 'relu' } });
    exp.remeasured = [];
    expect(decodeLink(encodeLink(exp))).toEqual(exp);
    const empty = { ...exp, results: [], remeasured: [] };
    expect(decodeLink(encodeLink(empty))).toEqual(empty);
  });

  it('keeps HTML-looking strings as plain strings, exactly as given', () => {
    const xss = '<img src=x onerror=alert(1)>';
    const exp = experiment(2);
    exp.name = xss;
    exp.device = `"><script>alert(2)</script>`;
    exp.results[0]!.config = { [xss]: xss, "'; DROP TABLE x; --": 'javascript:alert(3)' };
    const back = decodeLink(encodeLink(exp));
    expect(back.name).toBe(xss);
    expect(back.device).toBe(exp.device);
    expect(back.results[0]!.config).toEqual({ [xss]: xss, "'; DROP TABLE x; --": 'javascript:alert(3)' });
    expect(typeof back.results[0]!.config[xss]).toBe('string');
  });

  it('rejects __proto__ keys and anything not in the schema, without polluting prototypes', () => {
    const good = payloadOf(encodeLink(experiment(2)));
    const withProto = JSON.parse(JSON.stringify(good).replace('"settings":{', '"settings":{"__proto__":{"polluted":true},'));
    expect(Object.keys(withProto.settings)).toContain('__proto__');
    expect(decodeError(linkOf(withProto)).message).toMatch(/settings\.__proto__ is not a known field/);
    const topProto = JSON.parse(JSON.stringify(good).replace('{"v":1,', '{"v":1,"__proto__":{"polluted":true},'));
    expect(decodeError(linkOf(topProto)).field).toBe('__proto__');
    const protoVar = { ...good, vars: ['__proto__', ...good.vars.slice(1)] };
    expect(decodeError(linkOf(protoVar)).message).toMatch(/vars\[0\] must not be "__proto__"/);
    const extra = { ...good, script: 'alert(1)' };
    expect(decodeError(linkOf(extra)).message).toMatch(/script is not a known field/);
    const extraResult = { ...good, results: { ...good.results, html: ['<b>'] } };
    expect(decodeError(linkOf(extraResult)).field).toBe('results.html');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('decoded objects are fresh plain objects holding only data', () => {
    const back = decodeLink(encodeLink(experiment(5)));
    for (const o of [back, back.settings, back.results[0]!, back.results[0]!.config, back.results[0]!.metrics, back.remeasured[0]!]) {
      expect(Object.getPrototypeOf(o)).toBe(Object.prototype);
      for (const v of Object.values(o)) expect(typeof v).not.toBe('function');
    }
  });

  it('names the field on wrong types and out-of-range values', () => {
    const good = payloadOf(encodeLink(experiment(20)));
    const cases: [(p: any) => void, string, RegExp][] = [
      [(p) => (p.name = 5), 'name', /name must be text/],
      [(p) => (p.name = 'x'.repeat(201)), 'name', /name is too long \(201 characters, at most 200\)/],
      [(p) => (p.settings.tactic = 'bogo'), 'settings.tactic', /must be one of "random", "nsga2", "linas"/],
      [(p) => (p.settings.objectives = ['accuracy']), 'settings.objectives', /needs at least 2 entries/],
      [(p) => (p.settings.objectives = ['latency', 'latency']), 'settings.objectives', /repeats a metric/],
      [(p) => (p.settings.threads = 0), 'settings.threads', /must be a whole number in \[1, 1024\], not number 0/],
      [(p) => (p.settings.seed = 1.5), 'settings.seed', /whole number/],
      [(p) => delete p.settings.quantization, 'settings.quantization', /is missing/],
      [(p) => (p.results.accuracy[12] = 1.5), 'results.accuracy[12]', /in \[0, 1\]/],
      [(p) => (p.results.latencyMs[3] = -1), 'results.latencyMs[3]', /in \[0, ∞\]/],
      [(p) => (p.results.latencyMs[4] = '12'), 'results.latencyMs[4]', /not the text "12"/],
      [(p) => (p.results.params[0] = null), 'results.params[0]', /must be a number/],
      [(p) => p.results.macs.pop(), 'results.macs', /has 19 entries but results.id has 20/],
      [(p) => (p.results.id[5] = p.results.id[4]), 'results.id[5]', /repeats the id 4/],
      [(p) => (p.results.kind = p.results.kind.replace(/^./, 'x')), 'results.kind', /string of "v"/],
      [(p) => (p.results.config[2] = p.results.config[2].slice(1)), 'results.config[2]', /has 44 digits, expected 45/],
      [(p) => (p.results.config[2] = 'Z' + p.results.config[2].slice(1)), 'results.config[2]', /refers to value #25/],
      [(p) => (p.results.time[1] = 1e15), 'results.time[1]', /whole number/],
      [(p) => (p.values[0] = [3, 3, 5]), 'values[0]', /repeated values/],
      [(p) => (p.values[1] = [{ a: 1 }]), 'values[1][0]', /must be a number or text, not an object/],
      [(p) => (p.created = 'yesterday'), 'created', /ISO 8601/],
      [(p) => (p.remeasured[0].id[0] = 999), 'remeasured[0].id[0]', /not the id of any result/],
      [(p) => (p.status = 'hacked'), 'status', /must be one of/],
      [(p) => (p.v = '1'), 'v', /must be the link format version 1/],
    ];
    for (const [mutate, field, re] of cases) {
      const p = structuredClone(good);
      mutate(p);
      const err = decodeError(linkOf(p));
      expect.soft(err.field, re.source).toBe(field);
      expect.soft(err.message).toMatch(re);
    }
  });

  it('refuses links from a newer version with a clear message', () => {
    const err = decodeError(linkOf({ v: 3, whatever: 'new format' }));
    expect(err.message).toMatch(/^This link was made by a newer version \(v3\) of Supernet Explorer; this one reads links up to v1\./);
  });

  it('reports damaged and truncated links', () => {
    const link = encodeLink(experiment(100));
    const bytes = Buffer.from(link.slice(3), 'base64url');
    // flip one bit in each of several positions: every one must be caught (checksum, inflate or JSON)
    for (const pos of [0, 1, 2, 10, Math.floor(bytes.length / 2), bytes.length - 8, bytes.length - 1]) {
      const t = Uint8Array.from(bytes);
      t[pos]! ^= 0x10;
      expect(decodeError(LINK_PREFIX + b64url(t)).message).toMatch(/damaged or incomplete/);
    }
    for (const keep of [0.1, 0.5, 0.99]) {
      const cut = link.slice(0, Math.floor(link.length * keep));
      expect(decodeError(cut).message).toMatch(/damaged or incomplete/);
    }
    expect(decodeError('#x=%%%').message).toMatch(/damaged/);
    expect(decodeError('#y=abc').message).toMatch(/not a Supernet Explorer share link/);
    expect(decodeError(linkOf([1, 2, 3])).message).toMatch(/damaged/);
  });

  it('stops inflating a zip bomb at the size limit', () => {
    // ~3 MB of JSON that compresses to a few KB
    const bomb = linkOf({ v: 1, name: ' '.repeat(3 * 1024 * 1024) });
    expect(bomb.length).toBeLessThan(10_000);
    const err = decodeError(bomb);
    expect(err.message).toMatch(/more than 2 MB of data/);
    // just under the limit inflates fine (and then fails on the schema, naming the field)
    const ok = linkOf({ v: 1, name: 'x'.repeat(MAX_LINK_JSON_BYTES - 100) });
    expect(decodeError(ok).field).toBe('name');
  });

  it('refuses to share an experiment holding invalid data, naming the field', () => {
    const exp = experiment(3);
    exp.results[1]!.metrics.latencyMs = Number.NaN; // unmeasured → null, fine
    expect(() => encodeLink(exp)).not.toThrow();
    exp.results[1]!.metrics.params = Number.NaN;
    expect(() => encodeLink(exp)).toThrow(/Cannot share this experiment: results\.params\[1\] must be a number/);
  });

  it('does not share settings fields the schema does not declare', () => {
    const exp = experiment(2);
    (exp.settings as unknown as Record<string, unknown>).secretToken = 'abc';
    const back = decodeLink(encodeLink(exp));
    expect(back.settings).not.toHaveProperty('secretToken');
  });

  it('carries "extra validation samples" only when on; links and experiments from before it read as off', () => {
    const on = experiment(3);
    on.settings.extraValidation = true;
    expect(payloadOf(encodeLink(on)).settings.extraValidation).toBe(true);
    expect(decodeLink(encodeLink(on)).settings.extraValidation).toBe(true);
    const off = experiment(3);
    expect(payloadOf(encodeLink(off)).settings).not.toHaveProperty('extraValidation'); // as links were before
    expect(decodeLink(encodeLink(off)).settings.extraValidation).toBe(false);
    const stored = experiment(3); // saved (IndexedDB) before the setting existed
    delete (stored.settings as Partial<typeof stored.settings>).extraValidation;
    expect(decodeLink(encodeLink(stored)).settings.extraValidation).toBe(false);
    const bad = payloadOf(encodeLink(on));
    bad.settings.extraValidation = 'yes';
    expect(decodeError(linkOf(bad)).message).toMatch(/settings\.extraValidation must be true or false, not the text "yes"/);
  });

  it("carries the LINAS predictor only when it is not the default; links from before it read as the default", () => {
    const ps = experiment(4);
    ps.settings.linasPredictor = 'persample';
    expect(payloadOf(encodeLink(ps)).settings.linasPredictor).toBe('persample');
    expect(decodeLink(encodeLink(ps)).settings.linasPredictor).toBe('persample');
    const def = experiment(4);
    expect(payloadOf(encodeLink(def)).settings).not.toHaveProperty('linasPredictor');
    expect(decodeLink(encodeLink(def)).settings.linasPredictor).toBe('default');
    const bad = payloadOf(encodeLink(ps));
    bad.settings.linasPredictor = 'oracle';
    expect(decodeError(linkOf(bad)).message).toMatch(/settings\.linasPredictor must be one of "default", "persample", "monotone"/);
    const mono = experiment(4);
    mono.settings.linasPredictor = 'monotone';
    expect(decodeLink(encodeLink(mono)).settings.linasPredictor).toBe('monotone');
    // Setup's 'recommended' is resolved before an experiment exists: a link never carries it
    const rec = payloadOf(encodeLink(ps));
    rec.settings.linasPredictor = 'recommended';
    expect(decodeError(linkOf(rec)).message).toMatch(/settings\.linasPredictor must be one of/);
  });

  it('carries "learn from earlier experiments" and what it learned from (counts only); links from before read as off', () => {
    const exp = experiment(5);
    expect(payloadOf(encodeLink(exp)).settings).not.toHaveProperty('linasPrior');
    expect(payloadOf(encodeLink(exp))).not.toHaveProperty('prior');
    expect(decodeLink(encodeLink(exp)).settings.linasPrior).toBe(false);
    expect(decodeLink(encodeLink(exp)).prior).toBeUndefined();
    exp.settings.linasPrior = true;
    exp.prior = { experiments: 2, subnetworks: 480, perObjective: { accuracy: 480 } };
    const back = decodeLink(encodeLink(exp));
    expect(back.settings.linasPrior).toBe(true);
    expect(back.prior).toEqual(exp.prior);
    expect(payloadOf(encodeLink(exp)).prior).toEqual({ experiments: 2, subnetworks: 480, accuracy: 480 });
    exp.prior = { experiments: 1, subnetworks: 30, perObjective: { accuracy: 30, latency: 12 } };
    expect(decodeLink(encodeLink(exp)).prior).toEqual(exp.prior);
    const bad = payloadOf(encodeLink(exp));
    bad.prior.subnetworks = -3;
    expect(decodeError(linkOf(bad)).field).toBe('prior.subnetworks');
    const extra = payloadOf(encodeLink(exp));
    extra.prior.entries = [];
    expect(decodeError(linkOf(extra)).message).toMatch(/prior\.entries is not a known field/);
  });

  it('carries steady latency: on travels, off is left out, links from before read as off', () => {
    const exp = experiment(5);
    expect(payloadOf(encodeLink(exp)).settings).not.toHaveProperty('steadyLatency');
    expect(decodeLink(encodeLink(exp)).settings.steadyLatency).toBe(false);
    exp.settings.steadyLatency = true;
    exp.results[1]!.metrics.latencySlowdown = 1.4; // kept in the browser only
    expect(payloadOf(encodeLink(exp)).settings.steadyLatency).toBe(true);
    const back = decodeLink(encodeLink(exp));
    expect(back.settings.steadyLatency).toBe(true);
    expect(back.results[1]!.metrics.latencySlowdown).toBeUndefined();
    const bad = payloadOf(encodeLink(exp));
    bad.settings.steadyLatency = 'yes';
    expect(decodeError(linkOf(bad)).field).toBe('settings.steadyLatency');
  });

  it('carries raced validations: the setting and where each stopped; links from before read as off and complete', () => {
    const exp = experiment(5);
    expect(payloadOf(encodeLink(exp)).settings).not.toHaveProperty('raceValidations');
    expect(payloadOf(encodeLink(exp)).results).not.toHaveProperty('stoppedAfter');
    expect(decodeLink(encodeLink(exp)).settings.raceValidations).toBe(false);
    exp.settings.raceValidations = true;
    exp.results[2]!.metrics.stoppedAfter = 150;
    const back = decodeLink(encodeLink(exp));
    expect(back.settings.raceValidations).toBe(true);
    expect(back.results.map((r) => r.metrics.stoppedAfter)).toEqual([undefined, undefined, 150, undefined, undefined]);
    const bad = payloadOf(encodeLink(exp));
    bad.results.stoppedAfter = [null, 150];
    expect(decodeError(linkOf(bad)).message).toMatch(/results\.stoppedAfter has 2 entries but results\.id has 5/);
    bad.results.stoppedAfter = [null, null, 0, null, null];
    expect(decodeError(linkOf(bad)).field).toBe('results.stoppedAfter[2]');
  });

  it('carries the held-out check (accuracy on samples the search never saw); left out while there is none', () => {
    const exp = experiment(6);
    const plain = payloadOf(encodeLink(exp));
    expect(plain).not.toHaveProperty('heldOut');
    expect(decodeLink(encodeLink(exp)).heldOut).toBeUndefined();
    exp.heldOut = { time: '2026-11-27T19:00:00.000Z', samples: 8000, accuracy: { 0: 0.9061, 3: 0.8875 } };
    expect(decodeLink(encodeLink(exp))).toEqual(exp);
    const bad = payloadOf(encodeLink(exp));
    bad.heldOut.id[1] = 999;
    expect(decodeError(linkOf(bad)).message).toMatch(/heldOut\.id\[1\] is 999, which is not the id of any result/);
    const short = payloadOf(encodeLink(exp));
    short.heldOut.accuracy.pop();
    expect(decodeError(linkOf(short)).message).toMatch(/heldOut\.accuracy has 1 entries but heldOut\.id has 2/);
    const over = payloadOf(encodeLink(exp));
    over.heldOut.accuracy[0] = 1.5;
    expect(decodeError(linkOf(over)).field).toBe('heldOut.accuracy[0]');
  });

  it('rounds latencies when asked, for shorter links', () => {
    const exp = experiment(200);
    const exact = encodeLink(exp);
    const short = encodeLink(exp, { significantDigits: 4 });
    expect(short.length).toBeLessThan(exact.length * 0.85);
    const back = decodeLink(short);
    back.results.forEach((r, i) => {
      const want = exp.results[i]!.metrics.latencyMs;
      if (want === undefined) expect(r.metrics.latencyMs).toBeUndefined();
      else expect(r.metrics.latencyMs).toBe(Number(want.toPrecision(4)));
      expect(r.metrics.accuracy).toBe(exp.results[i]!.metrics.accuracy); // accuracy stays exact
    });
  });

  it('link sizes for 100 and 500 results (logged for the docs)', () => {
    const sizes: Record<string, number> = {};
    for (const n of [100, 500]) {
      const exp = experiment(n, 7);
      sizes[`${n} exact`] = encodeLink(exp).length;
      sizes[`${n} 4 digits`] = encodeLink(exp, { significantDigits: 4 }).length;
    }
    console.log('share link lengths (characters):', sizes);
    expect(sizes['500 exact']!).toBeLessThan(60_000);
  });

  it('linkPayloadOf / isShareLink', () => {
    expect(linkPayloadOf('https://a.b/#x=abc')).toBe('abc');
    expect(linkPayloadOf('#x=abc')).toBe('abc');
    expect(linkPayloadOf('abc_-')).toBe('abc_-');
    expect(linkPayloadOf('https://a.b/#other')).toBeNull();
    expect(isShareLink('#x=abc')).toBe(true);
    expect(isShareLink('#settings')).toBe(false);
  });
});
