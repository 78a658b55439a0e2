// A creature its script puts to sleep (`doze`) strikes no one back until its
// script wakes it (`rouse`): the room hears both, `consider` and `look` say so,
// a fighter's rounds read "sleeps on" and cost them nothing, and once awake it
// hits back again; asleep, it does not follow the player it follows. The default world's wyrm sleeps so while the fountain is down
// (test/default-world.test.ts). In every dispatch mode.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineHarness } from './helpers/engine-harness.js';
import { MODES, say, heard } from './helpers/transcript.js';
import { waitUntil } from './helpers/nats-server.js';

const ROOST = `
world: { name: Roost, start: barn }
rooms:
  barn: { name: The Barn, description: Hay., exits: { out: yard }, items: [owl] }
  yard: { name: The Yard, description: Mud., exits: { in: barn } }
items:
  owl:
    kind: npc
    name: a barn owl
    keywords: [owl]
    description: Round-eyed.
    hp: 100000
    damage: 4
    script: |
      function witness(state, msg, ctx) {
        if (/\\bpets\\b/.test(msg.text)) ctx.send(ctx.self, { type: 'follow', player: msg.player });
      }
      function overhear(state, msg, ctx) {
        if (/\\bhush\\b/.test(msg.text)) ctx.send(ctx.self, { type: 'doze' });
        if (/\\bwake\\b/.test(msg.text)) ctx.send(ctx.self, { type: 'rouse' });
      }
`;

describe('a creature asleep', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mud-roost-'));
    await writeFile(join(dir, 'world.yaml'), ROOST);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  for (const [mode, nodes] of MODES) {
    it(`creature sleep - ${mode}: put to sleep by its script it strikes no one back; woken, it does again`, async () => {
      const h = await engineHarness({ dispatch: mode, nodes, worldDir: dir });
      try {
        await h.engine.connect('player/ann');
        await h.engine.connect('player/bob');
        await say(h, 'emote pets the owl', 'player/bob');
        await say(h, 'say hush now');
        await waitUntil(() => heard(h, /^A barn owl settles into a deep sleep\.$/, 'player/bob'), 5_000, () => 'Bob did not see the owl fall asleep');
        // Asleep, it does not follow the one it follows (nor wander).
        await say(h, 'out', 'player/bob');
        expect(await say(h, 'look', 'player/bob')).not.toContain('owl');
        await say(h, 'in', 'player/bob');
        expect(await say(h, 'consider owl')).toBe('A barn owl is asleep: while it sleeps, it strikes no one back.');
        expect(await say(h, 'look owl')).toMatch(/\nA barn owl is unhurt, and is fast asleep\.$/);
        expect(await say(h, 'attack owl')).toMatch(/^You attack a barn owl!\nYou hit a barn owl with your fists for 1\. It has a few scratches \(99999\/100000\)\.\nA barn owl sleeps on\.$/);
        await waitUntil(() => (h.lines.get('player/ann') ?? []).filter((l) => /A barn owl sleeps on\./.test(l)).length >= 2, 10_000, () => 'no second round');
        expect(await say(h, 'score')).toContain('Hit points: 100/100');
        expect(heard(h, /^Ann hits a barn owl\.\nA barn owl sleeps on\.$/, 'player/bob')).toBe(true);
        await say(h, 'say wake up', 'player/bob');
        await waitUntil(() => heard(h, /^A barn owl stirs, and wakes\.$/), 5_000, () => 'Ann did not see the owl wake');
        await waitUntil(() => heard(h, /A barn owl (hits|misses) you/), 10_000, () => 'the owl did not strike back once awake');
        expect(await say(h, 'flee')).toMatch(/^You flee out!/);
      } finally {
        await h.close();
      }
    }, 60_000);
  }
});
