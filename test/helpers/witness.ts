import { expect } from 'vitest';
import type { TelnetClient } from '../../portal/telnet/telnet-client.js';

/** A bystander in the Plaza still plays, and the Plaza is as it was: an attack cost only its sender. */
export async function witnessUnharmed(witness: TelnetClient): Promise<void> {
  expect(await witness.command('say still here')).toContain('You say, "still here"');
  expect(await witness.command('look')).toMatch(/The Mystical Plaza/);
}
