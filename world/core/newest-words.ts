import type { Delivery, Msg } from './types.js';

/** The newest word of each engine among the messages an object has been sent so far (Msg.delivery): a
 *  message waits in its object's mailbox, or in a batch, while the engine that sent it goes on hearing
 *  answers, so the word it carries is as old as its wait. A word is a fact that stays true (every try before
 *  its `low` has ended, and only its `open` ones will be tried again), so a turn may let go by the newest word
 *  of the same engine instead of its own (world/core/outbox-hold.ts): what a busy object holds past its window
 *  is then what its engines are still waiting on, not everything its mailbox was waiting behind. */
export class NewestWords {
  private readonly byEngine = new Map<string, Delivery>();

  /** A message has reached the object (its mailbox, its batch). */
  note(msg: Msg): void {
    const word = msg.delivery;
    if (!word) return;
    const known = this.byEngine.get(word.by);
    if (!known || known.n < word.n) this.byEngine.set(word.by, word);
  }

  /** `msg` with the newest `low` and `open` of its engine; its own `by` and `n` stay, as they name its try. */
  fresh(msg: Msg): Msg {
    const word = msg.delivery;
    const newest = word && this.byEngine.get(word.by);
    if (!word || !newest || newest.n <= word.n) return msg;
    return { ...msg, delivery: { by: word.by, n: word.n, low: newest.low, open: newest.open } };
  }
}
