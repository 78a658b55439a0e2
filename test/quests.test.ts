// A player's journal of quests (`quests`), kept by builders' scripts through `ctx.quest`: a quest given, moved on and
// done, each change told once; the journal bounded (the oldest done quest makes room first); and what a script may
// not do: write in the journal of a player out of its reach, a title past the limit, or send the engine's `journal`
// message itself. In every dispatch mode. Old Tamsin's quest in the default world: test/everyday-verbs.test.ts.
import { describe, expect, it } from 'vitest';
import { worldDirFor } from './helpers/world-dir.js';
import { engineHarness } from './helpers/engine-harness.js';
import { MODES, say } from './helpers/transcript.js';
import { JOURNAL_LIMIT } from '../world/kinds/player-quests.js';

const OFFICE = `
world: { name: Office, start: hall }
rooms:
  hall: { name: The Hall, description: Dusty., exits: { out: yard }, items: [clerk] }
  yard: { name: The Yard, description: Mud., exits: { in: hall } }
items:
  clerk:
    kind: npc
    name: a clerk
    keywords: [clerk]
    description: Inky.
    hp: 10
    damage: 1
    peaceful: true
    script: |
      const QUEST = 'Sort the Scrolls';
      function overhear(state, msg, ctx) {
        const p = msg.player;
        if (/\\btask\\b/.test(msg.text)) ctx.quest(p, QUEST, 'Bring the clerk three scrolls.');
        if (/\\bprogress\\b/.test(msg.text)) ctx.quest(p, QUEST, 'Two scrolls to go.');
        if (/\\bfinish\\b/.test(msg.text)) ctx.quest(p, QUEST, 'Sorted.', true);
        if (/\\bmany\\b/.test(msg.text)) for (let i = 1; i <= 25; i++) ctx.quest(p, 'Errand ' + i, 'Run along.');
        if (/\\bfar\\b/.test(msg.text)) ctx.quest('player/zed', 'Far Away', 'Out of reach.');
        if (/\\blong\\b/.test(msg.text)) ctx.quest(p, 'x'.repeat(61), 'Too long a title.');
        if (/\\bforge\\b/.test(msg.text)) ctx.send(p, { type: 'journal', by: ctx.self, title: 'Forged', text: 'Not through ctx.quest.', done: false });
      }
`;

const FAILED = 'Something went wrong there. (The builders have been told.)';

describe('quests', () => {
  const dir = worldDirFor(OFFICE, 'mud-office-');

  for (const [mode, nodes] of MODES) {
    it(`quests - ${mode}: given, moved on and done by a script, each change told once; the journal bounded; out of reach refused`, async () => {
      const h = await engineHarness({ dispatch: mode, nodes, worldDir: dir() });
      try {
        await h.engine.connect('player/ann');
        await h.engine.connect('player/zed');
        await say(h, 'out', 'player/zed');
        expect(await say(h, 'quests')).toBe('Your journal is empty. The locals have work for those who ask: "ask <someone> about <topic>".');
        expect(await say(h, 'say any task for me')).toContain('[Quest: Sort the Scrolls. Bring the clerk three scrolls.]');
        // The same again changes nothing, and says nothing.
        expect(await say(h, 'say the task again')).not.toContain('[Quest');
        expect(await say(h, 'quests')).toBe('Your quests:\n  Sort the Scrolls (from a clerk): Bring the clerk three scrolls.');
        expect(await say(h, 'say some progress')).toContain('[Quest: Sort the Scrolls. Two scrolls to go.]');
        expect(await say(h, 'say I finish it')).toContain('[Quest complete: Sort the Scrolls.]');
        expect(await say(h, 'journal')).toBe('You have no quest under way.\nDone:\n  Sort the Scrolls (from a clerk)');

        // Past the bound, the done quest makes room first, then the oldest.
        await say(h, 'say so many errands');
        const journal = await say(h, 'quests');
        expect(journal).not.toContain('Sort the Scrolls');
        expect(journal).not.toMatch(/Errand [1-5]\b/);
        expect(journal.match(/Errand \d+/g)).toHaveLength(JOURNAL_LIMIT);

        // A player out of the script's reach, a title past the limit, the engine's own message: the hook fails whole.
        for (const line of ['say so far', 'say how long', 'say I forge']) {
          expect(await say(h, line)).toContain(FAILED);
        }
        expect(await say(h, 'quests', 'player/zed')).toMatch(/^Your journal is empty\./);
        expect(await say(h, 'quests')).not.toMatch(/Forged|Far Away|xxxxx/);
      } finally {
        await h.close();
      }
    }, 60_000);
  }
});
