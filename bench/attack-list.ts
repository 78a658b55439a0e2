// Every attack of the attack run, in the order it runs them: issue 11's, then
// issue 25's, all against one server on the hostile world (hostile-world.ts:
// the shipped world and a cellar that stays inert until the timer storm).
import { ISSUE_11_ATTACKS, type Attack } from './attack-kinds.js';
import { ISSUE_25_ATTACKS } from './attack-kinds-25.js';

export const ATTACKS: Attack[] = [...ISSUE_11_ATTACKS, ...ISSUE_25_ATTACKS];
