"""Pure-Python WordPiece: BERT normalisation + pre-tokenisation, vocab training, encoding, and an
HF-compatible tokenizer.json writer.

Normaliser = HF `BertNormalizer(clean_text, handle_chinese_chars, strip_accents, lowercase)`:
drop NUL/U+FFFD/control chars (Unicode C* except \\t\\n\\r), map whitespace to ' ', pad CJK
ideographs with spaces, NFD + drop combining marks (Mn), lowercase.
Pre-tokeniser = `BertPreTokenizer`: split on whitespace, every punctuation char (Unicode P* and
ASCII 33-47, 58-64, 91-96, 123-126) is its own token.
Model = WordPiece greedy longest-match-first with '##' continuation; a word longer than 100
chars or with an unmatchable piece becomes [UNK].
Training = BPE merges over the pre-tokenised words (like HF WordPieceTrainer).
"""
import heapq
import unicodedata
from collections import Counter, defaultdict

SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
PAD, UNK, CLS, SEP, MASK = range(5)


def _is_control(c):
    if c in "\t\n\r":
        return False
    return unicodedata.category(c).startswith("C")


def _is_whitespace(c):
    if c in " \t\n\r":
        return True
    return unicodedata.category(c) == "Zs"


def _is_punct(c):
    cp = ord(c)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(c).startswith("P")


def _is_cjk(cp):
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF
            or 0x2A700 <= cp <= 0x2B73F or 0x2B740 <= cp <= 0x2B81F or 0x2B820 <= cp <= 0x2CEAF
            or 0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F)


def normalize(text):
    out = []
    for c in text:
        cp = ord(c)
        if cp == 0 or cp == 0xFFFD or _is_control(c):
            continue
        if _is_whitespace(c):
            out.append(" ")
        elif _is_cjk(cp):
            out.append(" " + c + " ")
        else:
            out.append(c)
    s = unicodedata.normalize("NFD", "".join(out))
    s = "".join(c for c in s if unicodedata.category(c) != "Mn")
    return s.lower()


def pre_tokenize(text):
    words = []
    cur = []
    for c in text:
        if _is_whitespace(c):
            if cur:
                words.append("".join(cur))
                cur = []
        elif _is_punct(c):
            if cur:
                words.append("".join(cur))
                cur = []
            words.append(c)
        else:
            cur.append(c)
    if cur:
        words.append("".join(cur))
    return words


def words_of(text):
    return pre_tokenize(normalize(text))


def train(texts, vocab_size, min_frequency=2, limit_alphabet=1000):
    counts = Counter()
    for t in texts:
        counts.update(words_of(t))
    words = [w for w, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    freqs = [counts[w] for w in words]
    # alphabet: most frequent characters (HF limit_alphabet); others are dropped -> [UNK] words
    chars = Counter()
    for w, f in zip(words, freqs):
        for c in w:
            chars[c] += f
    alphabet = [c for c, _ in sorted(chars.items(), key=lambda kv: (-kv[1], kv[0]))[:limit_alphabet]]
    aset = set(alphabet)
    vocab = list(SPECIALS)
    seen = set(vocab)

    def add(tok):
        if tok not in seen:
            seen.add(tok)
            vocab.append(tok)

    for c in sorted(alphabet):
        add(c)
    for c in sorted(alphabet):
        add("##" + c)
    seqs = []
    for w in words:
        if all(c in aset for c in w):
            seqs.append([w[0]] + ["##" + c for c in w[1:]])
        else:
            seqs.append([])
    pair_count = defaultdict(int)
    where = defaultdict(set)
    for i, (s, f) in enumerate(zip(seqs, freqs)):
        for a, b in zip(s, s[1:]):
            pair_count[(a, b)] += f
            where[(a, b)].add(i)
    heap = [(-c, a, b) for (a, b), c in pair_count.items()]
    heapq.heapify(heap)
    while len(vocab) < vocab_size and heap:
        negc, a, b = heapq.heappop(heap)
        c = pair_count.get((a, b), 0)
        if c != -negc:
            if c > 0:
                heapq.heappush(heap, (-c, a, b))
            continue
        if c < min_frequency:
            break
        new = a + (b[2:] if b.startswith("##") else b)
        add(new)
        for i in list(where.pop((a, b), ())):
            s, f = seqs[i], freqs[i]
            for x, y in zip(s, s[1:]):
                pair_count[(x, y)] -= f
                where[(x, y)].discard(i)
            j, ns = 0, []
            while j < len(s):
                if j + 1 < len(s) and s[j] == a and s[j + 1] == b:
                    ns.append(new)
                    j += 2
                else:
                    ns.append(s[j])
                    j += 1
            seqs[i] = ns
            touched = set()
            for x, y in zip(ns, ns[1:]):
                pair_count[(x, y)] += f
                where[(x, y)].add(i)
                touched.add((x, y))
            for x, y in touched:
                heapq.heappush(heap, (-pair_count[(x, y)], x, y))
        pair_count.pop((a, b), None)
    return vocab


class WordPiece:
    def __init__(self, vocab, max_length):
        self.vocab = list(vocab)
        self.ids = {t: i for i, t in enumerate(self.vocab)}
        self.max_length = max_length

    def word_ids(self, w):
        if len(w) > 100:
            return [UNK]
        out, start = [], 0
        while start < len(w):
            end = len(w)
            cur = None
            while start < end:
                sub = w[start:end] if start == 0 else "##" + w[start:end]
                if sub in self.ids:
                    cur = self.ids[sub]
                    break
                end -= 1
            if cur is None:
                return [UNK]
            out.append(cur)
            start = end
        return out

    def tokens(self, text):
        ids = []
        for w in words_of(text):
            ids.extend(self.word_ids(w))
        return ids

    def encode(self, text):
        """[CLS] tokens [SEP], truncated (tokens cut to max_length-2) and padded to max_length."""
        ids = self.tokens(text)[: self.max_length - 2]
        ids = [CLS] + ids + [SEP]
        mask = [1] * len(ids) + [0] * (self.max_length - len(ids))
        ids = ids + [PAD] * (self.max_length - len(ids))
        return ids, mask

    def to_json(self):
        added = [{"id": i, "content": t, "single_word": False, "lstrip": False, "rstrip": False,
                  "normalized": False, "special": True} for i, t in enumerate(SPECIALS)]
        return {
            "version": "1.0",
            "truncation": {"direction": "Right", "max_length": self.max_length, "strategy": "LongestFirst", "stride": 0},
            "padding": {"strategy": {"Fixed": self.max_length}, "direction": "Right", "pad_to_multiple_of": None,
                        "pad_id": PAD, "pad_type_id": 0, "pad_token": "[PAD]"},
            "added_tokens": added,
            "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                           "strip_accents": True, "lowercase": True},
            "pre_tokenizer": {"type": "BertPreTokenizer"},
            "post_processor": {
                "type": "TemplateProcessing",
                "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                           {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
                "pair": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                         {"SpecialToken": {"id": "[SEP]", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}},
                         {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
                "special_tokens": {
                    "[CLS]": {"id": "[CLS]", "ids": [CLS], "tokens": ["[CLS]"]},
                    "[SEP]": {"id": "[SEP]", "ids": [SEP], "tokens": ["[SEP]"]},
                },
            },
            "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
            "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                      "max_input_chars_per_word": 100, "vocab": {t: i for i, t in enumerate(self.vocab)}},
        }
