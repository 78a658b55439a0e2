import { readFile, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { ServerOptions } from './server-options.js';

/** The admin token: given, from MUD_ADMIN_TOKEN, or generated into <data-dir>/admin.token. */
export async function adminTokenFor(opts: Pick<ServerOptions, 'adminToken' | 'dataDir'>): Promise<string> {
  const given = opts.adminToken ?? process.env.MUD_ADMIN_TOKEN;
  const file = join(opts.dataDir, 'admin.token');
  const token = given || (await readFile(file, 'utf8').then((t) => t.trim()).catch(() => '')) || randomBytes(24).toString('base64url');
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  return token;
}
