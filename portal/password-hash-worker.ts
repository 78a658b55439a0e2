// The password-hashing thread (portal/password-hasher.ts): scrypt, synchronously,
// one job at a time, off the main thread and off libuv's thread pool, so the
// store's file writes and fsyncs never queue behind a password hash.
import { scryptSync } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import type { HashJob, HashReply } from './password-hasher.js';

parentPort!.on('message', (job: HashJob) => {
  let reply: HashReply;
  const started = performance.now();
  try {
    const key = scryptSync(job.password.normalize('NFC'), job.salt, job.keyLength, { N: job.N, r: job.r, p: job.p, maxmem: 256 * job.N * job.r });
    reply = { id: job.id, key, ms: performance.now() - started };
  } catch (err) {
    reply = { id: job.id, error: (err as Error).message };
  }
  parentPort!.postMessage(reply);
});
parentPort!.postMessage('ready');
