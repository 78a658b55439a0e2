import type { Ref } from '../world/core/types.js';
import type { Engine } from '../dispatch/engine.js';
import type { LocationIndex } from '../dispatch/location-index.js';
import type { Logger } from '../support/logger.js';
import type { Accounts } from './login/accounts.js';
import type { Guests } from './login/guest-login.js';
import type { LoginThrottle } from './login/login-throttle.js';
import type { SessionRegistry } from './session-registry.js';
import type { Session } from './session.js';
import type { PlayerSettingsStore } from './player/player-settings.js';
import type { PlayerAliasStore } from './player/player-aliases.js';
import type { ClusterSessions } from './cluster-sessions.js';
import type { RefusalCounts } from './refusal-counts.js';

/** What sessions need from the server they run in. */
export interface SessionHost {
  engine: Engine;
  accounts: Accounts;
  settings: PlayerSettingsStore;
  /** Guest logins (no account, no password hash); absent = none admitted. */
  guests?: Guests;
  aliases: PlayerAliasStore;
  registry: SessionRegistry<Session>;
  /** Where this gateway's players are. */
  locations: LocationIndex;
  /** With several gateways: sessions, takeovers and `who` across the cluster. */
  cluster?: ClusterSessions;
  log: Logger;
  admin: WizardCommands;
  limits: SessionLimits;
  loginThrottle: LoginThrottle;
  /** Counts what the session's limits refuse (portal/metrics.ts); absent = not counted. */
  refusals?: RefusalCounts;
}

export interface SessionLimits {
  /** Time to log in before an unauthenticated connection is closed. */
  loginTimeoutMs: number;
  /** Time without input before a logged-in player is disconnected. */
  idleTimeoutMs: number;
  /** How long a character whose connection dropped stays in the world, link-dead (portal/session-leave.ts). */
  linkDeadMs: number;
  commandsPerSecond: number;
  commandBurst: number;
}

/** The `@` commands, answered with a line of text for the wizard, or with text and a
 *  line input (a line editor) that takes the wizard's next lines until it is done. */
export interface WizardCommands {
  wizardCommand(verb: string, rest: string, wizard: Ref): Promise<string | { text: string; input: LineInput }>;
}

/** Several lines of input for one command (`@script`'s line editor): every line the
 *  player types goes to it, answered with text, until `done`. */
export interface LineInput {
  line(text: string): Promise<string>;
  readonly done: boolean;
}
