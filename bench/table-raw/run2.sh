#!/bin/bash
# second device run: the rest of the transformer tables, 7 processes per package sharing the GPU
export PYTHONUNBUFFERED=1
exec > >(tee $OUT/log2.txt) 2>&1
date
C=bench/out/table-
for i in 0 1 2 3 4 5 6; do
  python3 training/table.py fashion-vit --configs ${C}fashion-vit.configs.jsonl --out /tmp/vit-$i.jsonl --test10k --fashion-dir .devdata --skip 9739 --shard $i/7 --threads 1 --device cuda --seconds 190 &
  python3 training/table.py text-transformer --configs ${C}text-transformer.configs.jsonl --out /tmp/text-$i.jsonl --skip 3360 --shard $i/7 --threads 1 --device cuda --seconds 190 &
done
wait
cat /tmp/vit-*.jsonl > $OUT/fashion-vit-2.jsonl; cat /tmp/text-*.jsonl > $OUT/text-transformer-2.jsonl
wc -l $OUT/*.jsonl; date
