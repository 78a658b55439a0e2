import { describe, expect, it } from 'vitest';
import { helpText, parseCommand } from '../world/commands/commands.js';

const world = (line: string) => {
  const p = parseCommand(line);
  if (!p.ok || p.scope !== 'world') throw new Error(`expected a world command for ${line}: ${JSON.stringify(p)}`);
  return p.command;
};

describe('command parser', () => {
  it('parser - look, with and without a target', () => {
    expect(world('look')).toEqual({ verb: 'look' });
    expect(world('l')).toEqual({ verb: 'look' });
    expect(world('look chest')).toEqual({ verb: 'look', target: { words: ['chest'], n: 1 } });
    expect(world('examine the magic sword')).toEqual({ verb: 'look', target: { words: ['magic', 'sword'], n: 1 } });
    expect(world('x 2.sword')).toEqual({ verb: 'look', target: { words: ['sword'], n: 2 } });
  });

  it('parser - directions, abbreviations and go', () => {
    expect(world('north')).toEqual({ verb: 'go', dir: 'north' });
    expect(world('n')).toEqual({ verb: 'go', dir: 'north' });
    expect(world('sw')).toEqual({ verb: 'go', dir: 'southwest' });
    expect(world('go east')).toEqual({ verb: 'go', dir: 'east' });
    expect(world('go w')).toEqual({ verb: 'go', dir: 'west' });
    expect(world('in')).toEqual({ verb: 'go', dir: 'in' });
    expect(parseCommand('go nowhere')).toEqual({ ok: false, error: 'Go where? (usage: go <direction>)' });
  });

  it('parser - take, take from, ordinals, get', () => {
    expect(world('take sword')).toEqual({ verb: 'take', target: { words: ['sword'], n: 1 } });
    expect(world('get 2.sword from chest')).toEqual({ verb: 'take', target: { words: ['sword'], n: 2 }, from: { words: ['chest'], n: 1 } });
    expect(world('take the sword out of the old chest')).toEqual({ verb: 'take', target: { words: ['sword'], n: 1 }, from: { words: ['old', 'chest'], n: 1 } });
    expect(parseCommand('take')).toEqual({ ok: false, error: 'Take what? (usage: take <thing | all | all.thing> [from <container>])' });
  });

  it('parser - all and all.X (or "all X"), as Diku players type them', () => {
    const apple = { words: ['apple'], n: 1 };
    const chest = { words: ['chest'], n: 1 };
    expect(world('get all')).toEqual({ verb: 'take', all: true });
    expect(world('get all.apple')).toEqual({ verb: 'take', all: true, of: apple });
    expect(world('get all red apple from the chest')).toEqual({ verb: 'take', all: true, of: { words: ['red', 'apple'], n: 1 }, from: chest });
    expect(world('get all.2.apple')).toEqual({ verb: 'take', all: true, of: apple }); // an ordinal means nothing in "all"
    expect(world('drop ALL.apple')).toEqual({ verb: 'drop', all: true, of: apple });
    expect(world('put all in chest')).toEqual({ verb: 'put', all: true, into: chest });
    expect(world('put all.apple in chest')).toEqual({ verb: 'put', all: true, of: apple, into: chest });
    expect(world('give all.apple to bob')).toEqual({ verb: 'give', all: true, of: apple, to: { words: ['bob'], n: 1 } });
    expect(world('take allspice')).toEqual({ verb: 'take', target: { words: ['allspice'], n: 1 } });
  });

  it('parser - put in, drop, open, wield', () => {
    expect(world('put sword in chest')).toEqual({ verb: 'put', target: { words: ['sword'], n: 1 }, into: { words: ['chest'], n: 1 } });
    expect(world('put 2.sword into chest')).toEqual({ verb: 'put', target: { words: ['sword'], n: 2 }, into: { words: ['chest'], n: 1 } });
    expect(parseCommand('put sword').ok).toBe(false);
    expect(world('drop key')).toEqual({ verb: 'drop', target: { words: ['key'], n: 1 } });
    expect(world('open chest')).toEqual({ verb: 'open', target: { words: ['chest'], n: 1 } });
    expect(world('wield magic_sword')).toEqual({ verb: 'wield', target: { words: ['magic_sword'], n: 1 } });
    expect(world('unwield')).toEqual({ verb: 'unwield' });
  });

  it('parser - say and emote with their shortcuts keep the text as typed', () => {
    expect(world("say Hello, World!")).toEqual({ verb: 'say', text: 'Hello, World!' });
    expect(world("'hi there")).toEqual({ verb: 'say', text: 'hi there' });
    expect(world('"hi')).toEqual({ verb: 'say', text: 'hi' });
    expect(world(':waves happily')).toEqual({ verb: 'emote', text: 'waves happily' });
    expect(world('emote grins.')).toEqual({ verb: 'emote', text: 'grins.' });
    expect(parseCommand('say').ok).toBe(false);
  });

  it('parser - unambiguous prefixes work, ambiguous ones explain', () => {
    expect(world('inv')).toEqual({ verb: 'inventory' });
    expect(world('i')).toEqual({ verb: 'inventory' });
    expect(world('dr sword')).toEqual({ verb: 'drop', target: { words: ['sword'], n: 1 } });
    expect(world('wie sword')).toEqual({ verb: 'wield', target: { words: ['sword'], n: 1 } });
    const un = parseCommand('un');
    expect(un.ok).toBe(false);
    expect(!un.ok && un.error).toMatch(/could mean: unlock, unwield/);
  });

  it('parser - unknown commands answer helpfully', () => {
    expect(parseCommand('dance')).toEqual({ ok: false, error: 'Unknown command "dance". Type "help" for a list of commands.' });
  });

  it('parser - session commands and wizard-only commands', () => {
    expect(parseCommand('who')).toEqual({ ok: true, scope: 'session', verb: 'who', rest: '' });
    expect(parseCommand('help take')).toEqual({ ok: true, scope: 'session', verb: 'help', rest: 'take' });
    expect(parseCommand('quit')).toMatchObject({ ok: true, verb: 'quit' });
    expect(parseCommand('@reload').ok).toBe(false);
    expect(parseCommand('@reload', true)).toMatchObject({ ok: true, scope: 'session', verb: '@reload' });
    expect(parseCommand('@dis actor', true)).toMatchObject({ ok: true, verb: '@dispatch', rest: 'actor' });
  });

  it('help - lists commands and explains one', () => {
    expect(helpText('', false)).toMatch(/Commands: look, examine, go, take/);
    expect(helpText('', false)).not.toMatch(/@reload/);
    expect(helpText('', true)).toMatch(/@reload/);
    expect(helpText('take', false)).toMatch(/^take <thing \| all \| all\.thing> \[from <container>\]\n/);
    expect(helpText('fly', false)).toBe('There is no command "fly".');
  });
});
