/** Prepares the environment a screen monitor's ink and chalk read at import.
 *
 *  ink draws only the last frame when it believes it runs under CI (is-in-ci:
 *  `CI` or `CONTINUOUS_INTEGRATION` set and not "0"/"false"), and chalk's
 *  supports-color gives colour level 0 whenever a `CI` key exists at all, even
 *  `CI=false`. A monitor on a real terminal is watched by someone, so both must
 *  see a terminal, not a CI job: the markers go (from this process only).
 *  NO_COLOR (no-color.org: set and not empty) turns colour off unless FORCE_COLOR
 *  says otherwise; chalk does not read NO_COLOR itself. Call before importing ink. */
export function prepareTerminalColour(env: NodeJS.ProcessEnv = process.env): void {
  delete env.CI;
  delete env.CONTINUOUS_INTEGRATION;
  if (env.NO_COLOR && !('FORCE_COLOR' in env)) env.FORCE_COLOR = '0';
}
