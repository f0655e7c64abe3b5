import { describe, expect, it } from 'vitest';
import type { SupernetInfo } from '../../worker/protocol';
import { recommendedLinasFor } from './selectors';

const vit = {
  name: 'fashion-vit',
  extraValidation: 'test images 2000-9999 of the 10k test set',
  search: { linas: 'default', why: 'on 2,000', extra_validation: { linas: 'monotone', why: 'on 10,000' } },
} as unknown as SupernetInfo;

describe('recommendedLinasFor', () => {
  it("picks the loaded package's recommendation for the validation setting, none for another package", () => {
    expect(recommendedLinasFor({ supernet: vit }, 'fashion-vit', false)).toEqual({ linas: 'default', why: 'on 2,000' });
    expect(recommendedLinasFor({ supernet: vit }, 'fashion-vit', true)).toEqual({ linas: 'monotone', why: 'on 10,000' });
    // a package without extra samples: the setting cannot apply
    expect(recommendedLinasFor({ supernet: { ...vit, extraValidation: null } }, 'fashion-vit', true)).toEqual({ linas: 'default', why: 'on 2,000' });
    expect(recommendedLinasFor({ supernet: vit }, 'text-transformer', false)).toBeNull();
    // a package that says nothing: no recommendation (the app runs the default)
    expect(recommendedLinasFor({ supernet: { ...vit, search: null } }, 'fashion-vit', true)).toEqual({ linas: null, why: null });
    expect(recommendedLinasFor({ supernet: null }, 'fashion-vit', false)).toBeNull();
  });
});
