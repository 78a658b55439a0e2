import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { StateStore } from '../cluster/state-store.js';
import { GUEST_PREFIX } from './guest-login.js';

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

const RESERVED = new Set(['connect', 'create', 'quit', 'who', 'help', 'new', 'admin', 'wizard', 'god', 'someone', 'nobody', 'guest']);
const KEY_LENGTH = 32;

function scryptAsync(password: string, salt: Buffer, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { ...opts, maxmem: 256 * opts.N! * opts.r! }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** Player accounts in the state store (`account/<name>`), passwords hashed with
 *  scrypt (memory-hard), never stored or logged in clear. The first account ever
 *  created becomes the wizard (won by a compare-and-swap on `meta/wizard`), or the
 *  one named by `mud serve --wizard`. */
export class Accounts {
  constructor(
    private readonly store: StateStore,
    private readonly opts: { wizard?: string; kdfCost?: number; reserved?: () => ReadonlySet<string> } = {},
  ) {}

  /** Why a name cannot be used, or undefined when it can. */
  static nameProblem(name: string): string | undefined {
    if (!/^[A-Za-z]{3,16}$/.test(name)) return 'Names are 3 to 16 letters, a to z.';
    if (RESERVED.has(name.toLowerCase())) return 'That name is reserved; choose another.';
    if (name.toLowerCase().startsWith(GUEST_PREFIX)) return `Names beginning with "${GUEST_PREFIX}" are for guests (type "guest"); choose another.`;
    return undefined;
  }

  /** Why a new character cannot take this name: also refused are the world's
   *  own words (commands, directions, item and room names). Existing accounts keep theirs. */
  newNameProblem(name: string): string | undefined {
    const problem = Accounts.nameProblem(name);
    if (problem) return problem;
    if (this.opts.reserved?.().has(name.toLowerCase())) return 'That name is a word of the world itself (a command, a direction, or a thing or place here); choose another.';
    return undefined;
  }

  static passwordProblem(password: string): string | undefined {
    if (password.length < 4) return 'Passwords need at least 4 characters.';
    if (password.length > 128) return 'Passwords are at most 128 characters.';
    return undefined;
  }

  async exists(name: string): Promise<boolean> {
    return (await this.store.get(key(name))) !== undefined;
  }

  /** Creates the account; undefined when the name was taken meanwhile. */
  async create(name: string, password: string): Promise<Account | undefined> {
    const salt = randomBytes(16);
    const params = { N: this.opts.kdfCost ?? 16384, r: 8, p: 1 };
    const hash = await scryptAsync(password, salt, params);
    const record: StoredAccount = {
      name: name.toLowerCase(), salt: salt.toString('hex'), hash: hash.toString('hex'), ...params, wizard: false, created: Date.now(),
    };
    const made = await this.store.cas(key(name), record, 0);
    if (!made.ok) return undefined;
    // Read before the CAS: once a wizard exists (nearly always), a failed CAS per
    // new account would show as store contention that is not there.
    const first = (await this.store.get('meta/wizard')) === undefined && (await this.store.cas('meta/wizard', { name: record.name }, 0)).ok;
    if (first) {
      await this.store.put(key(name), { ...record, wizard: true });
      return { name: record.name, wizard: true };
    }
    return { name: record.name, wizard: this.isWizardByFlag(name) };
  }

  /** The account, when the password is right. */
  async verify(name: string, password: string): Promise<Account | undefined> {
    const found = (await this.store.get(key(name)))?.value as StoredAccount | undefined;
    if (!found) return undefined;
    const hash = await scryptAsync(password, Buffer.from(found.salt, 'hex'), { N: found.N, r: found.r, p: found.p });
    const expected = Buffer.from(found.hash, 'hex');
    if (expected.length !== hash.length || !timingSafeEqual(expected, hash)) return undefined;
    return { name: found.name, wizard: found.wizard || this.isWizardByFlag(name) };
  }

  /** Changes the password when the old one is right; false (nothing changed) when it is not. */
  async changePassword(name: string, oldPassword: string, newPassword: string): Promise<boolean> {
    const found = await this.store.get(key(name));
    if (!found || !(await this.verify(name, oldPassword))) return false;
    const salt = randomBytes(16);
    const params = { N: this.opts.kdfCost ?? 16384, r: 8, p: 1 };
    const hash = await scryptAsync(newPassword, salt, params);
    const record = { ...(found.value as StoredAccount), salt: salt.toString('hex'), hash: hash.toString('hex'), ...params };
    // At the revision read: a concurrent change (another session) is not silently overwritten.
    return (await this.store.cas(key(name), record, found.revision)).ok;
  }

  private isWizardByFlag(name: string): boolean {
    return !!this.opts.wizard && this.opts.wizard.toLowerCase() === name.toLowerCase();
  }
}

function key(name: string): string {
  return `account/${name.toLowerCase()}`;
}
