import { describe, expect, it } from 'vitest';
import { BuildCache } from './build-cache';

describe('BuildCache', () => {
  it('keeps values up to its bytes, dropping the least recently used first', () => {
    const c = new BuildCache(100);
    c.set('a', 1, 40);
    c.set('b', 2, 40);
    expect(c.get('a')).toBe(1); // a is now the most recently used
    c.set('c', 3, 40); // 120 > 100: b goes
    expect(c.has('b')).toBe(false);
    expect([c.get('a'), c.get('c')]).toEqual([1, 3]);
    expect(c.bytes).toBe(80);
    c.set('a', 4, 10); // replacing counts the new size only
    expect(c.bytes).toBe(50);
    expect(c.get('a')).toBe(4);
    c.set('huge', 5, 101); // larger than the whole cache: not kept, nothing dropped
    expect(c.has('huge')).toBe(false);
    expect(c.size).toBe(2);
    expect(c.get('missing')).toBeUndefined();
    c.clear();
    expect([c.size, c.bytes]).toEqual([0, 0]);
  });
});
