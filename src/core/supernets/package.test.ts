import { describe, expect, it } from 'vitest';
import { SafeTensors, writeSafetensors } from '../onnx/safetensors';
import { mbconvFixture, readerOf, hfCheckpoint, tinyText } from '../testing/fixtures';
import { loadHfCheckpoint } from './hf';
import { loadExtendedValidation, loadPackage } from './package';
import { largestConfig, smallestConfig } from './space';
import { parseTokenizer } from './tokenizer';
import { largerBudgetAdvice, recommendedLinas } from './types';
import { tinyTokenizerJson } from '../testing/fixtures';

/** Re-writes one safetensors file of a fixture with `edit` applied to its tensors. */
function editTensors(files: Map<string, Uint8Array>, file: string, edit: (t: Record<string, any>) => void) { // eslint-disable-line @typescript-eslint/no-explicit-any
  const st = SafeTensors.parse(files.get(file)!);
  const t: Record<string, any> = {}; // eslint-disable-line @typescript-eslint/no-explicit-any
  for (const n of st.names()) t[n] = { dtype: st.info(n).dtype, shape: st.info(n).shape, data: st.raw(n) };
  edit(t);
  files.set(file, writeSafetensors(t));
}

describe('package loading and validation', () => {
  it('loads a valid package (F16 weights too)', async () => {
    const pkg = await loadPackage(readerOf(mbconvFixture({ dtype: 'F16' })));
    expect(pkg.manifest.name).toBe('tiny-mbconv');
    expect(pkg.validation!.count).toBe(24);
  });

  it('names a missing tensor', async () => {
    const f = mbconvFixture();
    editTensors(f, 'model.safetensors', (t) => delete t['stages.1.blocks.2.dw.conv.weight']);
    await expect(loadPackage(readerOf(f))).rejects.toThrow(/model\.safetensors: missing tensor "stages\.1\.blocks\.2\.dw\.conv\.weight" \(expected shape \[72, 1, 7, 7\]\)/);
  });

  it('names a tensor with the wrong shape', async () => {
    const f = mbconvFixture();
    editTensors(f, 'model.safetensors', (t) => (t['classifier.weight'] = { dtype: 'F32', shape: [4, 15], data: new Float32Array(60) }));
    await expect(loadPackage(readerOf(f))).rejects.toThrow(/tensor "classifier\.weight" has shape \[4, 15\], expected \[4, 16\]/);
  });

  it('reports labels out of range', async () => {
    const f = mbconvFixture();
    editTensors(f, 'validation.safetensors', (t) => (t.labels.data[3] = 9));
    await expect(loadPackage(readerOf(f))).rejects.toThrow(/validation: 1 labels out of range 0\.\.3 \(first at index 3: 9\)/);
  });

  it('extra validation samples: read on request, after the validation set; clear errors for a bad file', async () => {
    const f = mbconvFixture({ extra: 10 });
    const pkg = await loadPackage(readerOf(f));
    expect(pkg.validation!.count).toBe(24); // not read at load
    const ext = await loadExtendedValidation(pkg, readerOf(f));
    const extra = SafeTensors.parse(f.get('validation-extra.safetensors')!);
    expect(ext.count).toBe(34);
    expect(Array.from(ext.labels)).toEqual([...pkg.validation!.labels, ...(extra.raw('labels') as Uint8Array)]);
    const per = 12 * 12;
    const across = ext.feeds(22, 27).pixel_values; // 2 validation samples, then 3 extra ones
    expect(across.dims).toEqual([5, 1, 12, 12]);
    expect(Array.from(across.data.subarray(0, 2 * per) as Float32Array)).toEqual(Array.from(pkg.validation!.feeds(22, 24).pixel_values.data as Float32Array));
    expect(Array.from(across.data.subarray(2 * per) as Float32Array)).toEqual(Array.from(ext.feeds(24, 27).pixel_values.data as Float32Array));
    expect(ext.feeds(30, 34).pixel_values.dims[0]).toBe(4);

    const noExtra = mbconvFixture();
    await expect(loadExtendedValidation(await loadPackage(readerOf(noExtra)), readerOf(noExtra))).rejects.toThrow(/tiny-mbconv has no extra validation samples \(supernet\.json: files\.validation_extra\)/);
    const missing = new Map(f);
    missing.delete('validation-extra.safetensors');
    await expect(loadExtendedValidation(pkg, readerOf(missing))).rejects.toThrow(/validation-extra\.safetensors: cannot read/);
    const shape = new Map(f);
    editTensors(shape, 'validation-extra.safetensors', (t) => (t.images = { dtype: 'U8', shape: [10, 1, 10, 10], data: new Uint8Array(1000) }));
    await expect(loadExtendedValidation(pkg, readerOf(shape))).rejects.toThrow(/validation-extra\.safetensors: tensor "images": shape \[10, 1, 10, 10\], expected \[N, 1, 12, 12\]/);
    const labels = new Map(f);
    editTensors(labels, 'validation-extra.safetensors', (t) => (t.labels.data[7] = 4));
    await expect(loadExtendedValidation(pkg, readerOf(labels))).rejects.toThrow(/validation-extra\.safetensors: label 4 at index 7 is out of range 0\.\.3/);
    const cut = new Map(f);
    cut.set('validation-extra.safetensors', f.get('validation-extra.safetensors')!.subarray(0, 500));
    await expect(loadExtendedValidation(pkg, readerOf(cut))).rejects.toThrow(/validation-extra\.safetensors: .*outside the data buffer/);
  });

  it('reports a truncated weights file with the file name', async () => {
    const f = mbconvFixture();
    const w = f.get('model.safetensors')!;
    f.set('model.safetensors', w.subarray(0, w.length - 100));
    await expect(loadPackage(readerOf(f))).rejects.toThrow(/model\.safetensors: tensor ".*": data_offsets .* outside the data buffer/);
  });

  it('rejects configs outside the space, naming the variable and its choices', async () => {
    const pkg = await loadPackage(readerOf(mbconvFixture()));
    const sn = pkg.supernet;
    const cfg = { ...largestConfig(sn.space), kernel_1_0: 4 };
    expect(() => sn.validateConfig(cfg)).toThrow('variable "kernel_1_0" = 4 is not allowed: must be one of [3,5,7]');
    expect(() => sn.validateConfig({ ...largestConfig(sn.space), bogus: 1 })).toThrow(/unknown variable "bogus"/);
    const missing = largestConfig(sn.space);
    delete missing.depth_1;
    expect(() => sn.validateConfig(missing)).toThrow(/missing variable "depth_1" \(must be one of \[2,3\]\)/);
    // unused blocks' variables may be left out
    const small = smallestConfig(sn.space);
    delete small.kernel_1_2;
    expect(() => sn.validateConfig(small)).not.toThrow();
  });

  it('rejects a bad manifest with every problem listed', async () => {
    const f = mbconvFixture();
    const m = JSON.parse(new TextDecoder().decode(f.get('supernet.json')!));
    m.family = 'resnet';
    m.labels = [];
    f.set('supernet.json', new TextEncoder().encode(JSON.stringify(m)));
    await expect(loadPackage(readerOf(f))).rejects.toThrow(/family "resnet" unknown.*labels must be a non-empty list/);
  });

  it("reads the package's recommended LINAS setting (search.linas) and names an unknown one", async () => {
    const f = mbconvFixture();
    const m = JSON.parse(new TextDecoder().decode(f.get('supernet.json')!));
    m.search = { linas: 'persample', why: 'measured' };
    f.set('supernet.json', new TextEncoder().encode(JSON.stringify(m)));
    expect((await loadPackage(readerOf(f))).manifest.search).toEqual({ linas: 'persample', why: 'measured' });
    m.search = { linas: 'oracle' };
    f.set('supernet.json', new TextEncoder().encode(JSON.stringify(m)));
    await expect(loadPackage(readerOf(f))).rejects.toThrow(/search\.linas "oracle" unknown \(default \| persample \| monotone \| ehvi \| persample-gp\)/);
    m.search = 'persample';
    f.set('supernet.json', new TextEncoder().encode(JSON.stringify(m)));
    await expect(loadPackage(readerOf(f))).rejects.toThrow(/search must be an object/);
  });

  it('a package may recommend another LINAS setting for runs with its extra validation samples (search.extra_validation)', async () => {
    const f = mbconvFixture();
    const m = JSON.parse(new TextDecoder().decode(f.get('supernet.json')!));
    m.search = { linas: 'default', why: 'on 2,000', extra_validation: { linas: 'monotone', why: 'on 10,000' } };
    f.set('supernet.json', new TextEncoder().encode(JSON.stringify(m)));
    const { search } = (await loadPackage(readerOf(f))).manifest;
    expect(recommendedLinas(search, false)).toEqual({ linas: 'default', why: 'on 2,000' });
    expect(recommendedLinas(search, true)).toEqual({ linas: 'monotone', why: 'on 10,000' });
    // without its own setting the extra samples' runs take search.linas; no search block: none (the app's default)
    expect(recommendedLinas({ linas: 'persample', why: 'w', extra_validation: { why: 'only a note' } }, true)).toEqual({ linas: 'persample', why: 'w' });
    expect(recommendedLinas(undefined, true)).toEqual({ linas: null, why: null });
    expect(recommendedLinas({ extra_validation: { linas: 'monotone' } }, false)).toEqual({ linas: null, why: null });
    m.search = { linas: 'default', extra_validation: { linas: 'best' } };
    f.set('supernet.json', new TextEncoder().encode(JSON.stringify(m)));
    await expect(loadPackage(readerOf(f))).rejects.toThrow(/search\.extra_validation\.linas "best" unknown \(default \| persample \| monotone \| ehvi \| persample-gp\); remove it to get search\.linas/);
    m.search = { linas: 'default', extra_validation: ['monotone'] };
    f.set('supernet.json', new TextEncoder().encode(JSON.stringify(m)));
    await expect(loadPackage(readerOf(f))).rejects.toThrow(/search\.extra_validation must be an object/);
  });

  it('a package may advise another tactic above a LINAS budget (search.larger_budget), checked and named when wrong', async () => {
    const f = mbconvFixture();
    const m = JSON.parse(new TextDecoder().decode(f.get('supernet.json')!));
    const advice = { above: 150, tactic: 'nsga2', why: 'held out' };
    m.search = { linas: 'default', larger_budget: advice };
    f.set('supernet.json', new TextEncoder().encode(JSON.stringify(m)));
    const { search } = (await loadPackage(readerOf(f))).manifest;
    // LINAS above the budget on the package's own samples: the advice; at it, below it, another tactic or the extra samples: none
    expect(largerBudgetAdvice(search, { tactic: 'linas', budget: 151, extraValidation: false, objectives: ['accuracy', 'macs'] })).toEqual(advice);
    expect(largerBudgetAdvice(search, { tactic: 'linas', budget: 150, extraValidation: false, objectives: ['accuracy', 'macs'] })).toBeNull();
    expect(largerBudgetAdvice(search, { tactic: 'nsga2', budget: 500, extraValidation: false, objectives: ['accuracy', 'macs'] })).toBeNull();
    expect(largerBudgetAdvice(search, { tactic: 'linas', budget: 500, extraValidation: true, objectives: ['accuracy', 'macs'] })).toBeNull();
    expect(largerBudgetAdvice(search, { tactic: 'linas', budget: 500, extraValidation: false, objectives: ['latency', 'macs'] })).toBeNull();
    expect(largerBudgetAdvice(undefined, { tactic: 'linas', budget: 500, extraValidation: false, objectives: ['accuracy', 'macs'] })).toBeNull();
    m.search = { linas: 'default', larger_budget: { above: 0, tactic: 'grid', why: '' } };
    f.set('supernet.json', new TextEncoder().encode(JSON.stringify(m)));
    await expect(loadPackage(readerOf(f))).rejects.toThrow(/larger_budget\.above 0 must be a whole number.*larger_budget\.tactic "grid" unknown \(nsga2 \| random\).*larger_budget\.why must say where it was measured/);
    m.search = { larger_budget: 150 };
    f.set('supernet.json', new TextEncoder().encode(JSON.stringify(m)));
    await expect(loadPackage(readerOf(f))).rejects.toThrow(/search\.larger_budget must be an object/);
  });

  it('HF checkpoint: clear errors for a wrong model type and missing tensors', async () => {
    const f = hfCheckpoint('bert');
    const cfg = JSON.parse(new TextDecoder().decode(f.get('config.json')!));
    await expect(loadHfCheckpoint(readerOf(new Map([...f, ['config.json', new TextEncoder().encode(JSON.stringify({ ...cfg, model_type: 'gpt2' }))]])))).rejects.toThrow(/model_type "gpt2" not supported/);
    editTensors(f, 'model.safetensors', (t) => delete t['bert.pooler.dense.weight']);
    await expect(loadHfCheckpoint(readerOf(f), { maxLength: tinyText.maxLength })).rejects.toThrow(/missing tensor "bert\.pooler\.dense\.weight"/);
  });
});

describe('WordPiece tokenizer', () => {
  const tok = parseTokenizer(JSON.stringify(tinyTokenizerJson()));
  it('normalises, splits punctuation, greedy longest-match with ## and [UNK]', () => {
    expect(tok.tokenize('I LOVE playing!')).toEqual(['i', 'love', 'play', '##ing', '!']);
    expect(tok.tokenize('Café acted,  xyz')).toEqual(['caf', '##e', 'act', '##ed', ',', '[UNK]']);
    expect(tok.tokenize('the\tfilm\u00a0was [SEP] bad')).toEqual(['the', 'film', 'was', '[SEP]', 'bad']);
  });
  it('adds [CLS]/[SEP], truncates to max_length and pads', () => {
    const e = tok.encode('good movie', 6);
    expect(e.ids).toEqual([2, 11, 13, 3, 0, 0]);
    expect(e.attentionMask).toEqual([1, 1, 1, 1, 0, 0]);
    const t = tok.encode('good good good good good good', 5);
    expect(t.ids).toEqual([2, 11, 11, 11, 3]);
  });
});
