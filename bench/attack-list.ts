// Every attack of the attack run, in the order it runs them: issue 11's on the
// shipped world, then issue 25's (the last two on the hostile world).
import { ISSUE_11_ATTACKS, type Attack } from './attack-kinds.js';
import { ISSUE_25_ATTACKS } from './attack-kinds-25.js';

export const ATTACKS: Attack[] = [...ISSUE_11_ATTACKS, ...ISSUE_25_ATTACKS];
