// Aliases: expansion replaces the first word once, and the store keeps only
// well-formed entries, so a hand-edited record cannot break a player's input.
import { describe, expect, it } from 'vitest';
import { expandAlias, parseAlias, parseUnalias, PlayerAliasStore } from '../portal/player/player-aliases.js';
import { MemoryStore } from '../store/memory-store.js';

describe('player aliases', () => {
  it('aliases - the first word expands once, words after it follow, other words are left alone', () => {
    const aliases = { tb: 'tell bob', gs: 'get sword from chest', loop: 'loop again' };
    expect(expandAlias('tb hello there', aliases)).toBe('tell bob hello there');
    expect(expandAlias('  GS', aliases)).toBe('get sword from chest');
    expect(expandAlias('loop', aliases)).toBe('loop again');
    expect(expandAlias('say tb', aliases)).toBe('say tb');
    expect(expandAlias('constructor', aliases)).toBe('constructor');
  });

  it('aliases - a bad alias is refused with one line and changes nothing', () => {
    const current = { gs: 'get sword' };
    expect(parseAlias('gs =', current)).toEqual({ error: 'Alias gs to what? Usage: alias | alias <word> [=] <command> | unalias <word>' });
    expect(parseAlias('password = quit', current)).toEqual({ error: '"password" cannot be an alias.' });
    expect(parseAlias(`x = ${'y'.repeat(201)}`, current)).toEqual({ error: 'An alias expands to at most 200 characters.' });
    expect(parseAlias('gs = get all', current)).toEqual({ aliases: { gs: 'get all' }, text: 'Alias set: gs = get all' });
    expect(parseUnalias('', current)).toEqual({ error: 'Unalias what? (unalias <word>)' });
    expect(parseAlias('zz', current)).toEqual({ error: 'You have no alias "zz". Usage: alias | alias <word> [=] <command> | unalias <word>' });
    expect(current).toEqual({ gs: 'get sword' });
  });

  it('aliases - the "=" may be left out, as Diku players type it; an "=" later in the command stays in it', () => {
    const current = { gs: 'get sword' };
    expect(parseAlias('gg get all', current)).toEqual({ aliases: { gs: 'get sword', gg: 'get all' }, text: 'Alias set: gg = get all' });
    expect(parseAlias('gg=get all', current)).toEqual({ aliases: { gs: 'get sword', gg: 'get all' }, text: 'Alias set: gg = get all' });
    expect(parseAlias('eq say a = b', current)).toEqual({ aliases: { gs: 'get sword', eq: 'say a = b' }, text: 'Alias set: eq = say a = b' });
    expect(parseAlias('GS', current)).toEqual({ text: 'gs = get sword' });
    expect(parseAlias('quit now', current)).toEqual({ error: '"quit" cannot be an alias.' });
  });

  it('aliases - the store drops malformed entries of a hand-edited record', async () => {
    const store = new MemoryStore();
    await store.put('aliases/zed', { ok: 'look', '9bad': 'look', quit: 'say bye', long: 'x'.repeat(500), num: 5 });
    expect(await new PlayerAliasStore(store).load('Zed')).toEqual({ ok: 'look' });
    await store.put('aliases/amy', ['not', 'a', 'map']);
    expect(await new PlayerAliasStore(store).load('amy')).toEqual({});
  });
});
