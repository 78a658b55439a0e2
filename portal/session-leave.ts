import type { Session } from './session.js';
import { retryUntilDone } from '../support/retry-until-done.js';

/** How long a logout is tried again while the store is out of reach. */
const LOGOUT_TRIES_MS = 60_000;
/** How long `quit` in the middle of a fight keeps the player in it. */
const QUIT_IN_FIGHT_MS = 5_000;

/** `quit`: the player leaves the world, and the connection closes. */
export async function quitSession(s: Session): Promise<void> {
  // Mid-fight there is no vanishing at once, as in Diku MUDs: the fight goes on a few seconds more.
  if (s.vitals?.fighting) {
    s.conn.release(); // the fight's lines reach the player while they wait
    s.conn.write(`You turn to leave, but the fight holds you: you will be gone in ${QUIT_IN_FIGHT_MS / 1000} seconds.`);
    await new Promise((r) => setTimeout(r, QUIT_IN_FIGHT_MS));
    s.conn.hold();
    if (s.gone) return;
  }
  s.conn.write('You fade from the world. Your things are saved. Farewell!');
  s.gone = true;
  await leaveWorld(s);
  s.conn.close();
}

/** A connection that dropped: the character stays in the world, link-dead, for `linkDeadMs` (Diku MUDs' linkless
 *  player), so a blip of the network does not break up a group or end a trade, and connecting again meanwhile takes
 *  the character over where it stands (`relinked`). A fight goes on meanwhile, so cutting the line is no way out of
 *  a losing one: it holds the player at least as long as it holds one who typed `quit`. A guest (no password: anyone
 *  could take it over) and a connection this server cut (idle, flooding) have only the fight's hold. A server shutting
 *  down, or the new connection, cuts the wait short (`cut`). */
export async function heldWhileLinkLost(s: Session, cut: Promise<void>): Promise<void> {
  const player = s.player;
  if (!player || !s.playing || s.replaced) return;
  const stay = s.cutByServer || s.host.guests?.isGuest(player.slice('player/'.length)) ? 0 : s.host.limits.linkDeadMs;
  const ms = Math.max(stay, s.vitals?.fighting ? QUIT_IN_FIGHT_MS : 0);
  if (ms <= 0) return;
  s.host.log.info('link lost', { player, fighting: s.vitals?.fighting === true, leavesInMs: ms });
  if (stay > 0) {
    // A login that takes the character over waits for this (portal/session-login.ts, cluster-sessions.ts), so its
    // `relinked` never runs before the `linkLost` it answers.
    s.linkSettled = s.host.engine.command(player, { verb: 'linkLost' }, true).catch((err: unknown) => {
      s.host.log.warn('link lost not told', { player, why: err instanceof Error ? err.message : String(err) });
    });
    await s.linkSettled;
  }
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([new Promise<void>((r) => { timer = setTimeout(r, ms); }), cut]).finally(() => clearTimeout(timer));
}

/** The player leaves the world and gives up their session key. The store may be out of reach for a while
 *  (a JetStream election: a gateway died of it, the logout's read thrown out of `quit`): tried again until
 *  done, for LOGOUT_TRIES_MS at most; never thrown. */
export async function leaveWorld(s: Session): Promise<void> {
  const player = s.player;
  if (!player || s.replaced || !s.host.registry.detach(player, s)) return;
  const disconnect = () => s.host.engine.disconnect(player);
  const why = (err: unknown) => (err instanceof Error ? err.message : String(err));
  const left = await retryUntilDone<unknown>(() => (s.host.cluster ? s.host.cluster.leave(player, disconnect) : disconnect()), {
    signal: AbortSignal.timeout(LOGOUT_TRIES_MS),
    onFailure: (err, attempt, nextMs) => s.host.log.warn('logout failed', { player, attempt, why: why(err), retryInMs: nextMs }),
  }).then(() => true, (err: unknown) => {
    s.host.log.error('logout failed', { player, why: why(err), next: 'the player stays in the world until this gateway restarts' });
    return false;
  });
  if (!left) return;
  s.releaseGuest(player.slice('player/'.length));
  s.host.log.info('logout', { player });
}
