/**
 * A faithful re-implementation of the Hugging Face `tokenizers` components a BERT WordPiece
 * tokenizer.json uses: normalizers BertNormalizer / Lowercase / StripAccents / NFD / NFC / NFKC /
 * NFKD / Strip / Sequence, pre-tokenizers BertPreTokenizer / Whitespace / WhitespaceSplit /
 * Punctuation / Sequence, model WordPiece, post-processors BertProcessing / TemplateProcessing,
 * added special tokens. Unknown components raise an error naming them.
 */

interface Json { [k: string]: any } // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Encoding {
  ids: number[];
  attentionMask: number[];
  tokens: string[];
}

const isControl = (c: string): boolean => {
  if (c === '\t' || c === '\n' || c === '\r') return false;
  return /\p{Cc}|\p{Cf}|\p{Cn}|\p{Co}/u.test(c);
};
// tokenizers' is_whitespace: \t \n \r or Unicode White_Space
const isWhitespace = (c: string): boolean => /\p{White_Space}/u.test(c);
const isChinese = (cp: number): boolean =>
  (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x20000 && cp <= 0x2a6df) ||
  (cp >= 0x2a700 && cp <= 0x2b73f) || (cp >= 0x2b740 && cp <= 0x2b81f) || (cp >= 0x2b920 && cp <= 0x2ceaf) ||
  (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x2f800 && cp <= 0x2fa1f);
const isBertPunc = (c: string): boolean => {
  const cp = c.codePointAt(0)!;
  if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) return true;
  return /\p{P}/u.test(c);
};
const stripAccents = (s: string): string => s.normalize('NFD').replace(/\p{Mn}/gu, '');

type Normalizer = (s: string) => string;
type PreTokenizer = (words: string[]) => string[];

function makeNormalizer(n: Json | null): Normalizer {
  if (!n) return (s) => s;
  switch (n.type) {
    case 'BertNormalizer': {
      const clean = n.clean_text ?? true;
      const chinese = n.handle_chinese_chars ?? true;
      const lower = n.lowercase ?? true;
      const strip = n.strip_accents ?? lower;
      return (s) => {
        let out = '';
        for (const c of s) {
          if (clean) {
            const cp = c.codePointAt(0)!;
            if (cp === 0 || cp === 0xfffd || isControl(c)) continue;
            if (isWhitespace(c)) {
              out += ' ';
              continue;
            }
          }
          if (chinese && isChinese(c.codePointAt(0)!)) out += ` ${c} `;
          else out += c;
        }
        if (strip) out = stripAccents(out);
        if (lower) out = out.toLowerCase();
        return out;
      };
    }
    case 'Lowercase': return (s) => s.toLowerCase();
    case 'StripAccents': return (s) => s.replace(/\p{Mn}/gu, '');
    case 'NFD': case 'NFC': case 'NFKC': case 'NFKD': return (s) => s.normalize(n.type);
    case 'Strip': return (s) => {
      let r = s;
      if (n.strip_left ?? true) r = r.replace(/^\s+/u, '');
      if (n.strip_right ?? true) r = r.replace(/\s+$/u, '');
      return r;
    };
    case 'Sequence': {
      const fs = (n.normalizers as Json[]).map(makeNormalizer);
      return (s) => fs.reduce((acc, f) => f(acc), s);
    }
    default: throw new Error(`tokenizer.json: normalizer "${n.type}" is not supported`);
  }
}

/** Splits on whitespace (removed) and isolates every punctuation character (BertPreTokenizer). */
function bertSplit(s: string, punct: (c: string) => boolean): string[] {
  const out: string[] = [];
  let cur = '';
  for (const c of s) {
    if (isWhitespace(c)) {
      if (cur) out.push(cur);
      cur = '';
    } else if (punct(c)) {
      if (cur) out.push(cur);
      out.push(c);
      cur = '';
    } else cur += c;
  }
  if (cur) out.push(cur);
  return out;
}

function makePreTokenizer(p: Json | null): PreTokenizer {
  if (!p) return (w) => w;
  switch (p.type) {
    case 'BertPreTokenizer': return (ws) => ws.flatMap((w) => bertSplit(w, isBertPunc));
    case 'WhitespaceSplit': return (ws) => ws.flatMap((w) => w.split(/\s+/u).filter(Boolean));
    case 'Whitespace': return (ws) => ws.flatMap((w) => w.match(/\w+|[^\w\s]+/gu) ?? []);
    case 'Punctuation': {
      if ((p.behavior ?? 'Isolated') !== 'Isolated') throw new Error(`tokenizer.json: Punctuation behavior "${p.behavior}" is not supported`);
      return (ws) => ws.flatMap((w) => {
        const out: string[] = [];
        let cur = '';
        for (const c of w) {
          if (isBertPunc(c)) {
            if (cur) out.push(cur);
            out.push(c);
            cur = '';
          } else cur += c;
        }
        if (cur) out.push(cur);
        return out;
      });
    }
    case 'Sequence': {
      const fs = (p.pretokenizers as Json[]).map(makePreTokenizer);
      return (ws) => fs.reduce((acc, f) => f(acc), ws);
    }
    default: throw new Error(`tokenizer.json: pre-tokenizer "${p.type}" is not supported`);
  }
}

export class WordPieceTokenizer {
  readonly vocab: Map<string, number>;
  private readonly unk: string;
  private readonly prefix: string;
  private readonly maxChars: number;
  private readonly normalize: Normalizer;
  private readonly preTokenize: PreTokenizer;
  private readonly special: { token: string; id: number }[];
  private readonly clsId: number;
  private readonly sepId: number;
  private readonly cls: string;
  private readonly sep: string;
  readonly padId: number;
  readonly padToken: string;

  constructor(json: Json) {
    const m = json.model;
    if (!m || m.type !== 'WordPiece') throw new Error(`tokenizer.json: model "${m?.type}" is not supported (WordPiece only)`);
    this.vocab = new Map(Object.entries(m.vocab as Record<string, number>));
    this.unk = m.unk_token ?? '[UNK]';
    this.prefix = m.continuing_subword_prefix ?? '##';
    this.maxChars = m.max_input_chars_per_word ?? 100;
    this.normalize = makeNormalizer(json.normalizer ?? null);
    this.preTokenize = makePreTokenizer(json.pre_tokenizer ?? null);
    this.special = ((json.added_tokens ?? []) as Json[]).filter((t) => t.special).map((t) => ({ token: t.content, id: t.id }));
    const pp = json.post_processor;
    if (pp && pp.type === 'BertProcessing') {
      [this.sep, this.sepId] = pp.sep;
      [this.cls, this.clsId] = pp.cls;
    } else if (pp && pp.type === 'TemplateProcessing') {
      const single = (pp.single as Json[]).map((x) => x.SpecialToken?.id ?? (x.Sequence ? '$A' : '?'));
      if (single.length !== 3 || single[1] !== '$A') throw new Error(`tokenizer.json: TemplateProcessing template ${JSON.stringify(single)} is not supported (expects CLS $A SEP)`);
      this.cls = single[0];
      this.sep = single[2];
      this.clsId = pp.special_tokens[this.cls].ids[0];
      this.sepId = pp.special_tokens[this.sep].ids[0];
    } else if (!pp) {
      this.cls = '[CLS]';
      this.sep = '[SEP]';
      this.clsId = this.id('[CLS]');
      this.sepId = this.id('[SEP]');
    } else throw new Error(`tokenizer.json: post-processor "${pp.type}" is not supported`);
    this.padToken = json.padding?.pad_token ?? '[PAD]';
    this.padId = json.padding?.pad_id ?? this.vocab.get(this.padToken) ?? 0;
  }

  private id(tok: string): number {
    const i = this.vocab.get(tok);
    if (i === undefined) throw new Error(`tokenizer.json: token ${tok} missing from the vocabulary`);
    return i;
  }

  /** WordPiece of one pre-token: greedy longest-match-first; an unmatchable word becomes [UNK]. */
  private wordpiece(word: string): string[] {
    const chars = [...word];
    if (chars.length > this.maxChars) return [this.unk];
    const out: string[] = [];
    let start = 0;
    while (start < chars.length) {
      let end = chars.length;
      let found: string | null = null;
      while (start < end) {
        let sub = chars.slice(start, end).join('');
        if (start > 0) sub = this.prefix + sub;
        if (this.vocab.has(sub)) {
          found = sub;
          break;
        }
        end--;
      }
      if (found === null) return [this.unk];
      out.push(found);
      start = end;
    }
    return out;
  }

  /** Tokens of a text without special tokens (added special tokens in the text are kept whole). */
  tokenize(text: string): string[] {
    // split out added special tokens first (they are matched on the raw text)
    const pieces: { text: string; special: boolean }[] = [];
    if (this.special.length) {
      const re = new RegExp(this.special.map((s) => s.token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
      let last = 0;
      for (const m of text.matchAll(re)) {
        if (m.index! > last) pieces.push({ text: text.slice(last, m.index), special: false });
        pieces.push({ text: m[0], special: true });
        last = m.index! + m[0].length;
      }
      if (last < text.length) pieces.push({ text: text.slice(last), special: false });
    } else pieces.push({ text, special: false });
    const out: string[] = [];
    for (const p of pieces) {
      if (p.special) {
        out.push(p.text);
        continue;
      }
      for (const w of this.preTokenize([this.normalize(p.text)])) out.push(...this.wordpiece(w));
    }
    return out;
  }

  /** `[CLS] tokens [SEP]`, truncated to maxLength (special tokens included) and padded with [PAD]. */
  encode(text: string, maxLength: number): Encoding {
    const toks = this.tokenize(text).slice(0, Math.max(0, maxLength - 2));
    const tokens = [this.cls, ...toks, this.sep];
    const ids = tokens.map((t) => this.vocab.get(t) ?? (t === this.cls ? this.clsId : t === this.sep ? this.sepId : this.id(this.unk)));
    const attentionMask = ids.map(() => 1);
    while (ids.length < maxLength) {
      ids.push(this.padId);
      attentionMask.push(0);
      tokens.push(this.padToken);
    }
    return { ids, attentionMask, tokens };
  }
}

export function parseTokenizer(bytes: Uint8Array | string): WordPieceTokenizer {
  const text = typeof bytes === 'string' ? bytes : new TextDecoder().decode(bytes);
  return new WordPieceTokenizer(JSON.parse(text));
}
