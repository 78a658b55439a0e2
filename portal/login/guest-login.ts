import { randomInt } from 'node:crypto';
import type { Account } from './accounts.js';
import { GUEST_PREFIX, isGuestName } from '../../world/core/guest-name.js';

const GUEST_NAME = /^guest[a-z]{1,11}$/;
const PICKED_LETTERS = 4;
const PICK_TRIES = 20;

/** Guests: characters that log in with `guest` (a name is picked) or `guest
 *  guestabc`, with no account and no password, so a login costs no password
 *  hash (a party of 1,000 arrives in seconds, not minutes of scrypt). A guest is
 *  never a wizard, one connection per guest name (no takeover), at most `max`
 *  online. Its character is an ordinary player object and stays in the world
 *  state with what it carries (items are never destroyed): whoever next logs in
 *  under the same guest name gets it. */
export class Guests {
  private readonly online = new Set<string>();

  constructor(readonly max: number) {}

  get count(): number {
    return this.online.size;
  }

  /** The guest's account, or why not. The name stays claimed until `release`. */
  claim(requested: string | undefined): Account | { problem: string } {
    if (this.max <= 0) return { problem: 'Guests are not admitted here; "create <name> <password>" makes a character.' };
    if (this.online.size >= this.max) return { problem: `All ${this.max} guest places are taken; try later, or create a character.` };
    const name = requested === undefined ? this.pick() : requested.toLowerCase();
    if (name === undefined) return { problem: 'No guest name is free right now; try again.' };
    if (!GUEST_NAME.test(name)) return { problem: `A guest name is "${GUEST_PREFIX}" and 1 to 11 more letters, a to z (or type just "guest").` };
    if (this.online.has(name)) return { problem: `The guest ${name} is already here; choose another guest name.` };
    this.online.add(name);
    return { name, wizard: false };
  }

  release(name: string): void {
    this.online.delete(name);
  }

  isGuest(name: string): boolean {
    return isGuestName(name);
  }

  private pick(): string | undefined {
    for (let i = 0; i < PICK_TRIES; i++) {
      let name = GUEST_PREFIX;
      for (let k = 0; k < PICKED_LETTERS; k++) name += String.fromCharCode(97 + randomInt(26));
      if (!this.online.has(name)) return name;
    }
    return undefined;
  }
}

