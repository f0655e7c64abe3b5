import { describe, expect, it } from 'vitest';
import { CsvImportError, csvField, exportResultsCsv, importResultsCsv, parseCsv, shiftDecimal } from './csv';
import type { ResultRecord } from './types';

function rec(id: number, over: Partial<ResultRecord> = {}): ResultRecord {
  return {
    id,
    iteration: Math.floor(id / 4),
    config: { layers: 2 + (id % 3), heads_0: 4, ffn_0: 512, act: 'gelu' },
    metrics: { accuracy: 0.5 + id / 1000, latencyMs: 3.14159 + id * 0.1, latencyCv: 0.031, params: 1202562 + id, macs: 54542592, bytes: 4810248 },
    kind: id % 5 === 4 ? 'predicted' : 'validated',
    time: new Date(Date.UTC(2026, 10, 26, 12, 0, id)).toISOString(),
    ...over,
  };
}

function importErrors(text: string, opts = {}): string[] {
  try {
    importResultsCsv(text, opts);
  } catch (e) {
    expect(e).toBeInstanceOf(CsvImportError);
    return (e as CsvImportError).errors;
  }
  throw new Error('expected the import to fail');
}

describe('parseCsv (RFC 4180)', () => {
  it('reads quotes, doubled quotes, commas and newlines inside quoted fields, CRLF, LF, CR', () => {
    const text = 'a,b,c\r\n"x,1","he said ""hi""","two\r\nlines"\n3,,"\n"\r4,5,6';
    expect(parseCsv(text)).toEqual([
      ['a', 'b', 'c'],
      ['x,1', 'he said "hi"', 'two\r\nlines'],
      ['3', '', '\n'],
      ['4', '5', '6'],
    ]);
  });
  it('skips a BOM, keeps unicode, handles a trailing comma and no final newline', () => {
    expect(parseCsv('\ufeffα,"β,γ",\r\n😀,ü')).toEqual([['α', 'β,γ', ''], ['😀', 'ü']]);
  });
  it('rejects an unclosed quote and text after a closing quote', () => {
    expect(() => parseCsv('a,b\n"oops,1')).toThrow(/line 2: quoted field is not closed/);
    expect(() => parseCsv('"a"b,c')).toThrow(/after a closing quote/);
  });
  it('csvField quotes only when needed', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "x"')).toBe('"say ""x"""');
    expect(csvField('l1\nl2')).toBe('"l1\nl2"');
  });
});

describe('shiftDecimal', () => {
  it('moves the decimal point exactly, in text', () => {
    expect(shiftDecimal('0.7623', 2)).toBe('76.23');
    expect(shiftDecimal('76.23', -2)).toBe('0.7623');
    expect(shiftDecimal('0.07', 2)).toBe('7');
    expect(shiftDecimal('1', 2)).toBe('100');
    expect(shiftDecimal('1e-7', 2)).toBe('0.00001');
    expect(shiftDecimal('5', -2)).toBe('0.05');
    expect(shiftDecimal('-0.5', 2)).toBe('-50');
    expect(shiftDecimal('0', 2)).toBe('0');
    expect(shiftDecimal('abc', 2)).toBeNull();
  });
  it('percent → fraction round-trips every double where ×100 / 100 would not', () => {
    // 0.57 * 100 = 56.99999999999999 in floating point; text shifting has no such error
    let floatFailures = 0;
    for (let k = 0; k <= 10000; k++) {
      const a = k / 10000;
      if ((a * 100) / 100 !== a) floatFailures++;
      expect(Number(shiftDecimal(shiftDecimal(String(a), 2)!, -2))).toBe(a);
    }
    expect(floatFailures).toBeGreaterThan(0); // the naive way really is lossy
    for (const a of [1 / 3, 0.1 + 0.2, Math.PI / 4, 5e-324, 0.9999999999999999]) {
      expect(Number(shiftDecimal(shiftDecimal(String(a), 2)!, -2))).toBe(a);
    }
  });
});

describe('exportResultsCsv', () => {
  it("writes DyNAS-T's six columns first, then ours, with the config as quoted JSON", () => {
    const csv = exportResultsCsv([rec(0)]);
    const [header, row, end] = csv.split('\r\n');
    expect(header).toBe('Sub-network,Date,Model Parameters,Latency (ms),MACs,Top-1 Acc (%),Model Size (bytes),Latency CV,Iteration,Kind,ID');
    expect(row).toBe('"{""layers"":2,""heads_0"":4,""ffn_0"":512,""act"":""gelu""}",2026-11-26T12:00:00.000Z,1202562,3.14159,54542592,50,4810248,0.031,0,validated,0');
    expect(end).toBe('');
  });
  it('writes unmeasured metrics as empty cells, and the SST-2 header when asked', () => {
    const r = rec(1, { metrics: { params: 10, macs: 20, bytes: 30 } });
    const csv = exportResultsCsv([r], { accuracyColumn: 'SST-2 Acc', bom: true });
    expect(csv.startsWith('\ufeffSub-network,Date,Model Parameters,Latency (ms),MACs,SST-2 Acc,')).toBe(true);
    expect(csv.split('\r\n')[1]).toMatch(/,10,,20,,30,,0,validated,1$/);
  });
});

describe('importResultsCsv', () => {
  it('round-trips export → import exactly, including awkward strings', () => {
    const records: ResultRecord[] = Array.from({ length: 40 }, (_, i) => rec(i));
    records.push(
      rec(100, { config: { name: 'comma, "quote" and\r\nnewline', emoji: '😀 ü 中文', q: "it's" }, metrics: { params: 1, macs: 2, bytes: 3 } }),
      rec(101, { config: { x: -1.5e-7, y: 1e21 }, metrics: { accuracy: 0.57, latencyMs: 0.1 + 0.2, params: 0, macs: 0, bytes: 0 } }),
      rec(102, { metrics: { accuracy: 0, latencyMs: 12, params: 5, macs: 6, bytes: 7 } }), // a real 0 % accuracy
    );
    for (const bom of [false, true]) {
      const out = importResultsCsv(exportResultsCsv(records, { bom }));
      expect(out.format).toBe('explorer');
      expect(out.warnings).toEqual([]);
      expect(out.records).toEqual(records);
    }
  });

  it('reads LF-only files and files re-saved with LF inside fields', () => {
    const records = [rec(0), rec(1, { config: { s: 'a\nb' } })];
    const lf = exportResultsCsv(records).replace(/\r\n/g, '\n');
    expect(importResultsCsv(lf).records).toEqual(records);
  });

  it('reads a plain DyNAS-T CSV (Python dict configs, local dates, 0 = not measured)', () => {
    const text = [
      'Sub-network,Date,Model Parameters,Latency (ms),MACs,Top-1 Acc (%)',
      `"{'wid': None, 'ks': [3, 5, 7], 'e': [4, 6, 3], 'd': [2], 'r': [224]}",2022-05-20 14:33:12.123456,5511864,12.5,237813248,76.234`,
      `"{'wid': None, 'ks': [7, 7, 7], 'e': [6, 6, 6], 'd': [4], 'r': [224]}",2022-05-20 14:35:00,7000000,0,300000000,0`,
      '',
    ].join('\n');
    const { records, format } = importResultsCsv(text);
    expect(format).toBe('dynast');
    expect(records).toEqual([
      {
        id: 0,
        iteration: 0,
        config: { ks_0: 3, ks_1: 5, ks_2: 7, e_0: 4, e_1: 6, e_2: 3, d_0: 2, r_0: 224 },
        metrics: { accuracy: 0.76234, latencyMs: 12.5, params: 5511864, macs: 237813248, bytes: 0 },
        kind: 'validated',
        time: '2022-05-20T14:33:12.123Z',
      },
      {
        id: 1,
        iteration: 0,
        config: { ks_0: 7, ks_1: 7, ks_2: 7, e_0: 6, e_1: 6, e_2: 6, d_0: 4, r_0: 224 },
        metrics: { params: 7000000, macs: 300000000, bytes: 0 },
        kind: 'validated',
        time: '2022-05-20T14:35:00.000Z',
      },
    ]);
  });

  it("reads DyNAS-T's BERT variant (SST-2 Acc, as a fraction or in percent)", () => {
    const head = 'Sub-network,Date,Model Parameters,Latency (ms),MACs,SST-2 Acc\r\n';
    const row = (acc: string) => `"{'num_layers': 6, 'num_attention_heads': [12, 8], 'intermediate_size': [3072, 1024]}",2023-01-02 03:04:05,66000000,4.2,1000,${acc}\r\n`;
    const frac = importResultsCsv(head + row('0.9117') + row('0.88'));
    expect(frac.records.map((r) => r.metrics.accuracy)).toEqual([0.9117, 0.88]);
    expect(frac.records[0]!.config).toEqual({ num_layers: 6, num_attention_heads_0: 12, num_attention_heads_1: 8, intermediate_size_0: 3072, intermediate_size_1: 1024 });
    expect(frac.warnings.join()).toMatch(/fractions/);
    const pct = importResultsCsv(head + row('91.17') + row('88'));
    expect(pct.records.map((r) => r.metrics.accuracy)).toEqual([0.9117, 0.88]);
  });

  it('names the row and column of each bad value', () => {
    const good = exportResultsCsv([rec(0), rec(1), rec(2)]);
    const lines = good.split('\r\n');
    lines[2] = lines[2]!.replace(',3.24159,', ',abc,'); // latency of rec(1), spreadsheet row 3
    lines[3] = lines[3]!.replace('2026-11-26T12:00:02.000Z', 'yesterday');
    const errors = importErrors(lines.join('\r\n'));
    expect(errors).toEqual([
      `row 3, column 'Latency (ms)': "abc" is not a number`,
      expect.stringMatching(/^row 4, column 'Date': "yesterday" is not a date/),
    ]);
  });

  it('reports wrong field counts, duplicate IDs, bad kinds, negative and out-of-range values', () => {
    const lines = exportResultsCsv([rec(0), rec(1), rec(2), rec(3), rec(4)]).split('\r\n');
    lines[2] = lines[2]!.replace(/,1$/, ',0'); // duplicate ID
    lines[3] = lines[3]!.replace(',validated,', ',guessed,');
    lines[4] = lines[4]!.replace(',1202565,', ',-5,');
    lines[5] = lines[5]!.replace(/,50\.4,/, ',101,');
    lines.splice(6, 0, 'only,three,fields');
    const errors = importErrors(lines.join('\r\n'));
    expect(errors).toEqual([
      "row 3, column 'ID': 0 is also the ID of row 2",
      "row 4, column 'Kind': \"guessed\" must be 'validated' or 'predicted'",
      "row 5, column 'Model Parameters': \"-5\" must be ≥ 0",
      "row 6, column 'Top-1 Acc (%)': \"101\" is outside 0–100",
      'row 7: has 3 fields, the header has 11',
    ]);
  });

  it('counts rows as a spreadsheet does when a field spans lines', () => {
    const lines = exportResultsCsv([rec(0, { config: { s: 'one\ntwo\nthree' } }), rec(1)]).split('\r\n');
    // the quoted newline splits the first record across text lines 2–4; rec(1) is spreadsheet row 3
    const text = lines.join('\r\n').replace(',validated,1\r\n', ',nope,1\r\n');
    expect(importErrors(text)).toEqual(["row 3, column 'Kind': \"nope\" must be 'validated' or 'predicted'"]);
  });

  it('checks configs against the search space when given one', () => {
    const text = exportResultsCsv([rec(0), rec(1), rec(2)]);
    const check = (c: Record<string, number | string>) => (c.layers === 4 ? `variable "layers" = 4 is not allowed: must be one of [2,3]` : null);
    expect(importErrors(text, { checkConfig: check })).toEqual([`row 4, column 'Sub-network': variable "layers" = 4 is not allowed: must be one of [2,3]`]);
    expect(importResultsCsv(text, { checkConfig: () => null }).records).toHaveLength(3);
  });

  it('rejects configs that are not flat objects of numbers and strings', () => {
    const head = 'Sub-network,Date\n';
    const cases: [string, RegExp][] = [
      ['"[1,2]"', /expected a \{variable: value\} object/],
      ['"{""a"": {""b"": 1}}"', /variable "a" must be a number or a string/],
      ['"{""__proto__"": {""polluted"": 1}}"', /"__proto__" is not allowed/],
      [`"{'a': [1, 2}"`, /not a JSON object or Python dict/],
      ['"{""a"": true}"', /must be a number or a string/],
    ];
    for (const [cell, re] of cases) {
      const errors = importErrors(`${head}${cell},2026-01-01T00:00:00.000Z\n`);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/^row 2, column 'Sub-network': /);
      expect(errors[0]).toMatch(re);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('requires the Sub-network and Date columns, and warns about unknown ones', () => {
    expect(importErrors('Date,MACs\n2026-01-01T00:00:00.000Z,5\n')[0]).toMatch(/required column 'Sub-network' is missing/);
    expect(importErrors('')).toEqual(['the file is empty']);
    expect(importErrors('Sub-network,Date\n"{""a"":1}",2022-02-31 00:00:00\n')[0]).toMatch(/row 2, column 'Date'/);
    const out = importResultsCsv('Sub-network,Date,Notes\n"{""a"":1}",2026-01-01T00:00:00.000Z,hello\n');
    expect(out.warnings).toEqual(["column 'Notes' is not known and was ignored"]);
    expect(out.records[0]!.metrics).toEqual({ params: 0, macs: 0, bytes: 0 });
  });

  it('stops collecting after maxErrors', () => {
    const lines = ['Sub-network,Date', ...Array.from({ length: 30 }, () => '"{""a"":1}",never')];
    const err = (() => {
      try {
        importResultsCsv(lines.join('\n'), { maxErrors: 5 });
      } catch (e) {
        return e as CsvImportError;
      }
    })();
    expect(err?.errors).toHaveLength(5);
    expect(err?.message).toMatch(/and more/);
  });
});

describe('raced validations that stopped', () => {
  it("write a 'Samples Counted' column only when one stopped, and read it back", () => {
    const records = [rec(0), rec(1, { metrics: { ...rec(1).metrics, stoppedAfter: 175 } }), rec(2)];
    expect(exportResultsCsv([rec(0), rec(2)])).not.toContain('Samples Counted');
    const text = exportResultsCsv(records);
    const lines = text.trim().split('\r\n');
    expect(lines[0]).toMatch(/,ID,Samples Counted$/);
    expect(lines[1]).toMatch(/,0,$/);
    expect(lines[2]).toMatch(/,1,175$/);
    expect(importResultsCsv(text).records).toEqual(records);
    expect(importErrors(text.replace(/,1,175\r\n/, ',1,0.5\r\n'))).toEqual(["row 3, column 'Samples Counted': \"0.5\" is not a whole number"]);
  });
});

describe('smoothed accuracy column', () => {
  it('is written only where smoothed accuracies are given, to four decimals, and not read back', () => {
    const records = [rec(0), rec(1, { metrics: { ...rec(1).metrics, stoppedAfter: 175 } }), rec(2)];
    expect(exportResultsCsv(records)).not.toContain('Smoothed');
    expect(exportResultsCsv(records, { smoothed: new Map() })).not.toContain('Smoothed');
    const heldOut = { time: '2026-11-27T22:00:00.000Z', samples: 8000, accuracy: { 2: 0.9 } };
    const text = exportResultsCsv(records, { smoothed: new Map([[0, 0.912345678], [2, 0.9]]), heldOut });
    const lines = text.trim().split('\r\n');
    // before the held-out columns, so those stay a file's last two but for 'Samples Counted'
    expect(lines[0]).toMatch(/,ID,Smoothed Acc \(%\),Held-out Acc \(%\),Held-out Samples,Samples Counted$/);
    expect(lines[1]).toMatch(/,0,91\.2346,,,$/);
    expect(lines[2]).toMatch(/,1,,,,175$/); // stopped: no smoothed accuracy
    expect(lines[3]).toMatch(/,2,90,90,8000,$/);
    const back = importResultsCsv(text);
    expect(back.records).toEqual(records);
    expect(back.heldOut!.accuracy).toEqual(heldOut.accuracy);
    expect(back.warnings).toEqual([]);
  });
});

describe('held-out check columns', () => {
  const records = [rec(0), rec(1), rec(2), rec(3)];
  const heldOut = { time: '2026-11-27T22:00:00.000Z', samples: 8000, accuracy: { 1: 0.873625, 3: 0.9 } };

  it('are written only for a check that holds results, and read back exactly', () => {
    expect(exportResultsCsv(records)).not.toContain('Held-out');
    expect(exportResultsCsv(records, { heldOut: { ...heldOut, accuracy: {} } })).not.toContain('Held-out');
    const text = exportResultsCsv(records, { heldOut });
    const lines = text.trim().split('\r\n');
    expect(lines[0]).toMatch(/,ID,Held-out Acc \(%\),Held-out Samples$/);
    expect(lines[1]).toMatch(/,0,,$/); // not checked: both cells empty
    expect(lines[2]).toMatch(/,1,87\.3625,8000$/);
    const back = importResultsCsv(text);
    expect(back.records).toEqual(records);
    expect(back.heldOut).toEqual({ ...heldOut, time: back.heldOut!.time });
    expect(importResultsCsv(exportResultsCsv(records)).heldOut).toBeNull();
  });

  it('name the row and column of an inconsistent cell', () => {
    const text = exportResultsCsv(records, { heldOut });
    const lines = text.trim().split('\r\n');
    const edit = (i: number, from: RegExp, to: string) => lines.map((l, j) => (j === i ? l.replace(from, to) : l)).join('\r\n');
    expect(importErrors(edit(2, /,8000$/, ','))).toEqual(["row 3, column 'Held-out Samples': is empty but the row has a held-out accuracy"]);
    expect(importErrors(edit(1, /,,$/, ',,8000'))).toEqual(["row 2, column 'Held-out Acc (%)': is empty but the row has held-out samples"]);
    expect(importErrors(edit(4, /,8000$/, ',2000'))).toEqual(["row 5, column 'Held-out Samples': 2000 differs from row 3's 8000 (one held-out check per file)"]);
    expect(importErrors(edit(2, /87\.3625/, '187'))).toEqual(["row 3, column 'Held-out Acc (%)': \"187\" is outside 0–100"]);
    expect(importErrors(edit(2, /87\.3625/, 'n/a'))).toEqual(["row 3, column 'Held-out Acc (%)': \"n/a\" is not a number"]);
    expect(importErrors(lines.map((l) => l.replace(/,[^,]*$/, '')).join('\r\n'))[0]).toMatch(/'Held-out Acc \(%\)' and 'Held-out Samples' come together/);
  });
});
