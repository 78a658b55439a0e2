// What the monitor does to its environment before ink and chalk read it.
import { describe, expect, it } from 'vitest';
import { prepareTerminalColour } from '../tui/terminal-colour.js';

describe('terminal colour', () => {
  it('terminal colour - CI markers go, so ink draws and chalk colours on a terminal', () => {
    const env: NodeJS.ProcessEnv = { CI: 'true', CONTINUOUS_INTEGRATION: '1', TERM: 'screen' };
    prepareTerminalColour(env);
    expect(env).toEqual({ TERM: 'screen' });
  });

  it('terminal colour - NO_COLOR turns colour off unless FORCE_COLOR says otherwise; an empty NO_COLOR does nothing', () => {
    const off: NodeJS.ProcessEnv = { NO_COLOR: '1' };
    prepareTerminalColour(off);
    expect(off.FORCE_COLOR).toBe('0');
    const forced: NodeJS.ProcessEnv = { NO_COLOR: '1', FORCE_COLOR: '2' };
    prepareTerminalColour(forced);
    expect(forced.FORCE_COLOR).toBe('2');
    const empty: NodeJS.ProcessEnv = { NO_COLOR: '' };
    prepareTerminalColour(empty);
    expect(empty.FORCE_COLOR).toBeUndefined();
  });
});
