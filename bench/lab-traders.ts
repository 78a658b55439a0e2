// Players who carry things back and forth for a while, run inside the lab's bots namespace
// (`node dist/bench/lab-traders.js HOST PORT COUNT SECONDS PREFIX [STOPFILE]`: with a stop file, until it
// exists, SECONDS at most; a test whose checks need the players still in the world says when): the market's apples and
// lantern to the plaza and back, or the garden's pebble and key. Each waits for the answer
// to one command before sending the next (closed loop), and prints one JSON line at the end:
// commands sent, answered, the slowest answer and how many took over a second (delayed by a
// partition), and those that failed (the first few, with the reason).
import { existsSync } from 'node:fs';
import { TelnetClient } from '../portal/telnet/telnet-client.js';
import { labPlayerName } from './lab-names.js';

const [host, port, count, seconds, prefix, stopFile] = process.argv.slice(2);
const until = Date.now() + Number(seconds) * 1000;
const going = () => Date.now() < until && !(stopFile && existsSync(stopFile));
let sent = 0;
let answered = 0;
let slowestMs = 0;
let overSecond = 0;
const failures: string[] = [];

const nameOf = (i: number) => labPlayerName(prefix, i);

/** One at a time: a gateway checks one password per address at once (all traders share the namespace's). */
async function logIn(i: number): Promise<TelnetClient> {
  const c = await TelnetClient.open(Number(port), host);
  await c.nextAnswer(60_000);
  const name = nameOf(i);
  const hello = await c.command(`create ${name} secret`, 60_000);
  if (!/Welcome/.test(hello)) throw new Error(`${name} could not log in: ${hello.slice(0, 200)}`);
  return c;
}

async function trade(c: TelnetClient, i: number): Promise<void> {
  const [there, back, things] = i % 2 === 0 ? ['west', 'east', ['apple', 'lantern']] : ['south', 'north', ['pebble', 'key']];
  const run = async (line: string) => {
    sent++;
    const started = performance.now();
    await c.command(line, 60_000).catch((err: Error) => {
      throw new Error(`${nameOf(i)} "${line}" at ${new Date().toISOString()}: ${err.message}`);
    });
    const ms = performance.now() - started;
    slowestMs = Math.max(slowestMs, ms);
    if (ms > 1_000) overSecond++;
    answered++;
  };
  while (going()) {
    await run(there);
    for (const t of things) await run(`take ${t}`);
    await run(back);
    for (const t of things) await run(`drop ${t}`);
  }
  // Leave nothing in the hands of a logged-out player that the audit would have to explain.
  sent++;
  c.send('quit');
  await c.waitClosed(60_000).catch((err: Error) => {
    throw new Error(`${nameOf(i)} "quit" at ${new Date().toISOString()}: ${err.message}`);
  });
  answered++;
}

const fail = (err: Error) => {
  if (failures.length < 5) failures.push(err.message);
};
const clients: TelnetClient[] = [];
for (let i = 0; i < Number(count); i++) await logIn(i).then((c) => clients.push(c), fail);
await Promise.all(clients.map((c, i) => trade(c, i).catch(fail)));
process.stdout.write(`${JSON.stringify({ sent, answered, slowestMs: Math.round(slowestMs), overSecond, failed: failures.length, failures })}\n`);
// A trader whose command or quit was never answered still holds its socket: drop them all, so the script
// ends and the test reads why (before, it hung until the lab killed it, and said nothing).
for (const c of clients) c.close();
