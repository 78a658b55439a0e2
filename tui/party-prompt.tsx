import { Text } from 'ink';
import { DEFAULT_GUESTS } from './admin-actions.js';

/** The one line that asks how many guests: digits, Enter (empty = the default), Esc to cancel. */
export function PartyPrompt({ typed }: { typed: string }) {
  return (
    <Text>
      <Text bold color="cyan">How many guests?</Text> (Enter = {DEFAULT_GUESTS.toLocaleString('en')}, Esc = cancel): {typed}
      <Text inverse> </Text>
    </Text>
  );
}

/** Applies one key to the digits typed so far; `done` carries the guest count, `cancel` a stop. */
export function partyKey(typed: string, input: string, key: { return?: boolean; escape?: boolean; backspace?: boolean; delete?: boolean }):
  { typed: string } | { done: number } | { cancel: true } {
  if (key.escape) return { cancel: true };
  if (key.return) return { done: typed ? Number(typed) : DEFAULT_GUESTS };
  if (key.backspace || key.delete) return { typed: typed.slice(0, -1) };
  const digits = (typed + input.replace(/\D/g, '')).slice(0, 5);
  // A pasted "200\r" arrives as one input.
  if (/[\r\n]/.test(input)) return { done: digits ? Number(digits) : DEFAULT_GUESTS };
  return { typed: digits };
}
