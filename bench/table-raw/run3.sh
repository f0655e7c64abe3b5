#!/bin/bash
# stop 16 device run: the rest of the fashion-vit table (10,000 images) + more of mbconv's random pool
export PYTHONUNBUFFERED=1
exec > >(tee $OUT/log3.txt) 2>&1
date; nvidia-smi -L; nproc
python3 -c "import torch; print('torch', torch.__version__, torch.cuda.is_available())"
C=bench/out/table-
D=bench/table-raw/fashion-vit.jsonl,bench/table-raw/fashion-vit-2.jsonl
for i in 0 1 2 3 4 5 6 7 8 9; do
  python3 training/table.py fashion-vit --configs ${C}fashion-vit.configs.jsonl --out /tmp/vit-$i.jsonl --test10k --fashion-dir .devdata --done $D --shard $i/10 --threads 1 --device cuda --seconds 320 > /tmp/vit-$i.log 2>&1 &
done
for i in 0 1 2 3 4; do
  python3 training/table.py fashion-mbconv --configs ${C}fashion-mbconv-20k.configs.jsonl --out /tmp/mb-$i.jsonl --test10k --fashion-dir .devdata --skip 2491 --shard $i/5 --threads 1 --device cuda --seconds 320 > /tmp/mb-$i.log 2>&1 &
done
sleep 60; wc -l /tmp/vit-*.jsonl /tmp/mb-*.jsonl | tail -20
wait
date
for f in /tmp/vit-*.log /tmp/mb-*.log; do echo "== $f"; tail -3 $f; done
cat /tmp/vit-*.jsonl > $OUT/fashion-vit-3.jsonl; cat /tmp/mb-*.jsonl > $OUT/fashion-mbconv-2.jsonl
wc -l $OUT/*.jsonl; date
