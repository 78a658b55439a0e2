// GMCP session state on its own: which packages a client gets, and what a
// misbehaving client can (not) do to it.
import { describe, expect, it } from 'vitest';
import { GmcpSession } from '../portal/telnet/gmcp.js';
import { msspFrame } from '../portal/telnet/mssp.js';

const msg = (text: string) => Buffer.from(text, 'utf8');

describe('gmcp', () => {
  it('gmcp - a listed package covers its children, names are case-insensitive, Core always goes', () => {
    const g = new GmcpSession();
    expect(g.wants('Room.Info')).toBe(false);
    expect(g.wants('Core.Ping')).toBe(true);
    g.receive(msg('Core.Supports.Set ["room 1", "Char.Items 1"]'));
    expect(g.wants('Room.Info')).toBe(true);
    expect(g.wants('Char.Items.List')).toBe(true);
    expect(g.wants('Char.Status')).toBe(false);
    g.receive(msg('Core.Supports.Add ["Char 1"]'));
    expect(g.wants('Char.Status')).toBe(true);
    g.receive(msg('Core.Supports.Remove ["Room"]'));
    expect(g.wants('Room.Info')).toBe(false);
    g.receive(msg('Core.Supports.Set ["Comm 1"]'));
    expect(g.packages).toEqual(['comm']);
  });

  it('gmcp - bad messages are one clear error each and change nothing', () => {
    const g = new GmcpSession();
    g.receive(msg('Core.Supports.Set ["Room 1"]'));
    expect(g.receive(msg('Core.Supports.Set ["Char 1"'))).toEqual({ t: 'error', message: 'GMCP Core.Supports.Set: the data is not JSON' });
    expect(g.receive(msg('Core.Supports.Add {"Char": 1}'))).toMatchObject({ t: 'error', message: expect.stringMatching(/expected a list/) });
    expect(g.receive(msg('Core.Hello [1]'))).toMatchObject({ t: 'error' });
    expect(g.receive(msg('External.Discord.Hello {}'))).toEqual({ t: 'none' });
    expect(g.packages).toEqual(['room']);
  });

  it('gmcp - a client adding package names forever keeps a bounded list', () => {
    const g = new GmcpSession();
    for (let round = 0; round < 50; round++) {
      g.receive(msg(`Core.Supports.Add ${JSON.stringify(Array.from({ length: 200 }, (_, i) => `P${round}x${i} 1`))}`));
    }
    expect(g.packages.length).toBe(256);
  });

  it('mssp - variables are framed with VAR and VAL, and protocol bytes in values are dropped', () => {
    const frame = msspFrame([['NAME', 'Odd\u0001\u00ffName'], ['PLAYERS', '3']]);
    expect([...frame.subarray(0, 3)]).toEqual([255, 250, 70]);
    expect([...frame.subarray(-2)]).toEqual([255, 240]);
    const body = frame.subarray(3, -2);
    expect(body.includes(255)).toBe(false);
    // U+00FF is C3 BF in UTF-8: no IAC byte, so it stays; the SOH (MSSP_VAR) inside the value goes.
    expect(body.toString('utf8').replace(/\u0001/g, '|').replace(/\u0002/g, '=')).toBe('|NAME=Odd\u00ffName|PLAYERS=3');
  });
});
