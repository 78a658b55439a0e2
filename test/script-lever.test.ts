// A builder's lever: a room's script opens and shuts a chest in it, and the door on one of its exits, with `ctx.send(ref, { type: 'open' })`,
// as docs/WORLD-FILES.md shows. The message names no player: the room sees the thing move on its own, and the command
// that set it off is answered at once. (A chest's handler once threw on such a message, and the player's command
// waited some ten minutes on its retries: test/script-protocol.property.test.ts found it.) In every dispatch mode.
import { describe, expect, it } from 'vitest';
import { worldDirFor } from './helpers/world-dir.js';
import { engineHarness } from './helpers/engine-harness.js';
import { MODES, say } from './helpers/transcript.js';

const VAULT = `
world: { name: Vault, start: vault }
rooms:
  vault:
    name: The Vault
    description: Cold stone.
    exits: { north: { to: cellar, door: grate } }
    items: [chest]
    script: |
      function say(state, msg, ctx) {
        if (/\\bsesame\\b/.test(msg.text)) ctx.send('item/chest', { type: /\\bshut\\b/.test(msg.text) ? 'close' : 'open' });
        if (/\\bgrate\\b/.test(msg.text)) ctx.send('item/grate', { type: /\\bshut\\b/.test(msg.text) ? 'close' : 'open' });
        if (/\\blie\\b/.test(msg.text)) ctx.send(ctx.self, { type: 'doorChanged', door: 'item/grate', state: /\\bbadly\\b/.test(msg.text) ? 'ajar' : 'open' });
      }
  cellar: { name: The Cellar, description: Damp., exits: { south: { to: vault, door: grate } } }
items:
  chest: { kind: container, name: an oak chest, keywords: [chest, oak], description: Heavy. }
  grate: { kind: door, name: an iron grate, keywords: [grate], description: Rusty. }
`;

describe('a lever', () => {
  const dir = worldDirFor(VAULT, 'mud-vault-');

  for (const [mode, nodes] of MODES) {
    it(`script lever - ${mode}: a room's script opens and shuts a chest and a door, answered at once, seen by the rooms`, async () => {
      const h = await engineHarness({ dispatch: mode, nodes, worldDir: dir() });
      try {
        await h.engine.connect('player/ann');
        expect(await say(h, 'say open sesame')).toBe('You say, "open sesame"\nThe oak chest swings open.');
        expect(await say(h, 'look chest')).toContain('It is open.');
        expect(await say(h, 'say now shut, sesame')).toBe('You say, "now shut, sesame"\nThe oak chest swings shut.');
        // A door on the room's exits is within its script's reach: both rooms see it move, and it lets players by.
        expect(await say(h, 'say open the grate')).toBe('You say, "open the grate"\nThe iron grate swings open.');
        expect(await say(h, 'look')).toContain('Exits: north.');
        expect(await say(h, 'north')).toBe('The Cellar\nDamp.\nExits: south.');
        expect(await say(h, 'south')).toMatch(/^The Vault\n/);
        expect(await say(h, 'say shut the grate')).toBe('You say, "shut the grate"\nThe iron grate swings shut.');
        expect(await say(h, 'look')).toContain('Exits: north (closed).');
        // A script may tell its room a door's state (it is how a door it opened tells its rooms), but that changes
        // only what `look` shows: the door itself decides who passes, and a state that is none is ignored.
        await say(h, 'say lie badly');
        expect(await say(h, 'look')).toContain('Exits: north (closed).');
        await say(h, 'say lie');
        expect(await say(h, 'look')).toContain('Exits: north.');
        expect(await say(h, 'north')).toBe('The iron grate is closed.');
      } finally {
        await h.close();
      }
    }, 60_000);
  }
});
