/** FNV-1a: a message id to a 32-bit seed. The id's boot prefix (before the
 *  first '-') is left out, so the same session replayed draws the same numbers. */
export function seedOf(id: string): number {
  let h = 0x811c9dc5;
  for (let i = id.indexOf('-') + 1; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
