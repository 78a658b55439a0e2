// The YAML writer behind @save: changed entries are edited in place, field by field;
// comments, flow style and untouched entries keep their text.
import { describe, expect, it } from 'vitest';
import { writeWorld, type WorldEdits } from '../world/files/world-writer.js';
import { WorldSource } from '../world/files/world-source.js';
import { closeExit, dig, openExit } from '../world/files/building-edits.js';

const ROOMS = `# The town.
rooms:
  square:
    name: The Square   # where it starts
    description: |
      A square.
    exits:
      east: { to: hall, door: hall_door }
    items: [well]

  hall:
    name: The Hall
    description: A hall.
    exits:
      west: { to: square, door: hall_door }
`;
const AREAS = `areas:
  town:
    name: Town
    rooms: [square, hall]   # every room
`;

describe('world writer', () => {
  it('writer - a changed field is rewritten in place; comments and other entries keep their text', () => {
    const files = new Map([['rooms.yaml', ROOMS]]);
    const edits: WorldEdits = { entries: { 'rooms/hall': { section: 'rooms', id: 'hall', file: 'rooms.yaml', value: { name: 'The Great Hall', description: 'A hall.', exits: { west: { to: 'square', door: 'hall_door' } } }, by: 'alice' } }, scripts: {} };
    const out = writeWorld(files, edits).get('rooms.yaml')!;
    expect(out).toBe(ROOMS.replace('name: The Hall', 'name: The Great Hall'));
  });

  it('writer - a dug room joins its neighbour\'s file and area; flow lists stay flow, comments stay', () => {
    const files = new Map([['rooms.yaml', ROOMS], ['areas.yaml', AREAS]]);
    const src = new WorldSource(files, { entries: {}, scripts: {} });
    expect(dig(src, 'alice', 'square', 'n', 'tower', '')).toMatchObject({ ok: true });
    const out = writeWorld(files, src.edits);
    // The changed line alone is printed anew (one space before its comment).
    expect(out.get('areas.yaml')).toBe(AREAS.replace('[square, hall]   #', '[square, hall, tower] #'));
    const rooms = out.get('rooms.yaml')!;
    expect(rooms).toContain('# The town.\n');
    expect(rooms).toContain('    name: The Square   # where it starts\n');
    expect(rooms).toContain('      east: { to: hall, door: hall_door }\n      north: tower\n');
    expect(rooms).toMatch(/ {2}tower:\n {4}name: Tower\n {4}description: Bare walls, waiting for a description\.\n {4}exits:\n {6}south: square\n/);
  });

  it('writer - closing a door\'s last exits removes the door; opening one makes it', () => {
    const items = 'items:\n  hall_door:\n    kind: door\n    name: a door\n    description: A door.\n  well:\n    kind: item\n    name: a well\n    description: A well.\n';
    const files = new Map([['rooms.yaml', ROOMS], ['items.yaml', items]]);
    const src = new WorldSource(files, { entries: {}, scripts: {} });
    expect(closeExit(src, 'bob', 'square', 'east')).toMatchObject({ ok: true, message: 'You close the way east to hall, and the way back west.' });
    expect(src.entry('items', 'hall_door')).toBeUndefined();
    expect(openExit(src, 'bob', 'square', 'east', 'hall', 'oak_door')).toMatchObject({ ok: true });
    const out = writeWorld(files, src.edits);
    expect(out.get('items.yaml')).not.toContain('hall_door');
    expect(out.get('rooms.yaml')).toContain('east: { to: hall, door: oak_door }');
    expect(out.get('rooms.yaml')).toMatch(/oak_door:\n {4}kind: door/);
  });

  it('writer - the kept parse of a file is shared, and no write changes it for the next', () => {
    // Building keeps each file's parse while its text is the same (world/files/parsed-files.ts): the writes below
    // all start from the same kept documents, so any change leaking into them shows in a later write.
    const files = new Map([['rooms.yaml', ROOMS], ['areas.yaml', AREAS]]);
    const dug = new WorldSource(files, { entries: {}, scripts: {} });
    expect(dig(dug, 'alice', 'square', 'n', 'tower', '')).toMatchObject({ ok: true });
    const first = writeWorld(files, dug.edits);
    const gone: WorldEdits = { entries: { 'rooms/hall': { section: 'rooms', id: 'hall', file: 'rooms.yaml', value: null, by: 'bob' } }, scripts: {} };
    expect(writeWorld(files, gone).get('rooms.yaml')).not.toMatch(/tower|hall:/);
    const renamed: WorldEdits = { entries: { 'rooms/hall': { section: 'rooms', id: 'hall', file: 'rooms.yaml', value: { name: 'The Great Hall', description: 'A hall.', exits: { west: { to: 'square', door: 'hall_door' } } }, by: 'bob' } }, scripts: {} };
    expect(writeWorld(files, renamed).get('rooms.yaml')).toBe(ROOMS.replace('name: The Hall', 'name: The Great Hall'));
    expect(writeWorld(files, dug.edits)).toEqual(first);
    expect(new WorldSource(files, { entries: {}, scripts: {} }).entry('rooms', 'square')?.value.exits).toEqual({ east: { to: 'hall', door: 'hall_door' } });
  });

  it('writer - refusals change nothing', () => {
    const src = new WorldSource(new Map([['rooms.yaml', ROOMS]]), { entries: {}, scripts: {} });
    expect(dig(src, 'a', 'square', 'east', 'x', '')).toEqual({ ok: false, error: 'this room has an exit east already (@close east first)' });
    expect(dig(src, 'a', 'square', 'sideways', 'x', '')).toEqual({ ok: false, error: '"sideways" is not a direction' });
    expect(dig(src, 'a', 'square', 'north', 'Bad-Id', '')).toMatchObject({ ok: false });
    expect(src.edits.entries).toEqual({});
  });
});
