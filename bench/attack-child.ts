// One attacker in a process of its own: `node attack-child.js <attack> <telnet port> <http port> <from> <seed>`.
// Attacks until the parent says `stop`, then reports what it got done and exits.
import { sockets } from './attack-kinds.js';
import { ATTACKS } from './attack-list.js';
import { mulberry32 as random } from '../world/core/seeded-random.js';

const [name, telnet, http, from, seed] = process.argv.slice(2);
const attack = ATTACKS.find((a) => a.name === name);
let stopped = false;
process.on('message', () => {
  stopped = true;
  for (const s of sockets) s.destroy();
});
const report = (note: string) => process.send?.({ note }, undefined, {}, () => process.exit(0));
if (!attack) report(`no attack named "${name}"`);
else attack.run({ telnet: Number(telnet), http: Number(http) }, from!, () => stopped, random(Number(seed))).then(report, (err: Error) => report(`attacker failed: ${err.message}`));
