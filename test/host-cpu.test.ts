import { describe, expect, it } from 'vitest';
import { HostCpu, parseProcStat } from '../ops/host-cpu.js';
import { shardedRooms } from '../ops/status-collector.js';

const stat = (user: number, idle: number, steal = 0) => `cpu  ${user} 0 0 ${idle} 0 0 0 ${steal} 0 0\ncpu0 1 2 3 4\nintr 1 2\n`;

describe('host cpu', () => {
  it('host cpu - reads the cpu line of /proc/stat: idle with iowait, steal apart', () => {
    expect(parseProcStat('cpu  10 2 3 100 5 1 1 7 0 0\n')).toEqual({ total: 129, idle: 105, steal: 7 });
    expect(parseProcStat('intr 1 2\n')).toBeUndefined();
  });

  it('host cpu - each take covers the time since the last one', () => {
    const readings = [stat(100, 100), stat(190, 110, 0), stat(190, 210, 0), stat(250, 220, 20)];
    let i = 0;
    const cpu = new HostCpu(() => parseProcStat(readings[i++])!, 2);
    expect(cpu.take()).toEqual({ cores: 2, busy: 0.9, steal: 0 });
    expect(cpu.take()).toEqual({ cores: 2, busy: 0, steal: 0 });
    expect(cpu.take()).toEqual({ cores: 2, busy: 80 / 90, steal: 20 / 90 });
  });

  it('host cpu - samples this machine without failing', () => {
    const row = new HostCpu().take();
    expect(row.cores).toBeGreaterThan(0);
    expect(row.busy).toBeGreaterThanOrEqual(0);
    expect(row.busy).toBeLessThanOrEqual(1);
  });
});

describe('shard line rooms', () => {
  it('shards - only shards and the rooms they split from, never a crowd without a shard', () => {
    expect(shardedRooms([
      { room: 'room/mystical_plaza', players: 100 }, { room: 'room/lantern_market', players: 80 }, { room: 'room/mystical_plaza~2', players: 40 },
    ])).toEqual([{ room: 'room/mystical_plaza', players: 100 }, { room: 'room/mystical_plaza~2', players: 40 }]);
    expect(shardedRooms([{ room: 'room/lantern_market', players: 80 }])).toEqual([]);
  });
});
