import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/** scrypt's cost parameters, as stored with each account. */
export interface KdfParams {
  N: number;
  r: number;
  p: number;
}

export interface HashJob extends KdfParams {
  id: number;
  password: string;
  salt: Uint8Array;
  keyLength: number;
}

export type HashReply = { id: number; key: Uint8Array; ms: number } | { id: number; error: string };

/** Cost of a hash before any is measured (scrypt N=16384 on one core, about 50 ms). */
const FIRST_ESTIMATE_MS = 50;

/** Password hashes on a thread of their own. Node's async `scrypt` runs on
 *  libuv's thread pool, the same four threads that do the file store's appends
 *  and fsyncs: twenty connections hashing made every write wait behind them
 *  (issue 25). Here the hashes queue for one thread, and the store's fs work
 *  never does. How many may wait is bounded in front of it (portal/hash-gate.ts). */
export class PasswordHasher {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (key: Buffer) => void; reject: (err: Error) => void }>();

  /** Milliseconds per hash, a moving average of the last ones (measured on the thread). */
  private perHashMs = FIRST_ESTIMATE_MS;

  private readied!: () => void;
  private failedToStart!: (err: Error) => void;
  /** Settles once the thread is up and listening (`mud serve` waits for it before it listens);
   *  rejects if it dies first. */
  readonly ready = new Promise<void>((resolve, reject) => {
    this.readied = resolve;
    this.failedToStart = reject;
  });

  /** The thread starts now, not at the first login, which would wait for it. */
  constructor() {
    this.start();
  }

  /** Hashes done since the start. */
  done = 0;

  /** Jobs handed to the thread and not yet answered. */
  get pending(): number {
    return this.waiting.size;
  }

  /** About how long a hash asked for now would wait before its turn. */
  get backlogMs(): number {
    return this.waiting.size * this.perHashMs;
  }

  hash(password: string, salt: Buffer, params: KdfParams, keyLength: number): Promise<Buffer> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      if (this.waiting.size === 1) worker.ref();
      worker.postMessage({ id, password, salt, keyLength, ...params } satisfies HashJob);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    for (const w of this.waiting.values()) w.reject(new Error('the password hasher is closed'));
    this.waiting.clear();
    await worker?.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(workerFile());
    // Idle, the thread must not keep the process alive; while a job waits it does (see `hash`).
    worker.unref();
    worker.on('message', (reply: HashReply | 'ready') => {
      if (reply === 'ready') return this.readied();
      const w = this.waiting.get(reply.id);
      if (!w) return;
      this.waiting.delete(reply.id);
      if (this.waiting.size === 0) worker.unref();
      if ('key' in reply) {
        this.perHashMs = 0.8 * this.perHashMs + 0.2 * reply.ms;
        this.done++;
        w.resolve(Buffer.from(reply.key));
      }
      else w.reject(new Error(reply.error));
    });
    worker.on('error', (err) => this.fail(worker, err));
    worker.on('exit', (code) => this.fail(worker, new Error(`the password hasher stopped (exit ${code})`)));
    this.worker = worker;
    return worker;
  }

  /** The thread died: what waited on it fails, and the next hash starts a new one. */
  private fail(worker: Worker, err: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.failedToStart(err);
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
  }
}

/** The compiled worker beside this file, or under dist/ when running from source (tests). */
function workerFile(): string {
  const here = fileURLToPath(new URL('./password-hash-worker.js', import.meta.url));
  if (existsSync(here)) return here;
  return join(fileURLToPath(new URL('../', import.meta.url)), 'dist', 'portal', 'password-hash-worker.js');
}
