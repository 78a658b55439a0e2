import type { Effect, Msg } from './types.js';

/** What a player is told when a message of their command reached an object that had applied it already, its
 *  first answer lost (a node died, a link dropped, a write's acknowledgement went astray): nothing runs
 *  twice, and the lines of the first run were not kept (world/core/turn.ts keeps only what a retry must not
 *  lose), so without this line the player would get a silent prompt. */
export const APPLIED_AGAIN_LINE = 'That command had already gone through, but what it showed you was lost on the way. "look" shows where things stand.';

/** The answer to a message applied already: the effects its turn kept, and, for a message a player's command
 *  caused, an `again` mark for that player (the gateway tells them APPLIED_AGAIN_LINE once per command,
 *  dispatch/engine.ts). Every place that finds a message applied answers through this (the record's window,
 *  an actor home's memory of what it applied), so the player hears it whichever mode ran the command. */
export function appliedAgain(msg: Msg, kept: Effect[]): Effect[] {
  return msg.actor ? [...kept, { t: 'again', to: msg.actor }] : kept;
}
