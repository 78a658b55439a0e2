import type { CommandSpec } from './commands.js';
import type { ParsedCommand } from './command-phrases.js';
import { LETTER_LIMIT, MAILBOX_LIMIT } from '../kinds/mailbox.js';

// Letters between players (world/kinds/player-mail.ts, mailbox.ts): they wait for a reader who is not online.

const USAGE = 'mail | mail <n> | mail delete <n | all> | mail <player> <words>';

function parseMail(rest: string): ParsedCommand | string {
  const line = rest.trim();
  if (!line) return { verb: 'mail' };
  if (/^\d{1,4}$/.test(line)) return Number(line) >= 1 ? { verb: 'mail', read: Number(line) } : 'Which letter? They are numbered from 1.';
  const burn = /^(?:delete|del)(?:\s+(.*))?$/i.exec(line);
  if (burn) {
    const which = (burn[1] ?? '').trim().toLowerCase();
    if (which === 'all') return { verb: 'mail', delete: 'all' };
    return /^\d{1,4}$/.test(which) && Number(which) >= 1 ? { verb: 'mail', delete: Number(which) } : 'Throw away which letter? "mail delete 2", or "mail delete all".';
  }
  const m = /^(\S+)(?:\s+([\s\S]*))?$/.exec(line);
  if (!m || !/^[a-z]{3,16}$/i.test(m[1])) return `There is no one called "${m?.[1] ?? line}".`;
  const text = (m[2] ?? '').trim();
  if (!text) return `Write what to ${m[1]}? "mail ${m[1].toLowerCase()} <words>"`;
  if (text.length > LETTER_LIMIT) return `A letter is at most ${LETTER_LIMIT} characters; that one has ${text.length}.`;
  return { verb: 'mail', to: m[1].toLowerCase(), text };
}

export const MAIL_COMMANDS: readonly CommandSpec[] = [
  { name: 'mail', usage: USAGE, scope: 'world', parse: parseMail,
    help: `Letters to players, online or not: "mail bob see you at the fountain at nine" sends one (up to ${LETTER_LIMIT} characters), ` +
      `"mail" lists yours (unread ones marked *), "mail 2" reads one, "mail delete 2" throws it away ("mail delete all": all of them). ` +
      `A mailbox keeps ${MAILBOX_LIMIT}; you are told at login when letters came meanwhile. A player you ignore cannot write to you.` },
];
