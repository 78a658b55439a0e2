// Where in a builder's file an error happened, read from a QuickJS stack trace. Its own module so that
// the host side of scripts (script-sandbox.ts) does not import the interpreter: importing
// script-interpreter.ts loads QuickJS into a 16 MiB WebAssembly memory, which only script threads need.

export function positionIn(file: string, stack: unknown): { line: number; column: number } | undefined {
  if (typeof stack !== 'string') return undefined;
  const match = new RegExp(`${escapeRegExp(file)}:(\\d+)(?::(\\d+))?`).exec(stack);
  return match ? { line: Number(match[1]), column: match[2] ? Number(match[2]) : 1 } : undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
