// The economy property tests' world and moves: a fair with creatures that drop
// coins and loot, a shopkeeper, an ogre that kills whoever attacks it, and
// corpses that crumble in a second; players buy, sell, give, trade and die.

export const FAIR_WORLD = `
world: { name: Fair, start: fair }
rooms:
  fair:
    name: The Fair
    description: Stalls and noise.
    exits: { north: pit }
    items: [rat, mouse, marda]
  pit:
    name: The Pit
    description: Sand and old blood.
    exits: { south: fair }
    items: [ogre]
items:
  rat: { kind: npc, name: a rat, keywords: [rat], description: Small., hp: 1, damage: 0, coins: 9, respawn: 1 }
  mouse: { kind: npc, name: a mouse, keywords: [mouse], description: Smaller., hp: 1, damage: 0, coins: 4, respawn: 1, contents: [whisker] }
  ogre: { kind: npc, name: a huge ogre, keywords: [ogre], description: Enormous., hp: 100000, damage: 1000, respawn: 1 }
  marda: { kind: npc, name: Marda the trader, keywords: [marda], description: Shrewd., hp: 10, shop: true, coins: 20, restock: 1, contents: [bread, lamp] }
  bread: { kind: item, name: a loaf of bread, keywords: [bread, loaf], description: Fresh., value: 3 }
  lamp: { kind: item, name: a brass lamp, keywords: [lamp, brass], description: Bright., value: 8 }
  whisker: { kind: item, name: a whisker, keywords: [whisker], description: Fine., value: 2 }
  corpse: { kind: corpse, name: a corpse, keywords: [corpse], description: Still., decay: 1s }
`;

/** What a player of three (`names`, as typed in the game) may type; `DEAL <name>` is a whole trade with that player (`deal`). */
export function fairCommands([a, b, c]: string[]): string[] {
  return [
    'attack rat', 'attack mouse', 'get all', 'get coins', 'buy bread', 'buy lamp', 'sell bread', 'sell lamp', 'sell whisker',
    'drop 2 coins', `give 3 coins to ${a}`, `give 3 coins to ${b}`, `give bread to ${c}`, `trade ${a}`, `trade ${b}`, `trade ${c}`,
    'offer bread', 'offer lamp', 'offer 2 coins', 'accept', 'accept', 'cancel', 'north', 'south', 'attack ogre', 'get all from corpse',
    `DEAL ${a}`, `DEAL ${b}`, `DEAL ${c}`, `DEAL ${a}`, `DEAL ${b}`, `DEAL ${c}`,
  ];
}

/** A whole trade with a partner, each side's steps typed by its own player (named as in the game), amid everyone else's commands. */
export const deal = (me: string, partner: string): Array<[string, string]> => [
  [me, `trade ${partner}`], [me, 'offer 1 coin'], [me, 'offer bread'], [partner, 'offer 1 coin'], [partner, 'offer lamp'], [me, 'accept'], [partner, 'accept'],
];
