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

/** A connection that dropped mid-fight: the fight holds the player as long as it holds one who typed `quit`, so
 *  cutting the line is no way out of a losing fight. Connecting again meanwhile takes the player over, still in it;
 *  a server shutting down cuts the wait short (`cut`). */
export function heldByFight(s: Session, cut: Promise<void>): Promise<void> {
  if (!s.vitals?.fighting) return Promise.resolve();
  s.host.log.info('link lost mid-fight', { player: s.player, leavesInMs: QUIT_IN_FIGHT_MS });
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([new Promise<void>((r) => { timer = setTimeout(r, QUIT_IN_FIGHT_MS); }), cut]).finally(() => clearTimeout(timer));
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
