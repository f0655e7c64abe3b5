/**
 * Results as CSV, in DyNAS-T's layout (so existing DyNAS-T tooling and notebooks read our
 * exports, and DyNAS-T result files can be loaded into the explorer).
 *
 * Columns written, in this order:
 *   Sub-network, Date, Model Parameters, Latency (ms), MACs, Top-1 Acc (%)   ← DyNAS-T's six
 *   Model Size (bytes), Latency CV, Iteration, Kind, ID                     ← ours
 * (`SST-2 Acc` replaces `Top-1 Acc (%)` when `accuracyColumn: 'SST-2 Acc'` is passed, as
 * DyNAS-T does for its BERT super-networks.)
 *   Smoothed Acc (%)                                                         ← only with `smoothed`
 * `Smoothed Acc (%)`: a validation's accuracy smoothed by what the experiment's other validations
 * predict (core/experiment/smooth.ts, as the inspector shows it), in percent to four decimals; empty
 * where there is none. Import does not read it back (it is computed again from the results).
 *
 *   Held-out Acc (%), Held-out Samples                                       ← only with `heldOut`
 * These two carry a held-out check (the accuracy of checked results on samples no search saw,
 * Experiment.heldOut): the accuracy in percent where that result was checked, else empty, and
 * the number of samples it is on. Import gives the check back (`heldOut`), keyed by `ID`.
 *
 * - `Sub-network`: the config as compact JSON (`{"ks_0":3,"e_0":4}`), quoted per RFC 4180.
 * - `Date`: the record's ISO time.
 * - Accuracy is written in percent (DyNAS-T's unit); the decimal point is shifted in the
 *   number's text, never by multiplying doubles, so export → import gives back the exact fraction.
 * - Unmeasured metrics (accuracy, latency, latency CV) are written as EMPTY cells, not 0 as
 *   DyNAS-T does: a 0 would read back as a real measurement. On import, an empty cell is
 *   "unmeasured"; in a plain DyNAS-T file (no `ID` column) a 0 latency or accuracy is also read
 *   as unmeasured, following DyNAS-T's convention. Missing params / MACs / bytes read as 0
 *   (the Measurement type requires numbers; DyNAS-T writes 0 for them too).
 * - Numbers are written with JavaScript's shortest round-trip form; lines end in CRLF (RFC 4180);
 *   no BOM (pass `bom: true` for Excel on Windows, which needs it to detect UTF-8).
 *
 * Import accepts our files, plain DyNAS-T files (six columns, `Top-1 Acc (%)` or `SST-2 Acc`),
 * a UTF-8 BOM, CRLF / LF / CR line ends, quoted fields with commas, quotes and newlines.
 * DyNAS-T's `Sub-network` cells are Python dict reprs (`{'wid': None, 'ks': [3, 5], 'r': [224]}`):
 * they are read too, lists flattened to `name_index` variables (`ks_0`, `ks_1`, `r_0`; the
 * naming our super-network packages use) and `None` entries dropped. DyNAS-T's dates
 * (`2022-05-20 14:33:12.123456`, local time without zone) are read as UTC.
 *
 *   Samples Counted                                                          ← only when a raced validation stopped
 * `Samples Counted`: for a raced validation that stopped (ExperimentSettings.raceValidations),
 * the validation samples it counted; its accuracy is then an estimate. Empty for the rest.
 *
 * Errors name the row and column; row numbers are those a spreadsheet shows (header = row 1).
 */
import type { Config } from '../search';
import type { HeldOutCheck, ResultRecord, Measurement } from './types';

export const DYNAST_COLUMNS = ['Sub-network', 'Date', 'Model Parameters', 'Latency (ms)', 'MACs', 'Top-1 Acc (%)'] as const;
export const EXTRA_COLUMNS = ['Model Size (bytes)', 'Latency CV', 'Iteration', 'Kind', 'ID'] as const;
export const HELD_OUT_COLUMNS = ['Held-out Acc (%)', 'Held-out Samples'] as const;
export const STOPPED_COLUMN = 'Samples Counted';
export const SMOOTHED_COLUMN = 'Smoothed Acc (%)';
export type AccuracyColumn = 'Top-1 Acc (%)' | 'SST-2 Acc';

export interface CsvExportOptions {
  /** Header of the accuracy column (default `Top-1 Acc (%)`; DyNAS-T uses `SST-2 Acc` for BERT). */
  accuracyColumn?: AccuracyColumn;
  /** Start with a UTF-8 byte order mark (helps Excel on Windows). Default false. */
  bom?: boolean;
  /** A held-out check of these results: adds the two held-out columns when it holds any result. */
  heldOut?: HeldOutCheck | null;
  /** Smoothed accuracies (record id → fraction; core/experiment/smooth.ts): adds `Smoothed Acc (%)` when it holds any. */
  smoothed?: ReadonlyMap<number, number> | null;
}

export interface CsvImportOptions {
  /** Checks a config against the search space: an error message, or null when it fits. */
  checkConfig?: (config: Config) => string | null;
  /** Stop collecting errors after this many (default 20). */
  maxErrors?: number;
}

export interface CsvImportResult {
  records: ResultRecord[];
  /** `explorer`: a file we wrote (has the `ID` column); `dynast`: a plain DyNAS-T file. */
  format: 'explorer' | 'dynast';
  /** Non-fatal notes, e.g. ignored unknown columns. */
  warnings: string[];
  /** The held-out check the file carries (its `time` is the import's), or null. */
  heldOut: HeldOutCheck | null;
}

/** Thrown by importResultsCsv; `errors` lists every problem found (up to maxErrors). */
export class CsvImportError extends Error {
  readonly errors: string[];
  constructor(errors: string[], more: boolean) {
    const shown = errors.slice(0, 5).join('\n');
    const rest = errors.length > 5 ? `\n… and ${errors.length - 5}${more ? '+' : ''} more` : more ? '\n… and more' : '';
    super(`Could not import the CSV:\n${shown}${rest}`);
    this.name = 'CsvImportError';
    this.errors = errors;
  }
}

// ---------------------------------------------------------------------------------------------
// RFC 4180 writing and reading

/** One CSV field: quoted when it holds a comma, quote, CR, LF or leading/trailing space. */
export function csvField(s: string): string {
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Parses CSV text into rows of fields (RFC 4180; also LF and lone CR line ends; a leading BOM
 * is skipped). Throws on an unterminated quoted field or text after a closing quote.
 * Blank lines are returned as `[""]`.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  let row: string[] = [];
  let line = 1;
  if (i >= n) return rows;
  for (;;) {
    // one field
    let field: string;
    if (text[i] === '"') {
      const startLine = line;
      let buf = '';
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) throw new Error(`line ${startLine}: quoted field is not closed`);
        const chunk = text.slice(i, q);
        buf += chunk;
        for (let k = 0; k < chunk.length; k++) if (chunk.charCodeAt(k) === 10) line++;
        if (text[q + 1] === '"') {
          buf += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      field = buf;
      if (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
        throw new Error(`line ${line}: unexpected text after a closing quote`);
      }
    } else {
      let j = i;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === 44 || c === 10 || c === 13) break;
        j++;
      }
      field = text.slice(i, j);
      i = j;
    }
    row.push(field);
    if (i >= n) {
      rows.push(row);
      break;
    }
    const c = text[i];
    if (c === ',') {
      i++;
      if (i >= n) {
        row.push('');
        rows.push(row);
        break;
      }
      continue;
    }
    // line end: \r\n, \n or \r
    i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
    line++;
    rows.push(row);
    row = [];
    if (i >= n) break;
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Exact decimal shifting (percent ↔ fraction without floating-point error)

const NUMBER_RE = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * Multiplies the decimal number written in `s` by 10^k exactly, in text. Returns a plain
 * decimal string (or e-notation for very large/small magnitudes); null if `s` is not a number.
 */
export function shiftDecimal(s: string, k: number): string | null {
  const m = NUMBER_RE.exec(s.trim());
  if (!m) return null;
  const [, sign, intPart = '', fracPart = '', expPart] = m;
  if (intPart === '' && fracPart === '') return null;
  let digits = intPart + fracPart;
  // value = 0.digits × 10^point
  let point = intPart.length + (expPart ? parseInt(expPart, 10) : 0) + k;
  const lead = digits.search(/[1-9]/);
  if (lead < 0) return '0';
  digits = digits.slice(lead).replace(/0+$/, '');
  point -= lead;
  const neg = sign === '-' ? '-' : '';
  if (point > 21 || point < -6) return `${neg}${digits[0]}${digits.length > 1 ? '.' + digits.slice(1) : ''}e${point - 1}`;
  if (point <= 0) return `${neg}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${neg}${digits}${'0'.repeat(point - digits.length)}`;
  return `${neg}${digits.slice(0, point)}.${digits.slice(point)}`;
}

// ---------------------------------------------------------------------------------------------
// Export

const num = (x: number | undefined): string => (x == null || !Number.isFinite(x) ? '' : String(x));

/** A smoothed accuracy (fraction) in percent to four decimals; empty for none. */
const smoothedCell = (a: number | undefined): string => (a === undefined || !Number.isFinite(a) ? '' : String(Math.round(a * 1e6) / 1e4));

/** CSV text of the records, in the order given (see the module comment for the format). */
export function exportResultsCsv(records: readonly ResultRecord[], options: CsvExportOptions = {}): string {
  const accCol = options.accuracyColumn ?? 'Top-1 Acc (%)';
  const held = options.heldOut && Object.keys(options.heldOut.accuracy).length ? options.heldOut : null;
  const stopped = records.some((r) => r.metrics.stoppedAfter !== undefined);
  const smoothed = options.smoothed?.size ? options.smoothed : null;
  const header = [...DYNAST_COLUMNS.slice(0, 5), accCol, ...EXTRA_COLUMNS, ...(smoothed ? [SMOOTHED_COLUMN] : []), ...(held ? HELD_OUT_COLUMNS : []), ...(stopped ? [STOPPED_COLUMN] : [])];
  const lines = [header.map(csvField).join(',')];
  for (const r of records) {
    const h = held?.accuracy[r.id];
    const heldCells = !held ? [] : h === undefined || !Number.isFinite(h) ? ['', ''] : [shiftDecimal(String(h), 2)!, String(held.samples)];
    const m = r.metrics;
    const acc = m.accuracy == null || !Number.isFinite(m.accuracy) ? '' : shiftDecimal(String(m.accuracy), 2)!;
    lines.push(
      [
        JSON.stringify(r.config),
        r.time,
        num(m.params),
        num(m.latencyMs),
        num(m.macs),
        acc,
        num(m.bytes),
        num(m.latencyCv),
        String(r.iteration),
        r.kind,
        String(r.id),
        ...(smoothed ? [smoothedCell(smoothed.get(r.id))] : []),
        ...heldCells,
        ...(stopped ? [num(m.stoppedAfter)] : []),
      ]
        .map(csvField)
        .join(','),
    );
  }
  return (options.bom ? '\ufeff' : '') + lines.join('\r\n') + '\r\n';
}

// ---------------------------------------------------------------------------------------------
// Import

type ColumnKey = 'config' | 'date' | 'params' | 'latency' | 'macs' | 'top1' | 'sst2' | 'bytes' | 'cv' | 'iteration' | 'kind' | 'id' | 'heldAcc' | 'heldSamples' | 'counted' | 'smoothed';

const HEADERS: Record<string, ColumnKey> = {
  'sub-network': 'config',
  date: 'date',
  'model parameters': 'params',
  'latency (ms)': 'latency',
  macs: 'macs',
  'top-1 acc (%)': 'top1',
  'sst-2 acc': 'sst2',
  'model size (bytes)': 'bytes',
  'latency cv': 'cv',
  iteration: 'iteration',
  kind: 'kind',
  id: 'id',
  'held-out acc (%)': 'heldAcc',
  'held-out samples': 'heldSamples',
  'samples counted': 'counted',
  // known, and not read back: computed again from the results
  'smoothed acc (%)': 'smoothed',
};

const PY_DATE = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/;

/** ISO time of a date cell: ISO 8601 (with zone) or DyNAS-T's `YYYY-MM-DD HH:MM:SS[.ffffff]` (as UTC). */
function parseDate(s: string): string | null {
  const py = PY_DATE.exec(s);
  if (py) {
    const [, Y, Mo, D, h, mi, sec, frac = ''] = py;
    const ms = Number((frac + '000').slice(0, 3));
    const t = Date.UTC(+Y!, +Mo! - 1, +D!, +h!, +mi!, +sec!, ms);
    const d = new Date(t);
    // reject 2022-02-31 and friends (Date.UTC would roll them over)
    if (Number.isNaN(t) || d.getUTCDate() !== +D! || d.getUTCMonth() !== +Mo! - 1 || +h! > 23 || +mi! > 59 || +sec! > 59) return null;
    return d.toISOString();
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(s)) return null;
  const t = Date.parse(s);
  if (Number.isNaN(t)) return null;
  // keep our own canonical ISO strings byte-for-byte
  const iso = new Date(t).toISOString();
  return iso === s ? s : iso;
}

/**
 * Reads a Python literal as DyNAS-T writes it with str(dict): dicts, lists, tuples, ints,
 * floats, strings in single or double quotes, None, True, False. Returns undefined on error.
 */
function parsePythonLiteral(src: string): unknown {
  let i = 0;
  const ws = () => {
    while (i < src.length && /\s/.test(src[i]!)) i++;
  };
  const fail = (): never => {
    throw new SyntaxError(`unexpected ${i < src.length ? JSON.stringify(src[i]) : 'end'} at character ${i + 1}`);
  };
  const value = (): unknown => {
    ws();
    const c = src[i];
    if (c === '{') {
      i++;
      const out: Record<string, unknown> = {};
      ws();
      if (src[i] === '}') return i++, out;
      for (;;) {
        const k = value();
        if (typeof k !== 'string' && typeof k !== 'number') fail();
        ws();
        if (src[i] !== ':') fail();
        i++;
        const v = value();
        const key = String(k);
        if (key === '__proto__') throw new SyntaxError('key "__proto__" is not allowed');
        out[key] = v;
        ws();
        if (src[i] === ',') {
          i++;
          ws();
          if (src[i] === '}') return i++, out;
          continue;
        }
        if (src[i] === '}') return i++, out;
        fail();
      }
    }
    if (c === '[' || c === '(') {
      const close = c === '[' ? ']' : ')';
      i++;
      const out: unknown[] = [];
      ws();
      if (src[i] === close) return i++, out;
      for (;;) {
        out.push(value());
        ws();
        if (src[i] === ',') {
          i++;
          ws();
          if (src[i] === close) return i++, out;
          continue;
        }
        if (src[i] === close) return i++, out;
        fail();
      }
    }
    if (c === "'" || c === '"') {
      i++;
      let s = '';
      while (i < src.length && src[i] !== c) {
        if (src[i] === '\\') {
          const e = src[i + 1];
          const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"' };
          if (e === undefined || !(e in map)) fail();
          s += map[e!];
          i += 2;
        } else s += src[i++];
      }
      if (src[i] !== c) fail();
      i++;
      return s;
    }
    const m = /^(None|True|False|[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)/.exec(src.slice(i, i + 64));
    if (!m) return fail();
    i += m[0].length;
    if (m[0] === 'None') return null;
    if (m[0] === 'True') return true;
    if (m[0] === 'False') return false;
    return Number(m[0]);
  };
  try {
    const v = value();
    ws();
    if (i !== src.length) fail();
    return v;
  } catch (e) {
    return e instanceof Error ? e : new SyntaxError(String(e));
  }
}

/** Config of a `Sub-network` cell (JSON, or a DyNAS-T Python dict), or an error message. */
function parseConfig(cell: string): Config | string {
  const s = cell.trim();
  if (!s.startsWith('{')) return 'expected a {variable: value} object';
  let raw: unknown;
  try {
    raw = JSON.parse(s);
  } catch {
    raw = parsePythonLiteral(s);
    if (raw instanceof Error) return `not a JSON object or Python dict (${raw.message})`;
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'expected a {variable: value} object';
  const out: Config = {};
  const put = (name: string, v: unknown): string | null => {
    if (name === '' || name === '__proto__') return `variable name ${JSON.stringify(name)} is not allowed`;
    if (Object.prototype.hasOwnProperty.call(out, name)) return `variable "${name}" appears twice`;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) return `variable "${name}" is not a finite number`;
    } else if (typeof v !== 'string') return `variable "${name}" must be a number or a string, not ${JSON.stringify(v)}`;
    out[name] = v;
    return null;
  };
  for (const [k, v] of Object.entries(raw)) {
    if (v === null) continue; // DyNAS-T's {'wid': None}
    if (Array.isArray(v)) {
      for (let j = 0; j < v.length; j++) {
        const err = put(`${k}_${j}`, v[j]);
        if (err) return err;
      }
      continue;
    }
    const err = put(k, v);
    if (err) return err;
  }
  return out;
}

/**
 * Parses a CSV written by exportResultsCsv or by DyNAS-T. All-or-nothing: throws
 * CsvImportError listing every problem (up to maxErrors) if any row is invalid.
 */
export function importResultsCsv(text: string, options: CsvImportOptions = {}): CsvImportResult {
  const maxErrors = options.maxErrors ?? 20;
  let rows: string[][];
  try {
    rows = parseCsv(text);
  } catch (e) {
    throw new CsvImportError([`not a valid CSV file: ${(e as Error).message}`], false);
  }
  // rows[k] is spreadsheet row k + 1 (a quoted field spanning lines stays one row, as in a spreadsheet)
  const isBlank = (r: string[]) => r.length === 1 && r[0]!.trim() === '';
  const headerIdx = rows.findIndex((r) => !isBlank(r));
  if (headerIdx < 0) throw new CsvImportError(['the file is empty'], false);
  const header = rows[headerIdx]!.map((h) => h.trim());
  const cols = new Map<ColumnKey, number>();
  const warnings: string[] = [];
  const errors: string[] = [];
  header.forEach((h, j) => {
    const key = HEADERS[h.toLowerCase()];
    if (!key) {
      warnings.push(`column '${h}' is not known and was ignored`);
      return;
    }
    if (cols.has(key)) errors.push(`row ${headerIdx + 1}: column '${h}' appears twice`);
    cols.set(key, j);
  });
  if (cols.has('heldAcc') !== cols.has('heldSamples')) errors.push(`row ${headerIdx + 1}: 'Held-out Acc (%)' and 'Held-out Samples' come together; one of them is missing`);
  if (cols.has('heldAcc') && !cols.has('id')) errors.push(`row ${headerIdx + 1}: held-out columns need the 'ID' column`);
  if (cols.has('top1') && cols.has('sst2')) errors.push(`row ${headerIdx + 1}: both 'Top-1 Acc (%)' and 'SST-2 Acc' columns are present; keep one`);
  for (const need of ['config', 'date'] as const) {
    if (!cols.has(need)) errors.push(`row ${headerIdx + 1}: the required column '${need === 'config' ? 'Sub-network' : 'Date'}' is missing (columns found: ${header.map((h) => `'${h}'`).join(', ')})`);
  }
  if (errors.length) throw new CsvImportError(errors, false);

  const format: CsvImportResult['format'] = cols.has('id') ? 'explorer' : 'dynast';
  const accKey: ColumnKey | undefined = cols.has('top1') ? 'top1' : cols.has('sst2') ? 'sst2' : undefined;

  // SST-2 Acc: DyNAS-T's BERT runs may write a fraction or a percent; decide once per file.
  let sst2Fraction = false;
  if (accKey === 'sst2') {
    const j = cols.get('sst2')!;
    const xs = rows
      .slice(headerIdx + 1)
      .map((r) => ((r[j] ?? '').trim() === '' ? NaN : Number(r[j]!.trim())))
      .filter(Number.isFinite);
    sst2Fraction = xs.length > 0 && xs.every((x) => x <= 1) && xs.some((x) => x > 0);
    if (sst2Fraction) warnings.push("'SST-2 Acc' values are all ≤ 1 and were read as fractions (not percent)");
  }

  const records: ResultRecord[] = [];
  const heldAccuracy: Record<number, number> = {};
  let heldSamples: { n: number; row: number } | null = null;
  const seenIds = new Map<number, number>();
  let more = false;
  const add = (msg: string): boolean => {
    if (errors.length >= maxErrors) {
      more = true;
      return false;
    }
    errors.push(msg);
    return true;
  };

  for (let ri = headerIdx + 1; ri < rows.length; ri++) {
    const row = rows[ri]!;
    if (isBlank(row)) continue;
    if (more) break;
    const rowNo = ri + 1;
    const at = (col: string) => `row ${rowNo}, column '${col}'`;
    if (row.length !== header.length) {
      add(`row ${rowNo}: has ${row.length} fields, the header has ${header.length}`);
      continue;
    }
    const cell = (k: ColumnKey): string | undefined => {
      const j = cols.get(k);
      return j === undefined ? undefined : row[j]!.trim();
    };
    const colName = (k: ColumnKey) => header[cols.get(k)!]!;
    let ok = true;
    const bad = (k: ColumnKey, msg: string) => {
      ok = false;
      add(`${at(colName(k))}: ${msg}`);
    };
    /** Optional number: undefined when the column is absent or the cell is empty. */
    const number = (k: ColumnKey, opts: { integer?: boolean; min?: number } = {}): number | undefined => {
      const s = cell(k);
      if (s === undefined || s === '') return undefined;
      const x = NUMBER_RE.test(s) && /\d/.test(s) ? Number(s) : NaN;
      if (!Number.isFinite(x)) return bad(k, `${JSON.stringify(s)} is not a number`), undefined;
      if (opts.integer && !Number.isInteger(x)) return bad(k, `${JSON.stringify(s)} is not a whole number`), undefined;
      if (opts.min !== undefined && x < opts.min) return bad(k, `${JSON.stringify(s)} must be ≥ ${opts.min}`), undefined;
      return x;
    };

    const cfgCell = cell('config')!;
    let config: Config = {};
    const parsed = parseConfig(cfgCell);
    if (typeof parsed === 'string') bad('config', parsed);
    else {
      config = parsed;
      const msg = options.checkConfig?.(config);
      if (msg) bad('config', msg);
    }

    const dateCell = cell('date')!;
    const time = parseDate(dateCell);
    if (time === null) bad('date', `${JSON.stringify(dateCell)} is not a date (expected ISO 8601 like 2026-01-31T12:00:00.000Z or DyNAS-T's 2026-01-31 12:00:00.123456)`);

    const params = number('params', { min: 0 }) ?? 0;
    const macs = number('macs', { min: 0 }) ?? 0;
    const bytes = number('bytes', { min: 0 }) ?? 0;
    let latencyMs = number('latency', { min: 0 });
    const latencyCv = number('cv', { min: 0 });
    const stoppedAfter = number('counted', { integer: true, min: 1 });
    let accuracy: number | undefined;
    if (accKey) {
      const pct = number(accKey);
      if (pct !== undefined) {
        const s = cell(accKey)!;
        accuracy = accKey === 'sst2' && sst2Fraction ? pct : Number(shiftDecimal(s, -2));
        if (accuracy < 0 || accuracy > 1) {
          bad(accKey, `${JSON.stringify(s)} is outside 0–${accKey === 'sst2' && sst2Fraction ? '1' : '100'}`);
          accuracy = undefined;
        }
      }
    }
    if (format === 'dynast') {
      // DyNAS-T writes 0 for what it did not measure
      if (latencyMs === 0) latencyMs = undefined;
      if (accuracy === 0) accuracy = undefined;
    }

    const iteration = number('iteration', { integer: true, min: 0 }) ?? 0;
    let kind: ResultRecord['kind'] = 'validated';
    const kindCell = cell('kind');
    if (kindCell !== undefined && kindCell !== '') {
      if (kindCell === 'validated' || kindCell === 'predicted') kind = kindCell;
      else bad('kind', `${JSON.stringify(kindCell)} must be 'validated' or 'predicted'`);
    }
    let id = records.length;
    if (format === 'explorer') {
      const s = cell('id');
      if (s === '') bad('id', 'is empty');
      else {
        const x = number('id', { integer: true, min: 0 });
        if (x !== undefined) {
          const prev = seenIds.get(x);
          if (prev !== undefined) bad('id', `${x} is also the ID of row ${prev}`);
          else seenIds.set(x, rowNo);
          id = x;
        }
      }
    }
    // held-out check: both cells or neither; one sample count for the whole file
    const hPct = number('heldAcc');
    const hN = number('heldSamples', { integer: true, min: 1 });
    const hAccCell = cell('heldAcc') ?? '';
    const hNCell = cell('heldSamples') ?? '';
    let held: number | undefined;
    if (hAccCell !== '' || hNCell !== '') {
      if (hAccCell === '') bad('heldAcc', 'is empty but the row has held-out samples');
      else if (hNCell === '') bad('heldSamples', 'is empty but the row has a held-out accuracy');
      else if (hPct !== undefined && hN !== undefined) {
        held = Number(shiftDecimal(cell('heldAcc')!, -2));
        if (held < 0 || held > 1) bad('heldAcc', `${JSON.stringify(cell('heldAcc'))} is outside 0–100`);
        if (heldSamples && heldSamples.n !== hN) bad('heldSamples', `${hN} differs from row ${heldSamples.row}'s ${heldSamples.n} (one held-out check per file)`);
        else heldSamples ??= { n: hN, row: rowNo };
      }
    }
    if (!ok) continue;
    if (held !== undefined) heldAccuracy[id] = held;
    const metrics: Measurement = { params, macs, bytes };
    if (accuracy !== undefined) metrics.accuracy = accuracy;
    if (latencyMs !== undefined) metrics.latencyMs = latencyMs;
    if (latencyCv !== undefined) metrics.latencyCv = latencyCv;
    if (stoppedAfter !== undefined) metrics.stoppedAfter = stoppedAfter;
    records.push({ id, iteration, config, metrics, kind, time: time! });
  }
  if (errors.length) throw new CsvImportError(errors, more);
  if (records.length === 0) warnings.push('the file has a header but no results');
  const heldOut = heldSamples ? { time: new Date().toISOString(), samples: heldSamples.n, accuracy: heldAccuracy } : null;
  return { records, format, warnings, heldOut };
}
