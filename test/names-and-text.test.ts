// Impersonation and invisible text (issue 25, item 8): the interface's own words
// are no names; a new name that looks like (shares a TR39 confusable skeleton
// with) a character's or a word of the world is refused; bidi overrides and
// zero-width characters are stripped and combining marks bounded in what players type.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { player, startTestServer, type TestServer } from './helpers/test-server.js';
import { TelnetClient } from '../portal/telnet/telnet-client.js';
import { MemoryStore } from '../store/memory-store.js';
import { Accounts } from '../portal/login/accounts.js';
import { PasswordHasher } from '../portal/password-hasher.js';
import { HashGate } from '../portal/hash-gate.js';
import { nameSkeleton } from '../portal/name-skeleton.js';
import { MAX_COMBINING_MARKS, visibleText } from '../portal/visible-text.js';

const RLO = '\u202e';
const LRI = '\u2066';
const ZWSP = '\u200b';
const ZWJ = '\u200d';
const WORD_JOINER = '\u2060';
const COMBINING_ACUTE = '\u0301';

async function welcome(port: number): Promise<TelnetClient> {
  const c = await TelnetClient.open(port);
  await c.nextAnswer();
  return c;
}

describe('names over real sockets', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ nodes: 0 });
    (await player(server.telnetPort, 'hamlin')).close();
  });
  afterAll(async () => {
    await server?.cleanup();
  });

  it('names - the words the game speaks with are refused as names', async () => {
    const c = await welcome(server.telnetPort);
    for (const name of ['You', 'Someone', 'Everyone', 'Somebody', 'Nobody', 'Wizard']) {
      expect(await c.command(`create ${name} secret`)).toContain('That name is reserved; choose another.');
    }
    // The interactive dialogue refuses them too, before asking for a password.
    expect(await c.command('You')).toContain('That name is reserved; choose another.');
    c.close();
  });

  it("names - a lookalike of a character's name is refused; a different name is not", async () => {
    const c = await welcome(server.telnetPort);
    expect(await c.command('create Harnlin secret')).toContain("That name looks too much like another character's; choose another.");
    expect(await c.command('Harnlin')).toContain("That name looks too much like another character's");
    expect(await c.command('create Hamish secret')).toContain('Welcome, Hamish');
    c.close();
  });

  it('names - a lookalike of a word of the world (a creature, a thing) is refused', async () => {
    const c = await welcome(server.telnetPort);
    // "tamsin" is a word of the default world; "Tarnsin" shares its skeleton (rn looks like m).
    expect(await c.command('create tamsin secret')).toContain('That name is a word of the world itself');
    expect(await c.command('create Tarnsin secret')).toContain('That name looks too much like a word of the game or of the world');
    c.close();
  });
});

describe('invisible text over real sockets', () => {
  let server: TestServer;
  let alice: TelnetClient;
  let bob: TelnetClient;
  beforeAll(async () => {
    server = await startTestServer({ nodes: 0 });
    alice = await player(server.telnetPort, 'alice');
    bob = await player(server.telnetPort, 'bob');
  });
  afterAll(async () => {
    alice?.close();
    bob?.close();
    await server?.cleanup();
  });

  it('text - say, emote and tell reach others without bidi overrides or zero-width characters, marks bounded', async () => {
    const zalgo = `z${COMBINING_ACUTE.repeat(300)}`;
    await alice.command(`say ${RLO}evil${ZWSP} plan${WORD_JOINER} ${LRI}x ${zalgo}`);
    await bob.waitFor('Alice says');
    const said = bob.drain();
    // NFC first (z and one acute are one letter, ź), then at most MAX_COMBINING_MARKS marks on it.
    expect(said).toContain(`Alice says, "evil plan x \u017a${COMBINING_ACUTE.repeat(MAX_COMBINING_MARKS)}"`);
    expect(said).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u200b-\u200d\u2060]/);

    await alice.command(`emote ${RLO}waves${ZWJ}`);
    await bob.waitFor('Alice waves');
    expect(bob.drain()).not.toMatch(/[\u202e\u200d]/);

    await alice.command(`tell bob ${ZWSP}psst${RLO}`);
    await bob.waitFor('psst');
    const told = bob.drain();
    expect(told).toMatch(/Alice tells you,? "psst"/);
    expect(told).not.toMatch(/[\u202e\u200b]/);
  });
});

describe('skeletons, likeness and visible text', () => {
  const hasher = new PasswordHasher();
  afterAll(() => hasher.close());

  it('skeleton - TR39 lookalikes share one, different names do not', () => {
    expect(nameSkeleton('Tarnsin')).toBe(nameSkeleton('Tamsin'));
    expect(nameSkeleton('tamsin')).toBe(nameSkeleton('TAMSIN'));
    expect(nameSkeleton('Tamsim')).not.toBe(nameSkeleton('Tamsin'));
    expect(nameSkeleton('Hamish')).not.toBe(nameSkeleton('Hamlin'));
  });

  it('likeness - characters made before skeleton keys are found; two lookalikes created at once, one gets in', async () => {
    const store = new MemoryStore();
    await store.put('account/emma', { name: 'emma', salt: '00', hash: '00', N: 1024, r: 8, p: 1, wizard: false, created: 0 });
    const accounts = new Accounts(store, { hashing: new HashGate(hasher), kdfCost: 1024 });
    expect(await accounts.newNameProblem('Ernma')).toContain("looks too much like another character's");
    const made = await Promise.all([accounts.create('wilma', 'secret', '10.0.0.1'), accounts.create('wilrna', 'secret', '10.0.0.2')]);
    expect(made.filter(Boolean)).toHaveLength(1);
    // A create that failed (the name taken meanwhile) leaves no claim behind.
    expect(await accounts.newNameProblem('Zelda')).toBeUndefined();
  });

  it('visible text - NFC, no invisible characters, at most MAX_COMBINING_MARKS marks, emoji selectors kept', () => {
    expect(visibleText(`a${RLO}b${ZWSP}c\u00add\ufeff`)).toBe('abcd');
    expect(visibleText(`e${COMBINING_ACUTE}`)).toBe('\u00e9');
    expect(visibleText(`x${'\u0300\u0301\u0302\u0303\u0304\u0305\u0306'}`)).toBe(`x${'\u0300\u0301\u0302\u0303'}`);
    expect(visibleText('\u2764\ufe0f line\u2028two')).toBe('\u2764\ufe0f line two');
    expect(visibleText('Tiếng Việt')).toBe('Tiếng Việt');
  });
});
