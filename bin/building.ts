import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Ref } from '../world/core/types.js';
import { refName } from '../world/core/types.js';
import type { Engine } from '../dispatch/engine.js';
import type { Logger } from '../support/logger.js';
import type { StateStore } from '../store/state-store.js';
import type { LineInput } from '../portal/session-host.js';
import { formatWorldError, type WorldError } from '../world/files/world-def.js';
import { WorldSource } from '../world/files/world-source.js';
import type { BuildResult } from '../world/files/building-edits.js';
import { itemHolders, readRecords } from '../ops/item-audit.js';
import { checkEdited, DRAFT_KEY, draftValue, readDraft, readWorldFiles } from './built-world.js';
import { firstLines, liveWorld } from './live-world.js';
import type { World } from '../world/core/world.js';
import { buildingEdit, isBuildingVerb } from './building-verbs.js';
import { ScriptEditor } from './script-editor.js';
import { saveBuilding } from './building-save.js';

export interface BuildingDeps {
  store: StateStore;
  worldPath: string;
  engine: Engine;
  log: Logger;
  /** Makes the world files plus the stored edits live everywhere (`@reload`'s path); the edits' revision it loaded.
   *  `loaded`: the world as those already read it, made live as it is. */
  reload(loaded?: { world: World; revision: number }): Promise<{ ok: true; revision: number } | { ok: false; errors: string[] }>;
  /** The room a player of this gateway stands in. */
  roomOf(player: Ref): Ref | undefined;
}

/** What a change came to: the answer, and whether the checker refused it (the world would not load so: the
 *  script editor stays open on it, for the builder to mend). */
export interface Change {
  text: string;
  wouldNotLoad?: boolean;
}

/** How often a change is tried again on top of another wizard's that landed first. */
const TRIES = 5;

/** The building commands (`@dig`, `@create`, `@desc`, `@save`, ...: README "Building").
 *  A change is read from the files plus the unsaved edits in the store, made, checked
 *  by the world checker, written back to the store with compare-and-swap (a change
 *  another wizard made meanwhile is kept: this one is made again on top of it), then
 *  made live on every gateway by the reload path. One at a time on this gateway. */
export class Building {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: BuildingDeps) {}

  static handles(verb: string): boolean {
    return isBuildingVerb(verb) || verb === '@script' || verb === '@save' || verb === '@build';
  }

  command(verb: string, rest: string, wizard: Ref): Promise<string | { text: string; input: LineInput }> {
    return this.serial(async () => {
      const here = this.here(wizard);
      if (verb === '@save') return saveBuilding(this.deps, refName(wizard));
      if (verb === '@build') return this.pending();
      if (!here) return 'You are not in a room of the world files (a shard is built through its base room).';
      if (verb === '@script') return this.openEditor(here, wizard);
      return (await this.change(wizard, here, (src) => buildingEdit(verb, rest, src, refName(wizard), here, this.start()))).text;
    });
  }

  private start(): string {
    return refName(this.deps.engine.currentWorld.startRoom);
  }

  private here(wizard: Ref): string | undefined {
    const room = this.deps.roomOf(wizard);
    return room ? refName(room).replace(/~\d+$/, '') : undefined;
  }

  private serial<T>(step: () => Promise<T>): Promise<T> {
    const run = this.queue.then(step, step);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Makes one change live: read, edit, check, store with CAS (again on a conflict), reload. */
  private async change(wizard: Ref, here: string, edit: (src: WorldSource) => BuildResult | Promise<BuildResult>): Promise<Change> {
    const { store, worldPath } = this.deps;
    for (let attempt = 0; attempt < TRIES; attempt++) {
      const draft = await readDraft(store);
      const files = await readWorldFiles(worldPath);
      const src = new WorldSource(files, draft.edits);
      if (!src.entry('rooms', here)) return { text: `Room ${here} is in no world file: nothing built.` };
      await nextTurn(); // this runs on the players' thread: each step of a change is one wait for them, not all
      const result = await edit(src);
      if (!result.ok) return { text: `Nothing built: ${result.error}.` };
      await nextTurn();
      const checked = await checkEdited(worldPath, files, src.edits);
      if (!checked.ok) return { text: `Nothing built: the world would not load so:\n${this.lines(checked.errors)}`, wouldNotLoad: true };
      if (result.unplace && !(await this.letGo(here, result.unplace, wizard))) {
        return { text: `Nothing built: ${result.unplace} is not lying here (someone has it, or it lies elsewhere now).` };
      }
      const written = await store.cas(DRAFT_KEY, draftValue(src.edits), draft.revision);
      if (!written.ok) {
        if (result.unplace) await this.place(here, result.unplace, wizard); // back where it was, for the next try
        continue; // another wizard's change landed first: made again on top of it
      }
      this.deps.log.info('built', { by: wizard, room: here, what: result.message, revision: written.revision });
      // The world just checked is the one stored: made live as it is, not read and checked again.
      const live = await this.goLive(written.revision, { world: liveWorld(worldPath, checked), revision: written.revision });
      if (result.place) await this.place(here, result.place, wizard);
      return { text: live ? `${result.message}\n${live}` : result.message };
    }
    return { text: 'Nothing built: other wizards kept changing the world meanwhile; try again.' };
  }

  /** Reloads until the world live here has the newest edits (another gateway's reload may have run with older ones);
   *  `loaded`, the world of those edits read already, is tried first. */
  async goLive(revision: number, loaded?: { world: World; revision: number }): Promise<string | undefined> {
    for (let attempt = 0; attempt < TRIES; attempt++) {
      const r = await this.deps.reload(attempt === 0 ? loaded : undefined);
      if (!r.ok) return `It is stored but not live: ${r.errors.join('; ')}`;
      if (r.revision >= revision) return undefined;
    }
    return undefined;
  }

  /** An item just made comes to lie in its room (a turn of the room, in whatever mode it runs). */
  private async place(room: string, item: string, wizard: Ref): Promise<void> {
    await this.deps.engine.redeliver(`room/${room}`, { id: this.msgId(), type: 'built', item: `item/${item}`, actor: wizard, wizard: true });
  }

  /** The room lets go of an item to be destroyed: true when nobody holds it now (it was the room's). */
  private async letGo(room: string, item: string, wizard: Ref): Promise<boolean> {
    const ref = `item/${item}`;
    await this.deps.engine.redeliver(`room/${room}`, { id: this.msgId(), type: 'unbuild', item: ref, actor: wizard, wizard: true });
    const holders = itemHolders(await readRecords(this.deps.store), this.deps.engine.currentWorld.definition);
    return (holders.get(ref) ?? []).length === 0;
  }

  private msgId(): string {
    return `build-${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
  }

  private lines(errors: WorldError[]): string {
    return firstLines(errors.map((e) => formatWorldError({ ...e, file: path.relative(this.deps.worldPath, e.file) || e.file })));
  }

  /** `@build`: what is built and not saved yet, and by whom. */
  private async pending(): Promise<string> {
    const { edits } = await readDraft(this.deps.store);
    const lines = [
      ...Object.values(edits.entries).map((e) => `  ${e.value === null ? 'destroyed' : 'changed'} ${e.section.replace(/s$/, '')} ${e.id} (${e.file}, by ${e.by})`),
      ...Object.entries(edits.scripts).map(([file, s]) => `  changed script ${file} (by ${s.by})`),
    ];
    return lines.length ? `Built and not saved yet (@save writes it to the world files):\n${lines.join('\n')}` : 'Nothing is built and unsaved: the world is as its files say.';
  }

  /** `@script`: the line editor on this room's script, as it is now. */
  private async openEditor(here: string, wizard: Ref): Promise<{ text: string; input: LineInput } | string> {
    const { edits } = await readDraft(this.deps.store);
    const src = new WorldSource(await readWorldFiles(this.deps.worldPath), edits);
    if (!src.entry('rooms', here)) return `Room ${here} is in no world file.`;
    const editor = await ScriptEditor.open(src, this.deps.worldPath, here, (code, base) => this.serial(() => this.applyScript(wizard, here, code, base)));
    return { text: editor.intro(), input: editor };
  }

  /** The editor's text becomes the script, unless someone changed the script since the editor opened it. */
  private applyScript(wizard: Ref, here: string, code: string, base: string): Promise<Change> {
    return this.change(wizard, here, (src) => ScriptEditor.apply(src, this.deps.worldPath, refName(wizard), here, code, base));
  }
}
