/** The lines the server answers with when it did not run a command: over the
 *  rate limit, too many waiting, or a live switch or crash in the way. A load
 *  tool counts these apart from answers; they cost the server almost nothing. */
export const REFUSED = /^(The world is busy rearranging itself|The world shudders and your action is lost|You are sending commands too fast|Too many commands are waiting)/m;
