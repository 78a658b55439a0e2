// Rendering game text for one connection: builder markup, semantic styles to
// ANSI, wrapping that ignores style marks. Randomised cases print their seed.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { renderDescription, markupProblem } from '../world/core/builder-markup.js';
import { STYLE_END, STYLE_START, STYLES, styled, unstyled } from '../world/core/text-style.js';
import { renderStyles } from '../portal/ansi.js';
import { wrapText } from '../portal/text-wrap.js';
import { renderText, toAscii } from '../portal/text-render.js';
import { rendering, telnetRendering, terminalColor } from '../portal/client-profile.js';
import { DEFAULT_SETTINGS } from '../portal/player/player-settings.js';

const ESC = '\u001b';

describe('text rendering', () => {
  it('markup - builder colours become styles; paragraphs are joined, art and indented lines kept as written', () => {
    const text = renderDescription('A {red}glowing{/} door\nin a wall.\n\n{art}  /\\\n /  \\{/}\n  indented line\nnext {{literal}');
    expect(unstyled(text)).toBe('A glowing door in a wall.\n\n  /\\\n /  \\\n  indented line\nnext {literal}');
    expect(renderStyles(text, 'ansi', false)).toContain(`${ESC}[31mglowing${ESC}[0m`);
    expect(renderStyles(text, 'none', true)).toBe('A glowing door in a wall.\n\n\n  indented line\nnext {literal}');
  });

  it('markup - problems are named: unknown names and unclosed or stray {/}', () => {
    expect(markupProblem('{red}ok{/} {{ fine')).toBeUndefined();
    expect(markupProblem('{purple}x{/}')).toMatch(/unknown markup \{purple\}/);
    expect(markupProblem('{red}x')).toMatch(/not closed/);
    expect(markupProblem('x{/}')).toMatch(/closes nothing/);
  });

  it('ansi - nested spans restore the outer style; none strips every mark', () => {
    const text = styled('say', `Bob says, "${styled('item', 'a sword')}!"`);
    expect(renderStyles(text, 'ansi', false)).toBe(`${ESC}[36mBob says, "${ESC}[33ma sword${ESC}[0m${ESC}[36m!"${ESC}[0m`);
    expect(renderStyles(text, '256', false)).toContain(`${ESC}[38;5;221ma sword`);
    expect(renderStyles(text, 'none', false)).toBe('Bob says, "a sword!"');
  });

  it('ansi - the scan from mark to mark renders as a walk over every character would, marks stray, nested or unclosed', () => {
    const seed = Number(process.env.SEED ?? Date.now() % 1_000_000);
    console.log(`text-render ansi seed ${seed} (SEED=${seed} to repeat)`);
    const pieces = fc.constantFrom(STYLE_START, STYLE_END, ...Object.values(STYLES), 'a', 'bc', ' ', '\n');
    fc.assert(fc.property(fc.array(pieces, { maxLength: 40 }), fc.constantFrom('256', 'ansi', 'none') as fc.Arbitrary<'256' | 'ansi' | 'none'>, fc.boolean(), (parts, depth, dropArt) => {
      const text = parts.join('');
      expect(renderStyles(text, depth, dropArt)).toBe(renderedCharByChar(text, depth, dropArt));
    }), { seed, numRuns: 2000 });
  });

  it('wrap - lines fit the width, words are kept whole, style marks take no room', () => {
    const seed = Number(process.env.SEED ?? Date.now() % 1_000_000);
    console.log(`text-render wrap seed ${seed} (SEED=${seed} to repeat)`);
    const word = fc.stringMatching(/^[a-z]{1,12}$/).map((w) => (w.length % 3 === 0 ? styled('exit', w) : w));
    fc.assert(fc.property(fc.array(word, { minLength: 1, maxLength: 60 }), fc.integer({ min: 20, max: 120 }), (words, width) => {
      const text = words.join(' ');
      const wrapped = wrapText(text, width);
      for (const line of unstyled(wrapped).split('\n')) expect(line.length).toBeLessThanOrEqual(width);
      expect(unstyled(wrapped).split(/\s+/)).toEqual(unstyled(text).split(/\s+/));
    }), { seed });
  });

  it('wrap - a continuation keeps the line indent, a word longer than the width is cut', () => {
    expect(wrapText('  one two three four', 10)).toBe('  one two\n  three\n  four');
    expect(wrapText('abcdefghijkl', 5)).toBe('abcde\nfghij\nkl');
    expect(wrapText('short\nlines stay', 80)).toBe('short\nlines stay');
    expect(wrapText('no wrap at width zero '.repeat(10), 0)).toBe('no wrap at width zero '.repeat(10));
  });

  it('profile - colour from MTTS bits, then terminal names; settings override; unknown width is 80', () => {
    expect(terminalColor({ types: [], mtts: 1 | 8, width: undefined })).toBe('256');
    expect(terminalColor({ types: ['XTERM'], mtts: 0, width: undefined })).toBe('none');
    expect(terminalColor({ types: ['MUDLET'], mtts: undefined, width: undefined })).toBe('ansi');
    expect(terminalColor({ types: ['xterm-256color'], mtts: undefined, width: undefined })).toBe('256');
    expect(terminalColor({ types: ['FOOBAR'], mtts: undefined, width: undefined })).toBe('none');
    const r = telnetRendering({ types: [], mtts: undefined, width: undefined }, { ...DEFAULT_SETTINGS, color: 'on' });
    expect(r).toMatchObject({ color: 'ansi', width: 80, screenReader: false });
    expect(telnetRendering({ types: [], mtts: 64, width: 132 }, DEFAULT_SETTINGS)).toMatchObject({ screenReader: true, width: 132 });
    expect(renderText(styled('room', 'Hall'), rendering('none', 80, false))).toBe('Hall');
    expect(telnetRendering({ types: [], mtts: 1 | 4, width: undefined }, DEFAULT_SETTINGS).ascii).toBe(false);
    expect(telnetRendering({ types: [], mtts: 1, width: undefined }, DEFAULT_SETTINGS).ascii).toBe(true);
    expect(telnetRendering({ types: ['XTERM'], mtts: undefined, width: undefined }, DEFAULT_SETTINGS).ascii).toBe(false);
  });

  it('ascii - a client without UTF-8 gets look-alikes for punctuation, accents dropped, the rest as ?', () => {
    expect(toAscii('Zoë said “hi” — twice… 日本')).toBe('Zoe said "hi" -- twice... ??');
    expect(renderText('café', rendering('none', 80, false, true))).toBe('cafe');
    expect(renderText('café', rendering('none', 80, false, false))).toBe('café');
  });
});

/** The model: the renderer as it was, a walk over every character (portal/ansi.ts now jumps from mark to mark). */
function renderedCharByChar(text: string, depth: '256' | 'ansi' | 'none', dropArt: boolean): string {
  const code = (c: string): string => {
    const t = renderStyles(`${STYLE_START}${c}x${STYLE_END}`, depth, false);
    const m = /^\u001b\[([0-9;]+)m/.exec(t);
    return m ? m[1] : '';
  };
  const open: string[] = [];
  let out = '';
  let skipping = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== STYLE_START && c !== STYLE_END) {
      if (!skipping) out += c;
      continue;
    }
    if (c === STYLE_START) {
      const k = text[++i] ?? '';
      open.push(k);
      if (skipping || (dropArt && k === STYLES.art)) skipping++;
      else if (code(k)) out += `${ESC}[${code(k)}m`;
    } else if (open.length > 0) {
      const k = open.pop()!;
      if (skipping) skipping--;
      else if (code(k)) out += `${ESC}[0m${open.map((o) => (code(o) ? `${ESC}[${code(o)}m` : '')).join('')}`;
    }
  }
  if (depth !== 'none' && open.some((o) => code(o))) out += `${ESC}[0m`;
  return out;
}
