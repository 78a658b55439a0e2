/** What was made from a text (its parse, what checking it found), kept while the texts kept add up to at most
 *  `maxChars` characters, the least recently used dropped first. A text longer than that is not kept. */
export class KeptByText<V> {
  private readonly kept = new Map<string, V>(); // least recently used first
  private chars = 0;

  constructor(private readonly maxChars: number) {}

  get(text: string): V | undefined {
    const found = this.kept.get(text);
    if (found !== undefined) {
      this.kept.delete(text);
      this.kept.set(text, found);
    }
    return found;
  }

  set(text: string, value: V): void {
    if (text.length > this.maxChars || this.kept.has(text)) return;
    this.kept.set(text, value);
    this.chars += text.length;
    for (const [oldest] of this.kept) {
      if (this.chars <= this.maxChars) break;
      this.kept.delete(oldest);
      this.chars -= oldest.length;
    }
  }
}
