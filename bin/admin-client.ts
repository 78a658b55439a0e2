import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';

export interface AdminTarget {
  url: string;
  token: string;
}

/** The flags every admin command takes. */
export function adminFlags(cmd: Command): Command {
  return cmd
    .option('--url <url>', 'the server\'s admin API address (mud serve --admin-host/--admin-port)', 'http://127.0.0.1:4002')
    .option('--data-dir <dir>', 'where to find admin.token', './.mud-data')
    .option('--admin-token <token>', 'admin token (default: $MUD_ADMIN_TOKEN, then <data-dir>/admin.token)');
}

export async function adminTarget(o: { url: string; dataDir: string; adminToken?: string }): Promise<AdminTarget> {
  const token = o.adminToken ?? process.env.MUD_ADMIN_TOKEN
    ?? (await readFile(join(resolve(o.dataDir), 'admin.token'), 'utf8').then((t) => t.trim()).catch(() => undefined));
  if (!token) throw new Error(`no admin token: pass --admin-token, set MUD_ADMIN_TOKEN, or point --data-dir at the server's data dir (no ${join(o.dataDir, 'admin.token')})`);
  return { url: o.url.replace(/\/$/, ''), token };
}

/** Calls the admin API; throws a one-line Error with the server's own message. */
export async function adminCall<T>(target: AdminTarget, method: 'GET' | 'POST', path: string, body?: unknown, timeoutMs = 30_000): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${target.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${target.token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    throw new Error(`cannot reach the server at ${target.url}: ${(err as Error).cause ? String(((err as Error).cause as Error).message ?? (err as Error).cause) : (err as Error).message}`);
  }
  const payload = (await res.json().catch(() => ({}))) as T & { error?: string; errors?: unknown };
  if (!res.ok) throw new Error(payload.error ?? refusal(payload.errors) ?? `server answered ${res.status}`);
  return payload;
}

/** A refusal that lists its reasons (a broken world's file:line:column errors), one per line. */
function refusal(errors: unknown): string | undefined {
  if (!Array.isArray(errors) || errors.length === 0) return undefined;
  return `refused with ${errors.length} error${errors.length === 1 ? '' : 's'}; nothing changed:\n${errors.map(String).join('\n')}`;
}

/** Runs an admin action, printing its error as one line and exiting 1. */
export async function runAdmin(action: () => Promise<void>, name: string): Promise<void> {
  try {
    await action();
  } catch (err) {
    process.stderr.write(`mud ${name}: ${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}
