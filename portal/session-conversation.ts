import type { Session } from './session.js';

/** The prompt while a line editor takes the lines (`@script`). */
export const EDITOR_PROMPT = ': ';

/** A line for a wizard's line editor (`@script`), which takes every line until it is done. */
export async function editorLine(s: Session, line: string): Promise<void> {
  s.conn.hold();
  try {
    const answer = await s.editor!.line(line);
    if (answer) s.conn.write(answer);
    if (s.editor!.done) s.editor = undefined;
    if (!s.gone) s.conn.prompt(s.editor ? EDITOR_PROMPT : s.promptText());
  } finally {
    s.conn.release();
  }
}

/** A line for a password change in progress. */
export async function passwordLine(s: Session, line: string): Promise<void> {
  await s.password!.line(line);
  if (!s.password!.done) return;
  s.password = undefined;
  if (!s.gone) s.conn.prompt(s.promptText());
}
