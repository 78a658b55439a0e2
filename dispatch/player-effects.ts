import { refKind, type Effect } from '../world/core/types.js';
import type { Outlet } from './outlet.js';

/** The effects that are lines and data for players: the outlet takes them, fire-and-forget. */
export type PlayerEffect = Extract<Effect, { t: 'tell' | 'tellRoom' | 'located' | 'emit' | 'tellArea' | 'broadcast' }>;

export function toOutlet(outlet: Outlet, e: PlayerEffect): void {
  switch (e.t) {
    case 'tell': outlet.tell(e.to, e.text, e.from); break;
    case 'tellRoom': outlet.tellRoom(e.room, e.text, e.except, e.from); break;
    case 'located': outlet.located(e.player, e.room); break;
    case 'emit':
      if (refKind(e.to) === 'room') outlet.emitRoom(e.to, e.package, e.data, e.except);
      else outlet.emit(e.to, e.package, e.data);
      break;
    case 'tellArea': outlet.tellArea(e.area, e.text, e.data, e.except); break;
    case 'broadcast': outlet.broadcast(e.channel, e.text, e.data); break;
  }
}
