// The builder scripts of the `scripted` bench world (world-gen.ts, keepers:
// 'scripted'): what a rich builder-made world puts on every room and every
// creature. Each reacts to what players do there (a room to say, enter and
// exit; its keeper to the same as a creature hears them: overhear, greet,
// farewell), keeps a little state that changes with the crowd, and sometimes
// answers, as the default world's plaza and Tamsin do.

/** A room that counts its visitors, remembers the last few, greets now and then, and sees leavers off. */
export const ROOM_SCRIPT = `// A bench room: counts, remembers the last visitors, answers now and then.
function enter(state, msg, ctx) {
  const visits = (state.visits ?? 0) + 1;
  const recent = (state.recent ?? []).filter((p) => p !== msg.player).slice(-9);
  if (visits % 5 === 0) ctx.tell(msg.player, 'The floorboards creak a welcome, ' + msg.name + '.');
  return { ...state, visits, recent: [...recent, msg.player] };
}

function exit(state, msg, ctx) {
  if (ctx.random() < 0.2) ctx.tellRoom(ctx.self, 'Footprints lead ' + (msg.dir ?? 'away') + ' where ' + msg.name + ' went.');
  return { ...state, leaves: (state.leaves ?? 0) + 1 };
}

function say(state, msg, ctx) {
  const words = msg.text.split(/\\s+/).length;
  if (/\\becho\\b/i.test(msg.text)) ctx.tellRoom(ctx.self, 'The walls echo: ' + msg.text);
  return { ...state, words: (state.words ?? 0) + words };
}
`;

/** A keeper creature that greets newcomers once, nods at hellos, and counts farewells. */
export const KEEPER_SCRIPT = `// A bench keeper: greets each newcomer once, nods at a hello, counts who left.
function greet(state, msg, ctx) {
  const seen = state.seen ?? [];
  if (seen.includes(msg.player)) return;
  ctx.tell(msg.player, 'The keeper looks up and nods to you, ' + msg.name + '.');
  return { ...state, seen: [...seen.slice(-19), msg.player] };
}

function overhear(state, msg, ctx) {
  if (!/\\bhello\\b/i.test(msg.text)) return;
  const hellos = (state.hellos ?? 0) + 1;
  if (hellos % 10 === 0) ctx.tellRoom(msg.room, 'The keeper says, "That is ' + hellos + ' hellos today."');
  return { ...state, hellos };
}

function farewell(state, msg, ctx) {
  return { ...state, farewells: (state.farewells ?? 0) + 1 };
}
`;
