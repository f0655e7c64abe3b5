/**
 * npm run export -- --supernet <name|folder> --config <json|file|largest|smallest|random> [--seed N] --out sub.onnx
 * Writes the standalone ONNX of one sub-network (BN recalibrated for mbconv).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { modelRunner } from '../src/core/eval/runtime';
import { largestConfig, randomConfig, smallestConfig } from '../src/core/supernets/space';
import type { Config } from '../src/core/supernets/types';
import { loadFromDisk, nodeRuntime, SUPERNETS } from './node-package';

const HELP = `Export one sub-network of a super-network as a standalone ONNX file.

Usage:
  npm run export -- --supernet <name|folder> --config <config> --out <file.onnx> [--seed N]

  --supernet  a package name under public/supernets/ (e.g. fashion-mbconv, text-transformer,
              fashion-vit), a package folder, or a Hugging Face checkpoint folder
              (config.json + model.safetensors [+ tokenizer.json]; BERT or ViT)
  --config    the sub-network: a JSON object, a path to a JSON file, or one of
              largest | smallest | random (random uses --seed, default 0)
  --out       output .onnx path (default sub.onnx)
  --seed      seed for --config random
  --space     print the search space of --supernet and exit

Config format: an object {variableName: value} with the *values* of the choices, never indices,
e.g. for mbconv {"depth_0": 3, "kernel_0_0": 5, "expand_0_0": 4, ...}; for transformer-encoder
{"layers": 4, "heads_0": 2, "ffn_0": 256, ...}. Variables of unused blocks/layers may be left out.
Run with --space to see each variable's allowed values.`;

async function main() {
  const { values } = parseArgs({
    options: {
      supernet: { type: 'string' }, config: { type: 'string' }, out: { type: 'string', default: 'sub.onnx' },
      seed: { type: 'string', default: '0' }, help: { type: 'boolean', short: 'h' }, space: { type: 'boolean' },
    },
  });
  if (values.help || !values.supernet) {
    console.log(HELP);
    if (!values.help) console.log(`\nAvailable: ${existsSync(SUPERNETS) ? (await import('node:fs')).readdirSync(SUPERNETS).join(', ') : '(none)'}`);
    process.exit(values.help ? 0 : 2);
  }
  nodeRuntime(1);
  const pkg = await loadFromDisk(values.supernet);
  const space = pkg.supernet.space;
  if (values.space) {
    for (const v of space) console.log(`${v.name.padEnd(14)} ${v.kind.padEnd(8)} ${v.choices ? JSON.stringify(v.choices) : `[${v.low}, ${v.high}]`}`);
    return;
  }
  if (!values.config) throw new Error('--config is required (a JSON object, a file, or largest | smallest | random)');
  const c = values.config;
  let config: Config;
  if (c === 'largest') config = largestConfig(space);
  else if (c === 'smallest') config = smallestConfig(space);
  else if (c === 'random') config = randomConfig(space, Number(values.seed));
  else {
    const text = c.trim().startsWith('{') ? c : readFileSync(c, 'utf8');
    try {
      config = JSON.parse(text);
    } catch (e) {
      throw new Error(`--config: not valid JSON (${(e as Error).message})`);
    }
  }
  pkg.supernet.validateConfig(config);
  const model = await pkg.supernet.build(config, { run: modelRunner(), calibration: pkg.calibrationFeeds ?? undefined });
  writeFileSync(values.out!, model);
  const counts = pkg.supernet.counts(config);
  console.log(JSON.stringify({ supernet: pkg.manifest.name, out: values.out, fileBytes: model.byteLength, ...counts, config }));
}

main().catch((e: Error) => {
  console.error(`export: ${e.message}`);
  process.exit(1);
});
