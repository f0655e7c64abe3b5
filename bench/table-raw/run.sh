#!/bin/bash
# device run for bench:table (issue #5): exhaustive transformer tables + an mbconv random pool
export PYTHONUNBUFFERED=1
exec > >(tee $OUT/log.txt) 2>&1
date; nvidia-smi -L; nproc
python3 -c "import torch; print('torch', torch.__version__, torch.cuda.is_available(), torch.cuda.get_device_name(0))"
C=bench/out/table-
T="python3 training/table.py"
$T fashion-vit --configs ${C}fashion-vit.configs.jsonl --out $OUT/fashion-vit.jsonl --test10k --fashion-dir .devdata --bits 5000 --check 8 --threads 16 --device cuda --seconds 200
$T text-transformer --configs ${C}text-transformer.configs.jsonl --out $OUT/text-transformer.jsonl --bits 22608 --check 30 --threads 16 --device cuda --seconds 90
$T fashion-mbconv --configs ${C}fashion-mbconv.configs.jsonl --out $OUT/fashion-mbconv.jsonl --test10k --fashion-dir .devdata --bits 5000 --check 5 --threads 16 --device cuda --seconds 100
date; ls -la $OUT
