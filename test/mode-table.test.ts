import { describe, expect, it } from 'vitest';
import { formatModeTable, modeOf, uniformTable } from '../dispatch/mode-table.js';
import { parseModeSpec } from '../modes/parse-modes.js';

describe('mode table', () => {
  it('spec - a bare mode is uniform', () => {
    expect(parseModeSpec('actor')).toEqual(uniformTable('actor'));
    expect(formatModeTable(parseModeSpec('function'))).toBe('function');
  });

  it('spec - per kind with a default, and per object on top of the current table', () => {
    const t = parseModeSpec('room=function,item=actor,default=actor');
    expect(modeOf(t, 'room/armory')).toBe('function');
    expect(modeOf(t, 'item/sword.1')).toBe('actor');
    expect(modeOf(t, 'player/alice')).toBe('actor');
    const u = parseModeSpec('room/mystical_plaza=in-process', t);
    expect(modeOf(u, 'room/mystical_plaza')).toBe('in-process');
    expect(modeOf(u, 'room/armory')).toBe('function');
    expect(formatModeTable(u)).toBe('default=actor, room=function, item=actor, room/mystical_plaza=in-process');
    expect(modeOf(parseModeSpec('room/mystical_plaza=default', u), 'room/mystical_plaza')).toBe('function');
  });

  it('spec - bad input is a clear one-line error', () => {
    expect(() => parseModeSpec('actors')).toThrow('unknown dispatch mode "actors"; expected one of in-process, actor, function');
    expect(() => parseModeSpec('room=fast')).toThrow('unknown mode "fast" in "room=fast"');
    expect(() => parseModeSpec('monster=actor')).toThrow('unknown kind "monster"');
    expect(() => parseModeSpec('room/Bad Ref=actor')).toThrow('is not a valid object ref');
    expect(() => parseModeSpec('room=actor=x')).toThrow('bad dispatch entry');
    expect(() => parseModeSpec('')).toThrow('empty dispatch spec');
  });
});
