import type { StateStore } from '../store/state-store.js';
import { INTERFACE_WORDS } from '../world/core/reserved-names.js';
import { nameSkeleton } from './name-skeleton.js';

/** A claim on a skeleton for a character being created; `release` if it was not. */
export interface SkeletonClaim {
  release(): Promise<void>;
}

/** Names that look alike (issue 25, item 8): a new character's name may not
 *  share its confusable skeleton (portal/name-skeleton.ts) with an existing
 *  character's, nor with a word of the interface or of the world (creatures and
 *  things included). Each character's skeleton is a store key,
 *  `name-skeleton/<hex>`, claimed with a compare-and-swap before its account is
 *  made, so two gateways cannot both let a pair of lookalikes in; characters made
 *  before there were such keys are found by one scan of the accounts. */
export class NameLikeness {
  private older: Promise<Map<string, string>> | undefined;
  private readonly wordSkeletons = new WeakMap<ReadonlySet<string>, ReadonlySet<string>>();

  constructor(private readonly store: StateStore, private readonly worldWords: () => ReadonlySet<string> = () => new Set()) {}

  /** Why `name` may not be a new character's, or undefined. Only reads. */
  async problem(name: string): Promise<string | undefined> {
    const skeleton = nameSkeleton(name);
    if (this.wordsLike().has(skeleton)) return 'That name looks too much like a word of the game or of the world; choose another.';
    if (await this.owner(skeleton, name.toLowerCase())) return "That name looks too much like another character's; choose another.";
    return undefined;
  }

  /** Claims `name`'s skeleton; undefined when a lookalike holds it. */
  async claim(name: string): Promise<SkeletonClaim | undefined> {
    const lower = name.toLowerCase();
    const skeleton = nameSkeleton(name);
    const key = skeletonKey(skeleton);
    const held = await this.store.get(key);
    // A holder whose account was never made (a crash between the two) does not count: its claim is taken over.
    if (await this.owner(skeleton, lower)) return undefined;
    const made = await this.store.cas(key, { name: lower }, held?.revision ?? 0);
    if (!made.ok) return undefined;
    // Released only while no account has the name: a same-name create that lost the race keeps the winner's claim.
    return { release: async () => void (!(await this.store.get(`account/${lower}`)) && (await this.store.delete(key, made.revision))) };
  }

  /** A character other than `lower` whose name has this skeleton. */
  private async owner(skeleton: string, lower: string): Promise<string | undefined> {
    const held = (await this.store.get(skeletonKey(skeleton)))?.value as { name?: string } | undefined;
    if (held?.name && held.name !== lower && (await this.store.get(`account/${held.name}`))) return held.name;
    const older = (await this.olderNames()).get(skeleton);
    return older !== undefined && older !== lower ? older : undefined;
  }

  /** Skeletons of the characters made before skeleton keys, by one scan (once). */
  private olderNames(): Promise<Map<string, string>> {
    return (this.older ??= this.store.scan('account/').then((rows) => {
      const bySkeleton = new Map<string, string>();
      for (const row of rows) {
        const name = (row.value as { name?: string } | null)?.name;
        if (name) bySkeleton.set(nameSkeleton(name), name);
      }
      return bySkeleton;
    }));
  }

  private wordsLike(): ReadonlySet<string> {
    const words = this.worldWords();
    let skeletons = this.wordSkeletons.get(words);
    if (!skeletons) {
      skeletons = new Set([...INTERFACE_WORDS, ...words].map(nameSkeleton));
      this.wordSkeletons.set(words, skeletons);
    }
    return skeletons;
  }
}

function skeletonKey(skeleton: string): string {
  return `name-skeleton/${Buffer.from(skeleton).toString('hex')}`;
}
