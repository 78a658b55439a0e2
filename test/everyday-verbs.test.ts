// The everyday verbs of issue 23 in every dispatch mode: socials from the
// world's table (alone and aimed at a player or a creature, whose script sees
// them), emote with a possessive, read, eat (what is eaten goes back where it
// started, so it still exists once), drink, use (a thing's script), give all,
// look at, ask a creature about something, and Old Tamsin's quest asked, taken
// and finished, as the player's journal (`quests`) shows it. The same lines in-process, as actors and as functions.
import { describe, expect, it } from 'vitest';
import { expectSameInOtherModes, modeTranscript } from './helpers/mode-transcript.js';

const SCRIPT: Array<[string, string]> = [
  ['alice', 'smile'], ['alice', 'nod bob'], ['bob', 'bow to alice'], ['alice', 'shrug bob'], ['alice', 'smile carol'], ['alice', "emote 's eyes glow"],
  ['alice', 'drink fountain'], ['alice', 'look at the fountain'], ['alice', 'ask fountain about water'], ['alice', 'west'], ['alice', 'get all'], ['alice', 'ask pell about her lanterns'], ['alice', 'ask pell about the weather'], ['alice', 'eat red apple'], ['alice', 'use lantern'],
  ['alice', 'read lantern'], ['alice', 'eat lantern'], ['alice', 'look'], ['alice', 'east'], ['alice', 'give all to bob'], ['alice', 'give all to bob'],
  ['bob', 'north'], ['bob', 'take candle'], ['bob', 'read candle'], ['bob', 'read book'], ['bob', 'south'], ['bob', 'south'], ['bob', 'east'],
  ['bob', 'quests'], ['bob', 'ask tamsin about the weather'], ['bob', 'ask tamsin about going down'], ['bob', 'ask tamsin about her lamp'], ['bob', 'quests'], ['bob', 'wave tamsin'],
  ['bob', 'give green apple to tamsin'], ['bob', 'give candle to tamsin'], ['bob', 'quests'], ['bob', 'ask tamsin about lamp'], ['bob', 'ask rat about cheese'],
];


describe('everyday verbs', () => {
  it('socials, emote, read, eat, drink, use, give all, ask and a quest - the same transcript in every mode', async () => {
    const base = await modeTranscript('in-process', SCRIPT);
    const alice = base.lines['player/alice'];
    const bob = base.lines['player/bob'];
    expect(alice.slice(0, 6)).toEqual([
      'You smile.', 'You nod to Bob.', 'Bob bows before you.', 'You can\'t shrug at anyone; just "shrug".', 'You don\'t see "carol" here.', "Alice's eyes glow",
    ]);
    expect(bob.slice(0, 4)).toEqual(['Alice smiles.', 'Alice nods to you.', 'You bow before Alice.', "Alice's eyes glow"]);
    expect(alice).toContain('You drink from a marble fountain. The water is cold and tastes faintly of copper coins. For a moment you feel lighter.');
    expect(bob).toContain('Alice drinks from a marble fountain.');
    expect(alice).toContain('Water leaps from the mouth of a stone fish, hangs in the air for a moment as if deciding, and then falls - usually down. Coins glitter at the bottom of the basin.');
    // Pell answers about her trade, and shrugs off the rest (she had "nothing to say" about her own lanterns).
    expect(alice).toContain('Pell says, "Paper, glue and patience, love. The glow is the hard part: I trade the fountain for it, a cupful at a time."');
    expect(alice).toContain('Pell keeps folding. "Weather? Not my trade, love. Ask me about lanterns."');
    expect(alice).toContain('You eat a red apple. Crisp and sweet. Another rolls out from under the fruit stall before you have finished.');
    expect(alice).toContain("The paper lantern in Alice's hands glows brighter, and the carp flicks its tail.");
    expect(alice).toContain('There is nothing written on a paper lantern.');
    expect(alice).toContain("You can't eat a paper lantern.");
    // The eaten apple is back in the market, where it started.
    expect(alice.join('\n')).toContain('Exits: east.\nYou see Pell the lantern maker and a red apple.');
    expect(alice.join('\n')).toContain('You give a red apple to Bob.\nYou give a green apple to Bob.\nYou give a paper lantern to Bob.\nYou aren\'t carrying anything.');
    expect(bob).toContain('Someone has scratched "for T." into the wax.');
    const quest = bob.slice(bob.indexOf('Old Tamsin lifts her lamp. "Welcome, Bob! Mind the rat, and never go down there alone."') + 1);
    expect(quest).toEqual([
      'Your journal is empty. The locals have work for those who ask: "ask <someone> about <topic>".',
      'Old Tamsin scratches her chin. "Weather? Never heard of it, dear."',
      // She warns of what lies down the stair, and knows of it when asked.
      'Old Tamsin says, "Down the root stair sleeps the Wyrm. Nobody goes down there alone, dear. Not twice."',
      'Old Tamsin holds up her dark lamp. "Gone out, and my last candle with it. There is a stub of one in the Old Library, north of the plaza. Bring it to me, Bob, would you? Just give it here."',
      '[Quest: A Light for Old Tamsin. Find a candle and give it to her.]',
      // Her script keeps the quest in Bob's journal (ctx.quest).
      'Your quests:\n  A Light for Old Tamsin (from old Tamsin): Find a candle and give it to her.',
      'You wave to old Tamsin.',
      'Old Tamsin waves back with her lamp pole.',
      "Old Tamsin doesn't want a green apple.",
      'You give a stub of candle to old Tamsin.',
      'Old Tamsin lights the candle from a spark of her pole and sets it in her lamp. Warm light fills the hollow. "Bless you, Bob! A secret for your trouble: the wyrm sleeps when the fountain runs down."',
      '[Quest complete: A Light for Old Tamsin.]',
      'You have no quest under way.\nDone:\n  A Light for Old Tamsin (from old Tamsin)',
      'Old Tamsin says, "My lamp burns bright, thanks to you, Bob."',
      'A fat hedge rat has nothing to say about that.',
    ]);
    expect(alice).toContain('A marble fountain has nothing to say.');
    await expectSameInOtherModes(SCRIPT, base);
  }, 90_000);
});
