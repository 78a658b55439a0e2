/** How many aliases a player may keep: the help text (world) states it and the
 *  alias store (net) enforces it. */
export const ALIAS_LIMIT = 30;
