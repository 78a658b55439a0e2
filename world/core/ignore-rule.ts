// Who may be ignored, and how many: one rule for the session that keeps a
// player's list (portal/player/player-ignores.ts) and the player's record that
// keeps the world's copy (world/kinds/player-talk.ts, `ignoring`).

/** How many players one may ignore. */
export const IGNORE_LIMIT = 50;

/** A name that could be a player's, as the list keeps it (lower case). */
export const IGNORABLE_NAME = /^[a-z]{2,20}$/;
