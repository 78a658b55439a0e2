import { readlinkSync } from 'node:fs';
import { workerData } from 'node:worker_threads';
import { Channel, Op, Slot, Status } from './script-channel.js';
import { ScriptRunner, type Limits, type Ran } from './script-runner.js';
import { threadMemoryFull } from './script-interpreter.js';
import type { ScriptSource } from '../core/types.js';

// The script thread: every builder script of one turn thread runs here, one
// request at a time, while the turn thread waits on the channel. The turn
// thread ends this thread when a call overruns its budget (script-thread.ts):
// whatever the script was doing, in the interpreter or inside a built-in.

const channel = new Channel((workerData as { sab: SharedArrayBuffer }).sab);
const runners = new Map<number, ScriptRunner>();

/** ctx.here, asked of the turn thread mid-call, only when a hook reads it. */
function here(): string {
  channel.send(Slot.NEED_HERE, '');
  while (channel.waitWhile(Slot.NEED_HERE, Infinity) === Slot.NEED_HERE);
  return channel.text();
}

function answer(status: Status, text: string): void {
  if (!channel.send(Slot.DONE, text, 0, 0, status)) channel.send(Slot.DONE, 'script answered too much', 0, 0, Status.LIMIT);
}

function answerRan(ran: Ran): void {
  if (threadMemoryFull()) channel.markSpent();
  if ('text' in ran) answer(Status.TEXT, ran.text);
  else if ('limit' in ran) answer(Status.LIMIT, ran.limit);
  else answer(Status.THROWN, JSON.stringify(ran.thrown));
}

function serve(): void {
  switch (channel.op) {
    case Op.COMPILE: {
      const { src, limits } = JSON.parse(channel.text()) as { src: ScriptSource; limits: Limits };
      const runner = new ScriptRunner(src, limits);
      let booted;
      try {
        booted = runner.boot();
      } catch (err) {
        runner.dispose();
        booted = { ok: false as const, error: { file: src.file, line: src.line, column: 1, message: `script runtime failed: ${(err as Error).message}` } };
      }
      if (booted.ok) runners.set(channel.id, runner);
      return answer(booted.ok ? Status.TEXT : Status.FAILED, JSON.stringify(booted.ok ? booted.hooks : booted.error));
    }
    case Op.CALL: {
      const runner = runners.get(channel.id);
      if (!runner) return answer(Status.LIMIT, 'script is not available');
      return answerRan(runner.run(channel.text(), here));
    }
    case Op.FREE:
      runners.get(channel.id)?.dispose();
      runners.delete(channel.id);
      return answer(Status.TEXT, '');
  }
}

/** This thread's id on Linux (/proc/thread-self is `pid/task/tid`); 0 elsewhere. */
function linuxThreadId(): number {
  try {
    return Number(readlinkSync('/proc/thread-self').split('/').pop()) || 0;
  } catch {
    return 0;
  }
}

channel.markReady(linuxThreadId());
for (;;) {
  // One read per round: waiting on a second read could sleep on a REQUEST that has just come.
  for (let state = channel.state; state !== Slot.REQUEST; state = channel.waitWhile(state, Infinity));
  try {
    serve();
  } catch (err) {
    answer(Status.LIMIT, `script runtime failed: ${(err as Error).message}`);
  }
}
