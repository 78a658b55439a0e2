import type { Effect, Json, Msg, Ref, TurnConfig, TurnCtx, WorldView } from './types.js';
import type { TurnTimers } from './timers.js';
import { SESSION_PACKAGES } from './client-data.js';
import { mulberry32, seedOf } from './seeded-random.js';

/** The ctx of one turn. A class, not a bag of closures: a turn is a hot path
 *  (a million a second in-process), and methods on a prototype cost nothing per turn. */
export class TurnContext implements TurnCtx {
  private children = 0;
  private rng: (() => number) | undefined;
  /** The object's script state as its hook left it, in JSON characters (the script runtime measures it);
   *  undefined when no hook answered. */
  scriptStateChars: number | undefined;

  constructor(
    readonly world: WorldView, readonly config: TurnConfig, readonly self: Ref,
    private readonly msg: Msg, private readonly at: number, private readonly effects: Effect[],
    private readonly timers: TurnTimers,
  ) {}

  get timerBase(): string {
    return this.timers.base;
  }

  after(ms: number, body: { type: string; [field: string]: Json | undefined }): string {
    const id = this.timers.nextId();
    const problem = this.timers.add(id, ms, this.derived(body), this.at);
    if (problem) throw new Error(`ctx.after on ${this.self}: ${problem}`);
    return id;
  }

  /** A script's timer, with the id its sandbox already gave the script. */
  scriptAfter(id: string, ms: number, body: { type: string; [field: string]: Json | undefined }): string | undefined {
    if (!id.startsWith(`${this.timers.base}s`)) return `ctx.after: timer id ${id} was not made by this turn`;
    return this.timers.add(id, ms, this.derived({ ...body, script: true }), this.at);
  }

  cancel(id: string): boolean {
    return this.timers.cancel(id);
  }

  /** A message caused by this turn carries its actor and its script mark. */
  private derived(body: { type: string; [field: string]: Json | undefined }): Msg {
    const child = { ...body } as Msg;
    if (this.msg.actor && !child.actor) child.actor = this.msg.actor;
    if (this.msg.script) child.script = true;
    if (this.msg.plain && child.actor === this.msg.actor) child.plain = true;
    if (this.msg.wizard && child.actor === this.msg.actor) child.wizard = true;
    return child;
  }

  send(to: Ref, body: { type: string; [field: string]: Json | undefined }): void {
    this.children += 1;
    const child = this.derived(body);
    child.id = `${this.msg.id}.${this.children}`;
    this.effects.push({ t: 'send', to, msg: child });
  }

  /** A line to a player. A message a script sent may name no player (a lever's `open`): its answers go to no one. */
  tell(to: Ref, text: string, from?: Ref): void {
    if (typeof to !== 'string') return;
    this.effects.push(from ? { t: 'tell', to, text, from } : { t: 'tell', to, text });
  }

  tellRoom(room: Ref, text: string, except?: Ref[], from?: Ref): void {
    const e: Extract<Effect, { t: 'tellRoom' }> = except?.length ? { t: 'tellRoom', room, text, except } : { t: 'tellRoom', room, text };
    if (from) e.from = from;
    this.effects.push(e);
  }

  located(player: Ref, room: Ref | null): void {
    this.effects.push({ t: 'located', player, room });
  }

  wantsData(to: Ref): boolean {
    return this.config.clientData !== false && !(this.msg.plain && to === this.msg.actor);
  }

  emit(to: Ref, pkg: string, data: Json, except?: Ref[]): void {
    if (!this.wantsData(to) && !SESSION_PACKAGES.has(pkg)) return; // nobody would read it
    this.effects.push(except?.length ? { t: 'emit', to, package: pkg, data, except } : { t: 'emit', to, package: pkg, data });
  }

  broadcast(channel: string, text: string, data: Json): void {
    this.effects.push({ t: 'broadcast', channel, text, data });
  }

  tellArea(area: string, text: string, data: Json, except?: Ref[]): void {
    this.effects.push(except?.length ? { t: 'tellArea', area, text, data, except } : { t: 'tellArea', area, text, data });
  }

  log(level: 'info' | 'warn' | 'error', text: string): void {
    this.effects.push({ t: 'log', level, text });
  }

  now(): number {
    return this.at;
  }

  random(): number {
    this.rng ??= mulberry32(seedOf(this.msg.id));
    return this.rng();
  }
}
