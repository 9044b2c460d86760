// ioredis (RESP2) through stdnetd: pipelines, transactions, WATCH, pub/sub, blocking commands,
// KEYS/SCAN, custom commands. Every write is also checked on the backend for the "app1:" prefix.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import Redis, { Command } from 'ioredis';
import {
  APP2_PASSWORD, HOST, PREFIX1, PREFIX2, REDIS_PORT, STDNET_PORT, awaitBlocked, sleep, uniq,
  waitFor, within,
} from './lib.mjs';

const opened = [];

// A client of the proxy (or of the backend with port REDIS_PORT) that fails fast, never retries.
function connect(options = {}) {
  const client = new Redis({
    host: HOST, port: STDNET_PORT, maxRetriesPerRequest: 0, retryStrategy: () => null,
    enableOfflineQueue: true, ...options,
  });
  client.on('error', () => {});  // errors surface through the rejected command promises
  opened.push(client);
  return client;
}

let r;       // app1 through the proxy
let direct;  // the backend itself

before(async () => {
  r = connect();
  direct = connect({ port: REDIS_PORT });
  await within(r.ping(), 'PING through stdnetd');
});

after(() => {
  for (const client of opened) client.disconnect();
});

describe('ioredis pipelines and transactions', () => {
  test('a pipeline of 1000 commands keeps order and prefixes every key', async () => {
    const t = uniq('pipe');
    const p = r.pipeline();
    for (let i = 0; i < 500; i++) {
      p.set(`${t}:k${i}`, `v${i}`);
      p.get(`${t}:k${i}`);
    }
    const results = await within(p.exec(), 'pipeline of 1000 commands');
    assert.equal(results.length, 1000);
    for (let i = 0; i < 500; i++) {
      assert.deepEqual(results[2 * i], [null, 'OK']);
      assert.deepEqual(results[2 * i + 1], [null, `v${i}`]);
    }
    const backendKeys = await direct.keys(`*${t}:*`);
    assert.equal(backendKeys.length, 500);
    assert.ok(backendKeys.every((k) => k.startsWith(`${PREFIX1}${t}:`)), backendKeys[0]);
  });

  test('multi().exec() runs the transaction on the prefixed keys', async () => {
    const k = uniq('tx');
    const l = uniq('txlist');
    const res = await r.multi().set(k, '1').incr(k).rpush(l, 'a', 'b').lrange(l, 0, -1).exec();
    assert.deepEqual(res, [[null, 'OK'], [null, 2], [null, 2], [null, ['a', 'b']]]);
    assert.equal(await direct.get(PREFIX1 + k), '2');
    assert.deepEqual(await direct.lrange(PREFIX1 + l, 0, -1), ['a', 'b']);
    assert.equal(await direct.exists(k, l), 0);
  });

  test('multi without pipelining: QUEUED replies, DISCARD, then EXEC', async () => {
    const k = uniq('queued');
    const c = connect();
    assert.equal(await c.multi({ pipeline: false }), 'OK');
    assert.equal(await c.set(k, 'discarded'), 'QUEUED');
    assert.equal(await c.discard(), 'OK');
    assert.equal(await direct.exists(PREFIX1 + k), 0);
    assert.equal(await c.multi({ pipeline: false }), 'OK');
    assert.equal(await c.set(k, 'kept'), 'QUEUED');
    assert.equal(await c.get(k), 'QUEUED');
    assert.deepEqual(await c.exec(), [[null, 'OK'], [null, 'kept']]);
    assert.equal(await direct.get(PREFIX1 + k), 'kept');
  });

  test('a runtime error inside EXEC is reported for that command only', async () => {
    const s = uniq('str');
    await r.set(s, 'x');
    const res = await r.multi().lpush(s, 'y').get(s).exec();
    assert.ok(res[0][0] instanceof Error && /WRONGTYPE/.test(res[0][0].message), String(res[0][0]));
    assert.deepEqual(res[1], [null, 'x']);
  });

  test('WATCH conflict from another client makes EXEC return null', async () => {
    const k = uniq('watched');
    const c = connect();
    const other = connect();
    await c.set(k, 'start');
    assert.equal(await c.watch(k), 'OK');
    await other.set(k, 'changed');
    const res = await c.multi().set(k, 'mine').exec();
    assert.equal(res, null);
    assert.equal(await c.get(k), 'changed');
    assert.equal(await direct.get(PREFIX1 + k), 'changed');
    // Without a conflict the same sequence commits.
    assert.equal(await c.watch(k), 'OK');
    assert.deepEqual(await c.multi().set(k, 'mine').exec(), [[null, 'OK']]);
    assert.equal(await direct.get(PREFIX1 + k), 'mine');
  });

  test('a write to the unprefixed backend key does not trip a WATCH', async () => {
    const k = uniq('watched2');
    const c = connect();
    assert.equal(await c.watch(k), 'OK');
    await direct.set(k, 'other-tenant-or-raw');  // the same name without the prefix
    assert.deepEqual(await c.multi().set(k, 'ok').exec(), [[null, 'OK']]);
    assert.equal(await direct.get(PREFIX1 + k), 'ok');
    assert.equal(await direct.get(k), 'other-tenant-or-raw');
  });
});

describe('ioredis pub/sub', () => {
  test('subscribe + message event: channel without prefix, prefixed on the backend', async () => {
    const ch = uniq('news');
    const sub = connect();
    const got = [];
    sub.on('message', (channel, message) => got.push([channel, message]));
    assert.equal(await within(sub.subscribe(ch), 'SUBSCRIBE'), 1);
    assert.deepEqual(await direct.pubsub('CHANNELS', `*${ch}`), [PREFIX1 + ch]);
    assert.deepEqual(await r.pubsub('CHANNELS', `*${ch}`), [ch]);
    assert.deepEqual(await r.pubsub('NUMSUB', ch), [ch, 1]);
    assert.equal(await r.publish(ch, 'hello'), 1);
    await waitFor(() => got.length >= 1, 'the message event');
    assert.deepEqual(got, [[ch, 'hello']]);
    // A publish straight to the unprefixed backend channel is not seen by the tenant.
    assert.equal(await direct.publish(ch, 'foreign'), 0);
    assert.equal(await r.publish(ch, 'second'), 1);
    await waitFor(() => got.length >= 2, 'the second message');
    assert.deepEqual(got, [[ch, 'hello'], [ch, 'second']]);
    assert.equal(await sub.unsubscribe(ch), 0);
    assert.deepEqual(await direct.pubsub('CHANNELS', `*${ch}`), []);
  });

  test('psubscribe + pmessage event: pattern and channel without prefix', async () => {
    const base = uniq('ev');
    const sub = connect();
    const got = [];
    sub.on('pmessage', (pattern, channel, message) => got.push([pattern, channel, message]));
    assert.equal(await within(sub.psubscribe(`${base}.*`), 'PSUBSCRIBE'), 1);
    assert.equal(await r.publish(`${base}.one`, '1'), 1);
    assert.equal(await r.publish(`other-${base}.two`, '2'), 0);
    await waitFor(() => got.length >= 1, 'the pmessage event');
    assert.deepEqual(got, [[`${base}.*`, `${base}.one`, '1']]);
    assert.deepEqual(await direct.pubsub('NUMPAT'), 1);
  });

  test('ssubscribe + smessage event (sharded pub/sub)', async () => {
    const ch = uniq('shard');
    const sub = connect();
    const got = [];
    sub.on('smessage', (channel, message) => got.push([channel, message]));
    assert.equal(await within(sub.ssubscribe(ch), 'SSUBSCRIBE'), 1);
    assert.deepEqual(await direct.call('PUBSUB', 'SHARDCHANNELS', `*${ch}`), [PREFIX1 + ch]);
    assert.equal(await r.spublish(ch, 'sharded'), 1);
    await waitFor(() => got.length >= 1, 'the smessage event');
    assert.deepEqual(got, [[ch, 'sharded']]);
  });

  test('subscribed mode: PING gets the pub/sub form, UNSUBSCRIBE returns to normal mode',
       async () => {
         const ch = uniq('mode');
         const k = uniq('after-sub');
         const sub = connect();
         await sub.subscribe(ch, `${ch}-2`);
         assert.deepEqual(await sub.ping(), ['pong', '']);
         await assert.rejects(sub.get(k), /subscriber mode|Connection in subscriber mode|only/i);
         assert.equal(await sub.unsubscribe(), 0);
         assert.equal(await sub.set(k, 'v'), 'OK');
         assert.equal(await sub.ping(), 'PONG');
         assert.equal(await direct.get(PREFIX1 + k), 'v');
       });

  test('RESP2 client tracking with REDIRECT to a subscribed connection', async () => {
    const k = uniq('tracked');
    const inv = connect();
    const got = [];
    inv.on('message', (channel, message) => got.push([channel, message]));
    const invId = await inv.client('ID');
    await inv.subscribe('__redis__:invalidate');
    const tracker = connect();
    assert.equal(await tracker.call('CLIENT', 'TRACKING', 'ON', 'REDIRECT', invId), 'OK');
    await r.set(k, 'old');
    assert.equal(await tracker.get(k), 'old');
    await r.set(k, 'new');
    await waitFor(() => got.length >= 1, 'an invalidation message on __redis__:invalidate');
    // The payload is the key list; ioredis hands a message payload over as a string.
    assert.equal(got[0][0], '__redis__:invalidate');
    assert.equal(String(got[0][1]), k);
  });

  test('RESP2 BCAST tracking sees only the namespace keys, PREFIX is namespaced', async () => {
    const t = uniq('bcast');
    const inv = connect();
    const got = [];
    inv.on('message', (channel, message) => got.push(String(message)));
    const invId = await inv.client('ID');
    await inv.subscribe('__redis__:invalidate');
    const all = connect();
    assert.equal(await all.call('CLIENT', 'TRACKING', 'ON', 'REDIRECT', invId, 'BCAST'), 'OK');
    await direct.set(`${t}:unprefixed`, 'x');          // outside any namespace
    await direct.set(`${PREFIX2}${t}:app2`, 'x');      // another tenant's key
    await r.set(`${t}:mine`, 'x');
    await waitFor(() => got.includes(`${t}:mine`), 'the invalidation of the own key');
    await sleep(100);
    assert.deepEqual(got.filter((m) => m.includes(t)), [`${t}:mine`]);

    const inv2 = connect();
    const got2 = [];
    inv2.on('message', (channel, message) => got2.push(String(message)));
    const inv2Id = await inv2.client('ID');
    await inv2.subscribe('__redis__:invalidate');
    const some = connect();
    assert.equal(await some.call('CLIENT', 'TRACKING', 'ON', 'REDIRECT', inv2Id, 'BCAST',
                                 'PREFIX', `${t}:user:`), 'OK');
    await r.set(`${t}:other`, 'x');
    await direct.set(`${t}:user:raw`, 'x');
    await r.set(`${t}:user:1`, 'x');
    await waitFor(() => got2.includes(`${t}:user:1`), 'the invalidation of user:1');
    await sleep(100);
    assert.deepEqual(got2, [`${t}:user:1`]);
  });

  test('two tenants subscribed to the same channel name get only their own messages', async () => {
    const ch = uniq('chat');
    const sub1 = connect();
    const sub2 = connect({ password: APP2_PASSWORD });
    const pub2 = connect({ password: APP2_PASSWORD });
    const got1 = [];
    const got2 = [];
    sub1.on('message', (channel, message) => got1.push([channel, message]));
    sub2.on('message', (channel, message) => got2.push([channel, message]));
    await within(Promise.all([sub1.subscribe(ch), sub2.subscribe(ch)]), 'both SUBSCRIBEs');
    assert.deepEqual((await direct.pubsub('CHANNELS', `*${ch}`)).sort(),
                     [PREFIX1 + ch, PREFIX2 + ch]);
    assert.equal(await r.publish(ch, 'from-app1'), 1);
    assert.equal(await pub2.publish(ch, 'from-app2'), 1);
    await waitFor(() => got1.length >= 1 && got2.length >= 1, 'one message for each tenant');
    await sleep(200);  // nothing else may arrive
    assert.deepEqual(got1, [[ch, 'from-app1']]);
    assert.deepEqual(got2, [[ch, 'from-app2']]);
  });
});

describe('ioredis blocking commands', () => {
  test('BLPOP is resolved by a push from another client, key without prefix', async () => {
    const q = uniq('queue');
    const blocker = connect();
    const pending = blocker.blpop(q, 0);
    await awaitBlocked(direct, 'blpop');
    // Other clients are not held up by the blocked one.
    assert.equal(await within(r.ping(), 'PING while another client is blocked'), 'PONG');
    assert.equal(await r.rpush(q, 'job'), 1);
    assert.deepEqual(await within(pending, 'BLPOP result'), [q, 'job']);
    assert.equal(await direct.exists(PREFIX1 + q), 0);
    // The blocked client's connection is usable afterwards.
    assert.equal(await blocker.set(q, 'after'), 'OK');
    assert.equal(await direct.get(PREFIX1 + q), 'after');
  });

  test('BLPOP with a timeout returns null', async () => {
    assert.equal(await within(r.blpop(uniq('empty'), 0.1), 'BLPOP timeout'), null);
  });

  test('BRPOP, BLMOVE, BZPOPMIN, BLMPOP on keys that have data', async () => {
    const src = uniq('src');
    const dst = uniq('dst');
    const z = uniq('zset');
    await r.rpush(src, 'a', 'b', 'c');
    assert.deepEqual(await r.brpop(uniq('none'), src, 1), [src, 'c']);
    assert.equal(await r.blmove(src, dst, 'LEFT', 'RIGHT', 1), 'a');
    assert.deepEqual(await r.call('BLMPOP', 1, 2, uniq('none'), src, 'LEFT'), [src, ['b']]);
    await r.zadd(z, 1, 'm');
    assert.deepEqual(await r.bzpopmin(z, 1), [z, 'm', '1']);
    assert.deepEqual(await direct.lrange(PREFIX1 + dst, 0, -1), ['a']);
  });

  test('XREAD BLOCK is resolved by an XADD, stream name without prefix', async () => {
    const s = uniq('stream');
    const reader = connect();
    const pending = reader.xread('BLOCK', 0, 'STREAMS', s, '$');
    await awaitBlocked(direct, 'xread');
    const id = await r.xadd(s, '*', 'f', 'v');
    assert.deepEqual(await within(pending, 'XREAD result'), [[s, [[id, ['f', 'v']]]]]);
    assert.equal(await direct.xlen(PREFIX1 + s), 1);
  });

  test('20 clients blocked at once each get their own element', async () => {
    const t = uniq('many');
    const blockers = Array.from({ length: 20 }, () => connect());
    const pending = blockers.map((b, i) => b.blpop(`${t}:q${i}`, 0));
    for (let i = 19; i >= 0; i--) await r.rpush(`${t}:q${i}`, `v${i}`);
    const results = await within(Promise.all(pending), '20 BLPOP results');
    results.forEach((res, i) => assert.deepEqual(res, [`${t}:q${i}`, `v${i}`]));
    assert.deepEqual(await direct.keys(`*${t}:*`), []);
  });

  test('a client that disconnects while blocked does not swallow a later push', async () => {
    const q = uniq('abandoned');
    const blocker = connect();
    blocker.blpop(q, 0).catch(() => {});
    await awaitBlocked(direct, 'blpop');
    blocker.disconnect();
    // Wait until the backend connection that was blocked for it is no longer blocked on the key.
    await waitFor(async () => !(await direct.call('CLIENT', 'LIST')).split('\n')
      .some((line) => / flags=[A-Za-z]*b/.test(line) && line.includes(' cmd=blpop ')),
                  'the abandoned BLPOP to be unblocked on the backend');
    assert.equal(await r.rpush(q, 'kept'), 1);
    await sleep(100);
    assert.deepEqual(await r.lrange(q, 0, -1), ['kept']);
  });

  test('inside MULTI a blocking command does not block; WAIT answers at once', async () => {
    const q = uniq('txq');
    const res = await r.multi().blpop(q, 0).rpush(q, 'x').blpop(q, 0).exec();
    assert.deepEqual(res, [[null, null], [null, 1], [null, [q, 'x']]]);
    assert.equal(await within(r.call('WAIT', 0, 100), 'WAIT 0 100'), 0);
  });

  test('XREADGROUP BLOCK is resolved by an XADD, stream name without prefix', async () => {
    const s = uniq('gstream');
    await r.xgroup('CREATE', s, 'g', '$', 'MKSTREAM');
    const reader = connect();
    const pending = reader.xreadgroup('GROUP', 'g', 'c1', 'BLOCK', 0, 'STREAMS', s, '>');
    await awaitBlocked(direct, 'xreadgroup');
    const id = await r.xadd(s, '*', 'f', 'v');
    assert.deepEqual(await within(pending, 'XREADGROUP result'), [[s, [[id, ['f', 'v']]]]]);
    assert.deepEqual(await r.xpending(s, 'g'), [1, id, id, [['c1', '1']]]);
    await assert.rejects(r.xreadgroup('GROUP', 'nogroup', 'c', 'STREAMS', s, '>'),
                         (err) => /NOGROUP/.test(err.message) && !err.message.includes(PREFIX1));
  });
});

describe('ioredis keys, scan, custom commands, RESP2', () => {
  test('KEYS and SCAN list the namespace keys without prefix', async () => {
    const t = uniq('ks');
    const names = ['a', 'b', 'c', 'd', 'e'].map((x) => `${t}:${x}`);
    for (const n of names) await r.set(n, '1');
    await direct.set(`${t}:foreign`, 'x');           // not in any namespace
    await direct.set(`${PREFIX2}${t}:other`, 'x');   // another tenant's
    assert.deepEqual((await r.keys(`${t}:*`)).sort(), names);
    const all = await r.keys('*');
    assert.ok(names.every((n) => all.includes(n)));
    assert.ok(all.every((k) => !k.startsWith(PREFIX1) && !k.endsWith(':foreign')), all.join());
    const scanned = [];
    const stream = r.scanStream({ match: `${t}:*`, count: 2 });
    stream.on('data', (keys) => scanned.push(...keys));
    await within(once(stream, 'end'), 'scanStream end');
    assert.deepEqual([...new Set(scanned)].sort(), names);
    const plain = [];
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'COUNT', 100);
      plain.push(...keys);
      cursor = next;
    } while (cursor !== '0');
    assert.ok(names.every((n) => plain.includes(n)));
    assert.ok(plain.every((k) => !k.startsWith(PREFIX1) && !k.endsWith(':foreign')));
    assert.equal(await r.exists(`${t}:foreign`), 0);
  });

  test('custom command ZPOPBYRANK through call() and sendCommand()', async () => {
    const z = uniq('ranked');
    await r.zadd(z, 1, 'a', 2, 'b', 3, 'c', 4, 'd');
    assert.deepEqual(await r.call('ZPOPBYRANK', z, 0), ['a']);
    assert.deepEqual(await r.call('ZPOPBYRANK', z, 0, 1, 'REV', 'WITHSCORES'),
                     ['d', '4', 'c', '3']);
    const reply = await r.sendCommand(new Command('ZPOPBYRANK', [z, 0], { replyEncoding: 'utf8' }));
    assert.deepEqual(reply, ['b']);
    assert.equal(await direct.exists(PREFIX1 + z), 0);  // the last member went: the key is gone
    await r.zadd(z, 5, 'e');
    assert.deepEqual(await direct.zrange(PREFIX1 + z, 0, -1), ['e']);
    // Inside MULTI too.
    const res = await r.multi().call('ZPOPBYRANK', z, 0).zcard(z).exec();
    assert.deepEqual(res, [[null, ['e']], [null, 0]]);
  });

  test('raw EVAL is refused for a non-trusted tenant with a clear error', async () => {
    await assert.rejects(r.eval("return redis.call('GET', KEYS[1])", 1, uniq('k')), /ERR/);
    assert.equal(await r.ping(), 'PONG');  // the connection stays usable
  });

  test('RESP2 replies: HELLO shows proto 2, HGETALL is a flat array turned into an object',
       async () => {
         const hello = await r.call('HELLO');
         assert.ok(Array.isArray(hello), 'HELLO without arguments replies with a RESP2 array');
         assert.equal(hello[hello.indexOf('proto') + 1], 2);
         const h = uniq('hash');
         await r.hset(h, 'f1', 'v1', 'f2', 'v2');
         assert.deepEqual(await r.hgetall(h), { f1: 'v1', f2: 'v2' });
         assert.deepEqual(await r.call('HGETALL', h), ['f1', 'v1', 'f2', 'v2']);
         assert.equal(await r.call('ZSCORE', uniq('nz'), 'x'), null);
         assert.deepEqual(await direct.hgetall(PREFIX1 + h), { f1: 'v1', f2: 'v2' });
       });

  test('the second tenant (AUTH app2-secret) sees its own keys only', async () => {
    const k = uniq('tenant');
    const c2 = connect({ password: APP2_PASSWORD });
    await r.set(k, 'one');
    await c2.set(k, 'two');
    assert.equal(await r.get(k), 'one');
    assert.equal(await c2.get(k), 'two');
    assert.equal(await direct.get(PREFIX1 + k), 'one');
    assert.equal(await direct.get(PREFIX2 + k), 'two');
    assert.deepEqual(await c2.keys(`${k}*`), [k]);
  });
});
