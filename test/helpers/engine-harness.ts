import { DEFAULT_WORLD } from '../../support/paths.js';
import { setUpDispatch, type DispatchSetup } from '../../bin/dispatchers.js';
import { loadLiveWorld } from '../../bin/live-world.js';
import { MemoryStore } from '../../store/memory-store.js';
import { silentLogger, type Logger } from '../../support/logger.js';
import type { StateStore } from '../../store/state-store.js';
import { Engine } from '../../dispatch/engine.js';
import type { EngineOptions } from '../../dispatch/engine-options.js';
import type { Lattice } from '../../lattice/lattice.js';
import { LocalOutlet } from '../../dispatch/local-outlet.js';
import { areaOf } from '../../world/core/area.js';
import { parseModeSpec } from '../../modes/parse-modes.js';
import { TurnMeter } from '../../dispatch/turn-meter.js';
import { parseCommand } from '../../world/commands/commands.js';
import type { World } from '../../world/core/world.js';
import { unstyled } from '../../world/core/text-style.js';

/** The game without sockets: an Engine over real dispatchers (worker-thread
 *  nodes when asked), a store, and a transcript of every line each player got. */
export interface EngineHarness {
  engine: Engine;
  store: StateStore;
  world: World;
  setup: DispatchSetup;
  lines: Map<string, string[]>;
  /** Runs one typed line as the player; resolves when its last consequence is done. */
  type(player: string, line: string): Promise<void>;
  close(): Promise<void>;
}

export interface EngineHarnessOptions {
  dispatch: string;
  nodes: number;
  store?: StateStore;
  worldDir?: string;
  /** A world already loaded (harnesses made by the hundred share one). */
  world?: World;
  /** Nodes shared with another harness (a second gateway over the same nodes). */
  lattice?: Lattice;
  /** The engine's epoch and switch protocol (a gateway of a cluster). */
  epoch?: number;
  switching?: EngineOptions['switching'];
  /** The server's log (the builder's warnings); silent by default. */
  log?: Logger;
}

export async function engineHarness(opts: EngineHarnessOptions): Promise<EngineHarness> {
  const world = opts.world ?? (await loadLiveWorld(opts.worldDir ?? DEFAULT_WORLD));
  const store = opts.store ?? new MemoryStore();
  const log = opts.log ?? silentLogger();
  const lines = new Map<string, string[]>();
  let engine: Engine | undefined;
  const setup = await setUpDispatch({
    store, world, meter: new TurnMeter(), log, nodes: opts.nodes, table: parseModeSpec(opts.dispatch), functionPick: 'least-loaded',
    definition: () => world.definition, shardCapacity: () => 0, clientData: () => true, lattice: opts.lattice,
  });
  engine = new Engine({
    dispatchers: setup.dispatchers, table: parseModeSpec(opts.dispatch), world, log, epoch: opts.epoch, switching: opts.switching, prepare: setup.prepare,
    outlet: new LocalOutlet({
      has: (player) => lines.has(player),
      tell: (player, text) => void (lines.get(player) ?? lines.set(player, []).get(player)!).push(unstyled(text)),
      emit: () => undefined,
      tellMany(players, text, except) {
        let n = 0;
        for (const p of players) if (!except?.includes(p)) n += (this.tell(p, text), 1);
        return n;
      },
      emitMany: () => 0,
      broadcast(_channel, text) {
        for (const p of lines.keys()) this.tell(p, text);
        return lines.size;
      },
    }, (room) => areaOf(room, world)),
  });
  const e = engine;
  return {
    engine: e, store, world, setup, lines,
    async type(player, line) {
      const parsed = parseCommand(line, false, world.socials);
      if (!parsed.ok) throw new Error(`${line}: ${parsed.error}`);
      if (parsed.scope !== 'world') throw new Error(`${line} is a session command`);
      if (!(await e.command(player, parsed.command))) throw new Error(`${line} was refused`);
    },
    async close() {
      e.close();
      await e.quiesce();
      await setup.close();
    },
  };
}
