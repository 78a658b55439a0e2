import type { Socket } from 'node:net';
import { PlayerPreferences } from './player/player-preferences.js';
import { SHIMMER, type PlayerHandoff, type SessionHandoff } from './handover.js';
import type { Session } from './session.js';
import { REFUSED } from './input-guard.js';


/** The first half of a hand-over: reading stops and the running command finishes. The
 *  connection still writes, so lines other players' last commands send this player arrive. */
export async function holdSessionStill(s: Session): Promise<void> {
  s.handing = true;
  s.conn.holdInput();
  await s.waitIdle();
}

/** `mud upgrade`: reading stops, the running command finishes (its answer and prompt go
 *  out), the player sees the shimmer line, and the connection is let go of with what the
 *  successor needs. The player stays in the world. Undefined when the connection could not
 *  be handed on (it closed, or its peer reads too slowly): it is closed here. */
export async function handOffSession(s: Session): Promise<{ socket: Socket; state: SessionHandoff } | undefined> {
  if (s.gone) {
    await s.leaveNow(); // a lost link (link-dead): the player leaves here, not carried on
    return undefined;
  }
  await holdSessionStill(s);
  clearTimeout(s.loginTimer);
  const player = s.player;
  const inPlay = player !== undefined && !s.login && !s.gone;
  // A login is not carried: what was typed into it must not run as commands.
  // A password or text being written is not carried either (its dialogue lives in this process).
  const queue = inPlay && !s.password && !s.editor ? s.queue.filter((l) => l !== REFUSED) : [];
  if (s.password) s.conn.write('(Your password change was interrupted; nothing changed. Type "password" to start it again.)');
  if (s.editor) s.conn.write('(The text you were writing was interrupted by the upgrade and not kept; start it again.)');
  if (!s.gone) s.conn.write(SHIMMER);
  const handed = s.gone ? undefined : await s.conn.handOff();
  s.gone = true;
  s.replaced = true; // no leave: the successor carries on with the player where they stand
  if (!handed) {
    s.conn.close();
    return undefined;
  }
  const play: PlayerHandoff | undefined = inPlay
    ? { player, wizard: s.wizard, scripted: s.scripted, room: s.host.locations.roomOf(player), vitals: s.vitals, queue }
    : undefined;
  return { socket: handed.socket, state: { conn: handed.state, play } };
}

/** Carries on a predecessor's player: in the registry and the location index again, the
 *  player's own settings applied, and the lines typed meanwhile run in order. */
export async function resumeSession(s: Session, r: PlayerHandoff): Promise<void> {
  clearTimeout(s.loginTimer);
  s.login = undefined;
  s.player = r.player;
  s.wizard = r.wizard;
  s.scripted = r.scripted;
  s.vitals = r.vitals;
  const name = r.player.slice('player/'.length);
  if (s.host.guests?.isGuest(name)) s.host.guests.claim(name);
  s.prefs = await PlayerPreferences.load(s.host, s.conn, name, r.scripted);
  s.host.registry.attach(r.player, s);
  if (r.room) s.host.locations.set(r.player, r.room);
  s.playing = true;
  s.conn.paceOutput();
  if (r.queue.length === 0) {
    // The shimmer line pushed the prompt up: one more, as after any line that reached an idle player.
    if (s.prefs.repromptOn) s.conn.prompt(s.promptText());
    return;
  }
  s.queue.push(...r.queue);
  void s.pump();
}
