// Shared helpers for the Node client tests (run through tests/integration/test_node_clients.py).
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';

function port(name) {
  const value = Number(process.env[name]);
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`${name} is not set: run these tests through ` +
                    'tests/integration/test_node_clients.py, which starts redis-server and stdnetd');
  }
  return value;
}

export const STDNET_PORT = port('STDNET_PORT');  // the proxy: default namespace app1, prefix "app1:"
export const REDIS_PORT = port('REDIS_PORT');    // the backend, to check what the proxy wrote
export const HOST = '127.0.0.1';
export const PREFIX1 = 'app1:';
export const PREFIX2 = 'app2:';
export const APP2_PASSWORD = 'app2-secret';

let counter = 0;
// A name no other test uses, so tests never see each other's keys or channels.
export function uniq(name) {
  counter += 1;
  return `${name}-${process.pid}-${counter}`;
}

// Polls fn() until it returns a truthy value; fails with `what` after timeoutMs.
export async function waitFor(fn, what, timeoutMs = 5000, intervalMs = 20) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

// Resolves with the promise's value, or fails the test after timeoutMs (a test never hangs).
export async function within(promise, what, timeoutMs = 5000) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms: ${what}`)),
                       timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// True once the backend shows a client blocked (flag b) in `cmd` (lower case), e.g. in BLPOP.
// `direct` is a client of the backend with a call(...) method (ioredis).
export async function backendHasClientIn(direct, cmd) {
  const list = await direct.call('CLIENT', 'LIST');
  return list.split('\n').some((line) => line.includes(` cmd=${cmd} `) &&
                                          /(^| )flags=[A-Za-z]*b/.test(line));
}

// Waits (bounded) until a client is blocked in `cmd` on the backend; returns whether it saw one.
// The callers' assertions hold either way (a push before the block is popped at once), this only
// makes the test exercise the blocked path.
export async function awaitBlocked(direct, cmd, timeoutMs = 3000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await backendHasClientIn(direct, cmd)) return true;
    await sleep(20);
  }
  return false;
}

export { sleep };
