// A node worker killed mid-load (fault injection: terminated, not stopped) is
// replaced; its objects re-home from the store; the turns that were in flight
// to it are retried elsewhere. Every command is answered, every item conserved.
import { describe, expect, it } from 'vitest';
import { engineHarness } from './helpers/engine-harness.js';
import { conservationErrors } from './helpers/conservation.js';

const LOOP = ['east', 'open chest', 'take sword from chest', 'put sword in chest', 'take 2.sword from chest', 'drop sword', 'take sword', 'put sword in chest', 'west', 'emote hums'];

describe('node crash', () => {
  for (const mode of ['actor', 'function']) {
    it(`crash - killing a node during play in ${mode} mode loses nothing`, async () => {
      const h = await engineHarness({ dispatch: mode, nodes: 3 });
      try {
        const players = Array.from({ length: 12 }, (_, i) => `player/p${i}`);
        await Promise.all(players.map((p) => h.engine.connect(p)));
        const lattice = h.setup.lattice!;
        const left: string[] = [];
        lattice.onMembership((e) => { if (e.type === 'left') left.push(e.reason ?? ''); });
        let rounds = 0;
        const play = async (p: string) => {
          for (let r = 0; r < 6; r++) for (const c of LOOP) await h.type(p, c);
          rounds += 1;
        };
        const chaos = async () => {
          await new Promise((r) => setTimeout(r, 150));
          await lattice.removeNode(lattice.nodes()[0], 'kill');
          await new Promise((r) => setTimeout(r, 300));
          await lattice.removeNode(lattice.nodes()[1], 'kill');
        };
        await Promise.all([...players.map(play), chaos()]);
        expect(rounds).toBe(players.length);
        for (const p of players) expect(h.lines.get(p)!.join('\n')).not.toMatch(/action is lost/);
        expect(await conservationErrors(h.store, h.world.definition)).toEqual([]);
        for (let i = 0; i < 100 && lattice.nodes().length < 3; i++) await new Promise((r) => setTimeout(r, 50));
        expect(lattice.nodes().length).toBe(3); // both replaced
        // Killed on request, not crashed: the monitor's event list must not say a deliberate kill crashed.
        expect(left).toEqual(['killed on request, replacing it', 'killed on request, replacing it']);
      } finally {
        await h.close();
      }
    }, 60_000);
  }
});
