import unhomoglyph from 'unhomoglyph';

/** A name's confusable skeleton (Unicode TR39 section 4: NFD, each character
 *  mapped to its prototype by confusables.txt, NFD again), as it is shown, with
 *  its first letter capitalised. Two names with one skeleton look alike:
 *  "Tamsin" and "Tarnsin" are both "Tarnsin" (m looks like rn). The mapping is
 *  the unhomoglyph package's table (Unicode's confusables.txt, pinned). */
export function nameSkeleton(name: string): string {
  const shown = name.charAt(0).toUpperCase() + name.slice(1).toLowerCase();
  return unhomoglyph(shown.normalize('NFD')).normalize('NFD');
}
