import type { Command } from 'commander';
import { positiveInt, seconds, secondsOrNone } from './cli-options.js';
import { DEFAULT_LIMITS, type ServerOptions } from './server-options.js';
import { DEFAULT_CONNECTION_LIMITS } from '../portal/connection-gate.js';
import { DEFAULT_INPUT_LIMITS } from '../portal/input-budget.js';
import { DEFAULT_LOGIN_THROTTLE } from '../portal/login/login-throttle.js';

/** The limits that keep one hostile or careless client from hurting the rest
 *  (docs/SECURITY.md lists each with its reason). */
export function limitFlags(cmd: Command): Command {
  const c = DEFAULT_CONNECTION_LIMITS;
  const t = DEFAULT_LOGIN_THROTTLE;
  return cmd
    .option('--commands-per-second <n>', 'commands per second per player (a refused one is answered "too fast")', positiveInt, DEFAULT_LIMITS.commandsPerSecond)
    .option('--command-burst <n>', 'commands a player may send at once before --commands-per-second applies', positiveInt, DEFAULT_LIMITS.commandBurst)
    .option('--max-connections <n>', 'open telnet and WebSocket play connections in total', positiveInt, c.maxConnections)
    .option('--max-per-address <n>', 'open connections from one address', positiveInt, c.maxPerAddress)
    .option('--connects-per-second <n>', 'new connections per second from one address (a burst of 4x)', positiveInt, c.attemptsPerSecond)
    .option('--limit-loopback', 'apply the per-address limits to 127.0.0.1 / ::1 too (by default local bots and guests are exempt)')
    .option('--login-timeout <s>', 'seconds to log in before an unauthenticated connection is closed', seconds, DEFAULT_LIMITS.loginTimeoutMs / 1000)
    .option('--idle-timeout <s>', 'seconds without input before a logged-in player is disconnected', seconds, DEFAULT_LIMITS.idleTimeoutMs / 1000)
    .option('--link-dead <s>', 'seconds a character whose connection dropped stays in the world, link-dead, for its player to connect again (0: leaves at once)', secondsOrNone, DEFAULT_LIMITS.linkDeadMs / 1000)
    .option('--input-bytes-per-second <n>', 'bytes per second a connection may send before its reading is paused', positiveInt, DEFAULT_INPUT_LIMITS.bytesPerSecond)
    .option('--input-lines-per-second <n>', 'lines per second a connection may send before its reading is paused', positiveInt, DEFAULT_INPUT_LIMITS.linesPerSecond)
    .option('--login-free-tries <n>', 'failed logins per account before each attempt waits (1 s, 2 s, 4 s ...)', positiveInt, t.freePerAccount)
    .option('--login-lockout-after <n>', 'failed logins that lock an account out (an address: 3x this)', positiveInt, t.lockAccountAfter)
    .option('--login-lockout <minutes>', 'how long a lockout lasts', seconds, t.lockoutMs / 60_000);
}

type LimitOptions = Pick<ServerOptions, 'limits' | 'connections' | 'input' | 'loginThrottle'>;

/** The parsed flags as the server's options. */
export function limitOptions(o: Record<string, number | boolean | undefined>): LimitOptions {
  const n = (k: string) => o[k] as number;
  return {
    limits: { commandsPerSecond: n('commandsPerSecond'), commandBurst: n('commandBurst'), loginTimeoutMs: n('loginTimeout') * 1000, idleTimeoutMs: n('idleTimeout') * 1000, linkDeadMs: n('linkDead') * 1000 },
    connections: { maxConnections: n('maxConnections'), maxPerAddress: n('maxPerAddress'), attemptsPerSecond: n('connectsPerSecond'), exemptLoopback: !o.limitLoopback },
    input: { bytesPerSecond: n('inputBytesPerSecond'), linesPerSecond: n('inputLinesPerSecond') },
    loginThrottle: {
      freePerAccount: n('loginFreeTries'), freePerAddress: n('loginFreeTries') * 3,
      lockAccountAfter: n('loginLockoutAfter'), lockAddressAfter: n('loginLockoutAfter') * 3, lockoutMs: n('loginLockout') * 60_000,
    },
  };
}
