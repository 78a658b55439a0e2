// The systemd units in deploy/: checked by `systemd-analyze verify` where systemd
// is installed (skipped with the reason where it is not), and held to the
// hardening the project promises: a dedicated user, a read-only system, no new
// privileges, restarts on failure.
import { execFile, spawnSync } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../support/paths.js';
import { SHIPPED_ENV } from '../bench/served-server.js';

const DEPLOY = join(PACKAGE_ROOT, 'deploy');
/** Each unit, and the name it is checked under (a template as one of its instances). */
const UNITS = [['lattice-mud.service', 'lattice-mud.service'], ['lattice-mud-node@.service', 'lattice-mud-node@n1.service']] as const;
const analyze = spawnSync('systemd-analyze', ['--version'], { stdio: 'ignore' }).status === 0;

/** `Key=value` lines of a unit, by key (the last one wins, as in systemd). */
async function settings(file: string): Promise<Map<string, string>> {
  const lines = (await readFile(join(DEPLOY, file), 'utf8')).split('\n').filter((l) => /^[A-Za-z]+=/.test(l));
  return new Map(lines.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

describe('deploy units', () => {
  for (const [file] of UNITS) {
    it(`deploy - ${file} runs as its own user, hardened, restarted on failure`, async () => {
      const s = await settings(file);
      expect(s.get('User')).toBe('lattice-mud');
      expect(s.get('NoNewPrivileges')).toBe('yes');
      expect(s.get('ProtectSystem')).toBe('strict');
      expect(s.get('ProtectHome')).toBe('yes');
      expect(s.get('PrivateTmp')).toBe('yes');
      expect(s.get('CapabilityBoundingSet')).toBe('');
      expect(s.get('Restart')).toBe('on-failure');
      expect(s.get('ExecStart')).toMatch(/dist\/bin\/mud\.js (serve|node) /);
    });
  }

  it('deploy - the gateway unit, npm start and the shipped bench cells give mud serve one malloc setting', async () => {
    const threshold = SHIPPED_ENV.MALLOC_MMAP_THRESHOLD_;
    expect(Number(threshold)).toBeGreaterThan(0);
    const unit = (await readFile(join(DEPLOY, 'lattice-mud.service'), 'utf8')).split('\n');
    expect(unit).toContain(`Environment=MALLOC_MMAP_THRESHOLD_=${threshold}`);
    const scripts = (JSON.parse(await readFile(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.start).toBe(`MALLOC_MMAP_THRESHOLD_=${threshold} node dist/bin/mud.js serve`);
  });

  it('deploy - the sysusers file makes the user the units run as', async () => {
    expect(await readFile(join(DEPLOY, 'lattice-mud.sysusers.conf'), 'utf8')).toMatch(/^u lattice-mud /m);
  });

  if (!analyze) process.stderr.write('SKIPPED deploy - systemd-analyze verify: systemd-analyze is not installed (apt-get install systemd)\n');
  it.skipIf(!analyze)(`deploy - systemd-analyze verify passes every unit, with nothing to say${analyze ? '' : ' [skipped: systemd-analyze is not installed]'}`, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mud-units-'));
    try {
      for (const [file, as] of UNITS) await copyFile(join(DEPLOY, file), join(dir, as));
      const { stdout, stderr } = await promisify(execFile)('systemd-analyze', ['verify', ...UNITS.map(([, as]) => join(dir, as))], { cwd: dir });
      expect(`${stdout}${stderr}`.trim()).toBe('');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
