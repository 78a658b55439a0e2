import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { StateStore } from '../../store/state-store.js';
import { GUEST_PREFIX } from '../../world/core/guest-name.js';
import { INTERFACE_WORDS } from '../../world/core/reserved-names.js';
import { NameLikeness } from '../name-likeness.js';
import type { HashAsker, HashGate } from '../hash-gate.js';
import type { KdfParams } from '../password-hasher.js';

export interface Account {
  name: string;
  wizard: boolean;
}

interface StoredAccount {
  name: string;
  salt: string;
  hash: string;
  N: number;
  r: number;
  p: number;
  wizard: boolean;
  created: number;
  [key: string]: string | number | boolean;
}

const KEY_LENGTH = 32;

/** Player accounts in the state store (`account/<name>`), passwords hashed with
 *  scrypt (memory-hard) on the hashing thread behind the hash gate, never stored
 *  or logged in clear. The first account ever created becomes the wizard (won by
 *  a compare-and-swap on `meta/wizard`), or the one named by `mud serve --wizard`.
 *  Every method that hashes may throw HashRefused (nothing hashed, nothing changed). */
export class Accounts {
  /** What a login to a missing account is checked against, so that it costs what one to an existing account does. */
  private readonly dummy = { salt: randomBytes(16), hash: randomBytes(KEY_LENGTH) };
  private readonly likeness: NameLikeness;

  constructor(
    private readonly store: StateStore,
    private readonly opts: { hashing: HashGate; wizard?: string; kdfCost?: number; reserved?: () => ReadonlySet<string> },
  ) {
    this.likeness = new NameLikeness(store, opts.reserved);
  }

  /** Why a name cannot be used at all (nor logged in with), or undefined when it can. */
  static nameProblem(name: string): string | undefined {
    if (!/^[A-Za-z]{3,16}$/.test(name)) return 'Names are 3 to 16 letters, a to z.';
    if (name.toLowerCase().startsWith(GUEST_PREFIX)) return `Names beginning with "${GUEST_PREFIX}" are for guests (type "guest"); choose another.`;
    return undefined;
  }

  /** Why a new character cannot take this name: also refused are the words of
   *  the interface ("You", "Someone"), the world's own words (commands,
   *  directions, item, creature and room names), and any name that looks like
   *  one of those or like another character's (portal/name-likeness.ts).
   *  Existing accounts keep theirs. */
  async newNameProblem(name: string): Promise<string | undefined> {
    const problem = Accounts.nameProblem(name);
    if (problem) return problem;
    if (INTERFACE_WORDS.has(name.toLowerCase())) return 'That name is reserved; choose another.';
    if (this.opts.reserved?.().has(name.toLowerCase())) return 'That name is a word of the world itself (a command, a direction, or a thing or place here); choose another.';
    return this.likeness.problem(name);
  }

  static passwordProblem(password: string): string | undefined {
    if (password.length < 4) return 'Passwords need at least 4 characters.';
    if (password.length > 128) return 'Passwords are at most 128 characters.';
    return undefined;
  }

  async exists(name: string): Promise<boolean> {
    return (await this.store.get(key(name))) !== undefined;
  }

  /** Creates the account; undefined when the name is taken (checked before
   *  any hashing: a flood of `create <a taken name>` costs a read each). */
  async create(name: string, password: string, from: string): Promise<Account | undefined> {
    if (await this.exists(name)) return undefined;
    // The name's skeleton first: of two lookalikes created at once, one gets in.
    const claim = await this.likeness.claim(name);
    if (!claim) return undefined;
    const salt = randomBytes(16);
    const params = this.params();
    const hash = await this.kdf({ account: name, address: from, creating: true }, password, salt, params).catch(async (err: unknown) => {
      await claim.release();
      throw err;
    });
    const record: StoredAccount = {
      name: name.toLowerCase(), salt: salt.toString('hex'), hash: hash.toString('hex'), ...params, wizard: false, created: Date.now(),
    };
    const made = await this.store.cas(key(name), record, 0);
    if (!made.ok) {
      await claim.release();
      return undefined;
    }
    // Read before the CAS: once a wizard exists (nearly always), a failed CAS per
    // new account would show as store contention that is not there.
    const first = (await this.store.get('meta/wizard')) === undefined && (await this.store.cas('meta/wizard', { name: record.name }, 0)).ok;
    if (first) {
      await this.store.put(key(name), { ...record, wizard: true });
      return { name: record.name, wizard: true };
    }
    return { name: record.name, wizard: this.isWizardByFlag(name) };
  }

  /** The account, when the password is right. A missing account costs a hash
   *  too (against a dummy): the answer's timing does not tell which names exist. */
  async verify(name: string, password: string, from: string): Promise<Account | undefined> {
    const found = (await this.store.get(key(name)))?.value as StoredAccount | undefined;
    const salt = found ? Buffer.from(found.salt, 'hex') : this.dummy.salt;
    const expected = found ? Buffer.from(found.hash, 'hex') : this.dummy.hash;
    const hash = await this.kdf({ account: name, address: from }, password, salt, found ? { N: found.N, r: found.r, p: found.p } : this.params());
    const same = expected.length === hash.length && timingSafeEqual(expected, hash);
    if (!found || !same) return undefined;
    return { name: found.name, wizard: found.wizard || this.isWizardByFlag(name) };
  }

  /** Changes the password when the old one is right; false (nothing changed) when it is not. */
  async changePassword(name: string, oldPassword: string, newPassword: string, from: string): Promise<boolean> {
    const found = await this.store.get(key(name));
    if (!found || !(await this.verify(name, oldPassword, from))) return false;
    const salt = randomBytes(16);
    const params = this.params();
    const hash = await this.kdf({ account: name, address: from }, newPassword, salt, params);
    const record = { ...(found.value as StoredAccount), salt: salt.toString('hex'), hash: hash.toString('hex'), ...params };
    // At the revision read: a concurrent change (another session) is not silently overwritten.
    return (await this.store.cas(key(name), record, found.revision)).ok;
  }

  private params(): KdfParams {
    return { N: this.opts.kdfCost ?? 16384, r: 8, p: 1 };
  }

  private kdf(who: HashAsker, password: string, salt: Buffer, params: KdfParams): Promise<Buffer> {
    return this.opts.hashing.hash(who, password, salt, params, KEY_LENGTH);
  }

  private isWizardByFlag(name: string): boolean {
    return !!this.opts.wizard && this.opts.wizard.toLowerCase() === name.toLowerCase();
  }
}

function key(name: string): string {
  return `account/${name.toLowerCase()}`;
}
