import type { Ref } from '../world/core/types.js';
import { PlayerPreferences } from './player/player-preferences.js';
import { SessionInUseError } from './cluster-sessions.js';
import type { Session } from './session.js';

/** The first thing a new character reads after the welcome: where to start. */
export const NEWCOMER_HINT = 'To begin: "look" shows where you are, "help" lists what you can do, "ask <someone> about <topic>" gets the locals talking, and "chat <words>" reaches everyone online.';

/** A login finished (`account` undefined: it failed, or the connection closed): the player is
 *  entered into the world, taking over a session of theirs here or on another gateway. `newcomer`: the
 *  character was made by this login (or is a guest). */
export async function enterPlay(s: Session, account: { name: string; wizard: boolean } | undefined, newcomer = false): Promise<void> {
  clearTimeout(s.loginTimer);
  s.login = undefined;
  if (account && s.gone) s.releaseGuest(account.name);
  if (!account || s.gone) return s.conn.close();
  s.player = `player/${account.name}`;
  s.wizard = account.wizard;
  s.prefs = await PlayerPreferences.load(s.host, s.conn, account.name, s.scripted);
  const old = s.host.registry.attach(s.player, s);
  await old?.linkSettled; // a link-dead session's `linkLost` first, then this login's `relinked`
  const took = old !== undefined || (await claimInCluster(s, s.player));
  if (s.gone) return;
  s.host.log.info('login', { player: s.player, via: s.conn.protocol, from: s.conn.remote, wizard: s.wizard, takeover: took });
  s.conn.write(`Welcome, ${account.name.charAt(0).toUpperCase()}${account.name.slice(1)}.${s.wizard ? ' You are a wizard here: "help" lists the @ commands.' : ''}\n`);
  if (newcomer && !took) s.conn.write(`${NEWCOMER_HINT}\n`);
  if (took) {
    await s.host.engine.command(s.player, { verb: 'look' }, !s.conn.takesData);
    // Back from a lost link (portal/session-leave.ts: the room hears it) or from `afk`; a live session's takeover says nothing.
    await s.host.engine.command(s.player, { verb: 'relinked' }, !s.conn.takesData);
  } else await s.host.engine.connect(s.player, !s.conn.takesData);
  // The world keeps a copy of whom the player ignores (it refuses their tells); a crash between the two writes heals here.
  if (s.prefs.ignored.size > 0) await s.host.engine.command(s.player, { verb: 'ignoring', names: [...s.prefs.ignored] }, !s.conn.takesData);
  s.conn.prompt(s.promptText());
  s.playing = true;
  s.conn.paceOutput();
}

/** With several gateways: the player's session becomes this one cluster-wide (true: taken over from another gateway). */
async function claimInCluster(s: Session, player: Ref): Promise<boolean> {
  if (!s.host.cluster) return false;
  const name = player.slice('player/'.length);
  try {
    return await s.host.cluster.claim(player, { takeover: !s.host.guests?.isGuest(name) });
  } catch (err) {
    const inUse = err instanceof SessionInUseError;
    s.host.log[inUse ? 'info' : 'error']('login refused', { player, why: err instanceof Error ? err.message : String(err) });
    s.conn.write(inUse ? err.message : 'The world could not take you in just now; please try again in a moment.');
    s.gone = true;
    s.host.registry.detach(player, s);
    s.releaseGuest(name);
    s.conn.close();
    return false;
  }
}
