// The Mystical Plaza: the fountain at the heart of the world.
//
// Each top-level function named after a message type is a hook. The engine
// runs its own handler first (it has already moved the player, told the room,
// ...), then the hook, which gets the plaza's script state, the message, and
// ctx. A hook returns the new state, or nothing to keep the state as it is.

const GREETINGS = [
  'The fountain chimes a bright, glassy note as you step into the plaza.',
  'A breeze carries the smell of rain and warm lanterns. Welcome, %s.',
  'The pigeons look up from the cobbles to inspect you, %s, then go back to their crumbs.',
  'For a moment the fountain runs upward, as if to get a better look at you.',
];

const MOODS = ['dreamy', 'playful', 'solemn', 'sparkling', 'sleepy'];

// A visitor is greeted once per visit window: walking out and straight back in
// is not a new visit. The plaza remembers when it last greeted whom.
const VISIT_WINDOW_MS = 10 * 60 * 1000;
// Bounded, so a busy plaza's state stays small: the oldest are forgotten first.
const REMEMBERED_VISITORS = 200;

// Runs once, when the plaza first comes to life.
function init(state, msg, ctx) {
  return { visitors: 0, mood: pick(MOODS, ctx), pigeonFlights: 0, greeted: {} };
}

function enter(state, msg, ctx) {
  // `?? 0`: a plaza that existed before this script was added never ran init.
  const visitors = (state.visitors ?? 0) + 1;
  const greeted = state.greeted ?? {};
  const last = greeted[msg.player];
  if (last !== undefined && ctx.now() - last < VISIT_WINDOW_MS) return { ...state, visitors };
  ctx.tell(msg.player, pick(GREETINGS, ctx).replace('%s', msg.name));
  // ctx.here lists at most the first 50 occupants; occupantCount is the whole crowd.
  const count = ctx.here.occupantCount ?? ctx.here.occupants.length;
  ctx.tell(msg.player, `The fountain is in a ${state.mood ?? 'dreamy'} mood today. ${crowd(count)}`);
  // Every tenth visitor, the fountain changes its mind about how it feels.
  const mood = visitors % 10 === 0 || !state.mood ? pick(MOODS, ctx) : state.mood;
  return { ...state, visitors, mood, greeted: remember(greeted, msg.player, ctx.now()) };
}

function exit(state, msg, ctx) {
  ctx.tellRoom(ctx.self, `The fountain murmurs something that sounds like "safe travels, ${msg.name}".`);
}

function emote(state, msg, ctx) {
  if (ctx.random() >= 0.3) return;
  ctx.tellRoom(ctx.self, 'Startled, the pigeons burst into the air, circle the fountain once, and settle again.');
  return { ...state, pigeonFlights: (state.pigeonFlights ?? 0) + 1 };
}

// Helpers: any name that is not a message type.
function crowd(count) {
  if (count <= 1) return 'You have the plaza to yourself.';
  if (count === 2) return 'One other traveller lingers by the water.';
  if (count < 20) return `${count - 1} others linger by the water.`;
  return 'The plaza is packed shoulder to shoulder; the pigeons have retreated to the rooftops.';
}

function remember(greeted, player, now) {
  const recent = Object.entries(greeted).filter(([p, at]) => p !== player && now - at < VISIT_WINDOW_MS);
  recent.sort((a, b) => b[1] - a[1]);
  return Object.fromEntries([[player, now], ...recent.slice(0, REMEMBERED_VISITORS - 1)]);
}

function pick(list, ctx) {
  return list[Math.floor(ctx.random() * list.length)];
}
