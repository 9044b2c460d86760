// node-redis 5 (the `redis` package) through stdnetd, in RESP2 and in RESP3 (HELLO 3 end to end):
// pipelines, MULTI/WATCH, pub/sub on a duplicate connection, blocking commands on a client pool,
// and for RESP3 the reply types, push messages on a connection that also runs commands, and
// client-side caching (CLIENT TRACKING invalidations).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BasicClientSideCache, WatchError, createClient, createClientPool,
} from 'redis';
import Redis from 'ioredis';
import {
  APP2_PASSWORD, HOST, PREFIX1, PREFIX2, REDIS_PORT, STDNET_PORT, awaitBlocked, sleep, uniq,
  waitFor, within,
} from './lib.mjs';

const opened = [];

function options(RESP, extra = {}) {
  return { socket: { host: HOST, port: STDNET_PORT, reconnectStrategy: false }, RESP, ...extra };
}

// A connected node-redis client of the proxy.
async function connect(RESP, extra = {}) {
  const client = createClient(options(RESP, extra));
  client.on('error', () => {});  // errors surface through the rejected command promises
  opened.push(client);
  await within(client.connect(), `node-redis RESP${RESP} connect (handshake through stdnetd)`);
  return client;
}

async function connectPool(RESP, extra = {}) {
  const pool = createClientPool(options(RESP, extra), { minimum: 1, maximum: 4 });
  pool.on('error', () => {});
  opened.push(pool);
  await within(pool.connect(), `node-redis RESP${RESP} pool connect`);
  return pool;
}

async function duplicate(client) {
  const copy = client.duplicate();
  copy.on('error', () => {});
  opened.push(copy);
  await within(copy.connect(), 'duplicate connect');
  return copy;
}

// The backend, to check what the proxy really wrote (ioredis, RESP2).
let direct;

before(async () => {
  direct = new Redis({ host: HOST, port: REDIS_PORT, maxRetriesPerRequest: 0 });
  direct.on('error', () => {});
  await direct.ping();
});

after(() => {
  for (const client of opened) {
    try {
      client.destroy();
    } catch {
      // already closed
    }
  }
  direct.disconnect();
});

// A reply turned into a plain object whatever prototype node-redis gives maps.
const plain = (value) => ({ ...value });

for (const RESP of [2, 3]) {
  describe(`node-redis RESP${RESP}`, () => {
    let client;

    before(async () => {
      client = await connect(RESP);
    });

    test('the handshake negotiated the protocol: HELLO reports it', async () => {
      const hello = await client.sendCommand(['HELLO']);
      if (RESP === 3) {
        assert.ok(!Array.isArray(hello) && typeof hello === 'object', 'RESP3 HELLO is a map');
        assert.equal(hello.proto, 3);
      } else {
        assert.ok(Array.isArray(hello));
        assert.equal(hello[hello.indexOf('proto') + 1], 2);
      }
      assert.equal(await client.ping(), 'PONG');
    });

    test('1000 auto-pipelined commands and execAsPipeline keep order, keys prefixed', async () => {
      const t = uniq('pipe');
      const writes = [];
      for (let i = 0; i < 1000; i++) writes.push(client.set(`${t}:k${i}`, `v${i}`));
      assert.ok((await within(Promise.all(writes), '1000 SETs')).every((r) => r === 'OK'));
      const reads = [];
      for (let i = 0; i < 1000; i++) reads.push(client.get(`${t}:k${i}`));
      const values = await within(Promise.all(reads), '1000 GETs');
      values.forEach((v, i) => assert.equal(v, `v${i}`));
      const batch = client.multi();
      for (let i = 0; i < 10; i++) batch.incr(`${t}:counter`);
      batch.get(`${t}:k7`);
      assert.deepEqual(await batch.execAsPipeline(), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 'v7']);
      const backendKeys = await direct.keys(`*${t}:*`);
      assert.equal(backendKeys.length, 1001);
      assert.ok(backendKeys.every((k) => k.startsWith(`${PREFIX1}${t}:`)), backendKeys[0]);
    });

    test('multi().exec() runs the transaction on the prefixed keys', async () => {
      const k = uniq('tx');
      const l = uniq('txlist');
      const res = await client.multi().set(k, '1').incr(k).rPush(l, ['a', 'b'])
        .lRange(l, 0, -1).exec();
      assert.deepEqual(res, ['OK', 2, 2, ['a', 'b']]);
      assert.equal(await direct.get(PREFIX1 + k), '2');
      assert.deepEqual(await direct.lrange(PREFIX1 + l, 0, -1), ['a', 'b']);
      assert.equal(await direct.exists(k, l), 0);
    });

    test('WATCH: a conflicting write makes exec() throw WatchError, none commits', async () => {
      const k = uniq('watched');
      const c = await duplicate(client);
      await c.set(k, 'start');
      assert.equal(await c.watch(k), 'OK');
      await client.set(k, 'changed');
      await assert.rejects(c.multi().set(k, 'mine').exec(), WatchError);
      assert.equal(await direct.get(PREFIX1 + k), 'changed');
      assert.equal(await c.watch(k), 'OK');
      assert.deepEqual(await c.multi().set(k, 'mine').exec(), ['OK']);
      assert.equal(await direct.get(PREFIX1 + k), 'mine');
    });

    test('WATCH in a pool.execute() transaction retries after a conflict', async () => {
      const k = uniq('counter');
      const pool = await connectPool(RESP);
      await client.set(k, '0');
      let attempts = 0;
      const result = await within(pool.execute(async (c) => {
        for (;;) {
          attempts += 1;
          await c.watch(k);
          const value = Number(await c.get(k));
          if (attempts === 1) await client.set(k, '100');  // a conflicting write
          try {
            return await c.multi().set(k, String(value + 1)).exec();
          } catch (err) {
            if (!(err instanceof WatchError)) throw err;
          }
        }
      }), 'WATCH retry loop');
      assert.deepEqual(result, ['OK']);
      assert.equal(attempts, 2);
      assert.equal(await direct.get(PREFIX1 + k), '101');
    });

    test('subscribe on a duplicate connection: channel without prefix', async () => {
      const ch = uniq('news');
      const sub = await duplicate(client);
      const got = [];
      await within(sub.subscribe(ch, (message, channel) => got.push([channel, message])),
                   'SUBSCRIBE');
      assert.deepEqual(await direct.pubsub('CHANNELS', `*${ch}`), [PREFIX1 + ch]);
      assert.deepEqual(await client.pubSubChannels(`*${ch}`), [ch]);
      assert.deepEqual(plain(await client.pubSubNumSub(ch)), { [ch]: 1 });
      assert.equal(await client.publish(ch, 'hello'), 1);
      await waitFor(() => got.length >= 1, 'the message');
      assert.deepEqual(got, [[ch, 'hello']]);
      await sub.unsubscribe(ch);
      assert.deepEqual(await direct.pubsub('CHANNELS', `*${ch}`), []);
    });

    test('pSubscribe and sSubscribe: pattern, channel, sharded channel without prefix',
         async () => {
           const base = uniq('ev');
           const sub = await duplicate(client);
           const pgot = [];
           const sgot = [];
           await sub.pSubscribe(`${base}.*`, (message, channel) => pgot.push([channel, message]));
           await sub.sSubscribe(`${base}-shard`, (message, channel) => sgot.push([channel, message]));
           assert.deepEqual(await direct.call('PUBSUB', 'SHARDCHANNELS', `*${base}-shard`),
                            [`${PREFIX1}${base}-shard`]);
           assert.equal(await client.publish(`${base}.one`, '1'), 1);
           assert.equal(await client.sPublish(`${base}-shard`, 's'), 1);
           await waitFor(() => pgot.length >= 1 && sgot.length >= 1, 'pmessage and smessage');
           assert.deepEqual(pgot, [[`${base}.one`, '1']]);
           assert.deepEqual(sgot, [[`${base}-shard`, 's']]);
         });

    test('two tenants subscribed to the same channel name get only their own messages',
         async () => {
           const ch = uniq('chat');
           const c2 = await connect(RESP, { password: APP2_PASSWORD });
           const sub1 = await duplicate(client);
           const sub2 = await duplicate(c2);
           const got1 = [];
           const got2 = [];
           await sub1.subscribe(ch, (message, channel) => got1.push([channel, message]));
           await sub2.subscribe(ch, (message, channel) => got2.push([channel, message]));
           assert.deepEqual((await direct.pubsub('CHANNELS', `*${ch}`)).sort(),
                            [PREFIX1 + ch, PREFIX2 + ch]);
           assert.equal(await client.publish(ch, 'from-app1'), 1);
           assert.equal(await c2.publish(ch, 'from-app2'), 1);
           await waitFor(() => got1.length >= 1 && got2.length >= 1, 'a message per tenant');
           await sleep(200);  // nothing else may arrive
           assert.deepEqual(got1, [[ch, 'from-app1']]);
           assert.deepEqual(got2, [[ch, 'from-app2']]);
         });

    test('blPop on a client pool is resolved by a push from another client', async () => {
      const q = uniq('queue');
      const pool = await connectPool(RESP);
      const pending = pool.blPop(q, 0);
      await awaitBlocked(direct, 'blpop');
      assert.equal(await within(client.ping(), 'PING while a pool client is blocked'), 'PONG');
      assert.equal(await client.rPush(q, 'job'), 1);
      assert.deepEqual(plain(await within(pending, 'BLPOP result')), { key: q, element: 'job' });
      assert.equal(await pool.blPop(uniq('empty'), 0.1), null);
      assert.equal(await direct.exists(PREFIX1 + q), 0);
    });

    test('bzPopMin and blMove through the pool, keys without prefix', async () => {
      const pool = await connectPool(RESP);
      const z = uniq('zset');
      const src = uniq('src');
      const dst = uniq('dst');
      await client.zAdd(z, [{ score: 1.5, value: 'm' }]);
      assert.deepEqual(plain(await pool.bzPopMin([uniq('none'), z], 1)),
                       { key: z, value: 'm', score: 1.5 });
      await client.rPush(src, ['a']);
      assert.equal(await pool.blMove(src, dst, 'LEFT', 'RIGHT', 1), 'a');
      assert.deepEqual(await direct.lrange(PREFIX1 + dst, 0, -1), ['a']);
    });

    test('XREAD BLOCK (raw reply): stream name without prefix', async () => {
      const s = uniq('stream');
      const pool = await connectPool(RESP);
      const pending = pool.sendCommand(['XREAD', 'BLOCK', '0', 'STREAMS', s, '$']);
      await awaitBlocked(direct, 'xread');
      const id = await client.xAdd(s, '*', { f: 'v' });
      const reply = await within(pending, 'XREAD result');
      if (RESP === 3) {
        // RESP3: a map keyed by stream name.
        assert.ok(!Array.isArray(reply), 'RESP3 XREAD is a map');
        assert.deepEqual(Object.keys(reply), [s]);
        assert.deepEqual(reply[s], [[id, ['f', 'v']]]);
      } else {
        assert.deepEqual(reply, [[s, [[id, ['f', 'v']]]]]);
      }
    });

    test('KEYS and scanIterator list the namespace keys without prefix', async () => {
      const t = uniq('ks');
      const names = ['a', 'b', 'c', 'd', 'e'].map((x) => `${t}:${x}`);
      for (const n of names) await client.set(n, '1');
      await direct.set(`${t}:foreign`, 'x');
      await direct.set(`${PREFIX2}${t}:other`, 'x');
      assert.deepEqual((await client.keys(`${t}:*`)).sort(), names);
      const all = await client.keys('*');
      assert.ok(names.every((n) => all.includes(n)));
      assert.ok(all.every((k) => !k.startsWith(PREFIX1) && !k.endsWith(':foreign')));
      const scanned = [];
      for await (const batch of client.scanIterator({ MATCH: `${t}:*`, COUNT: 10 })) {
        scanned.push(...(Array.isArray(batch) ? batch : [batch]));
      }
      assert.deepEqual([...new Set(scanned)].sort(), names);
      assert.equal(await client.dbSize() >= names.length, true);
    });

    test('custom command ZPOPBYRANK through sendCommand, also inside MULTI', async () => {
      const z = uniq('ranked');
      await client.zAdd(z, [{ score: 1, value: 'a' }, { score: 2, value: 'b' },
        { score: 3, value: 'c' }]);
      assert.deepEqual(await client.sendCommand(['ZPOPBYRANK', z, '0']), ['a']);
      assert.deepEqual(await client.sendCommand(['ZPOPBYRANK', z, '-1', 'WITHSCORES']),
                       ['c', '3']);
      const res = await client.multi().addCommand(['ZPOPBYRANK', z, '0']).zCard(z).exec();
      assert.deepEqual(res, [['b'], 0]);
      assert.equal(await direct.exists(PREFIX1 + z), 0);
    });

    if (RESP === 3) {
      test('RESP3 reply types come through: map, double, null', async () => {
        const h = uniq('hash');
        const z = uniq('zset');
        await client.hSet(h, { f1: 'v1', f2: 'v2' });
        const raw = await client.sendCommand(['HGETALL', h]);
        assert.ok(!Array.isArray(raw), 'HGETALL is a RESP3 map, not a flat array');
        assert.deepEqual(plain(raw), { f1: 'v1', f2: 'v2' });
        await client.zAdd(z, [{ score: 1.5, value: 'm' }]);
        assert.equal(await client.sendCommand(['ZSCORE', z, 'm']), 1.5);  // a RESP3 double
        assert.equal(await client.sendCommand(['GET', uniq('missing')]), null);
        assert.deepEqual(plain(await client.hGetAll(h)), { f1: 'v1', f2: 'v2' });
        assert.deepEqual(await direct.hgetall(PREFIX1 + h), { f1: 'v1', f2: 'v2' });
      });

      test('RESP3 push: one connection subscribes and keeps running commands', async () => {
        const ch = uniq('push');
        const k = uniq('alongside');
        const c = await connect(3);
        const got = [];
        await c.subscribe(ch, (message, channel) => got.push([channel, message]));
        assert.equal(await c.set(k, 'v'), 'OK');
        assert.equal(await client.publish(ch, 'm1'), 1);
        assert.equal(await c.get(k), 'v');
        await waitFor(() => got.length >= 1, 'the push message');
        assert.equal(await c.publish(ch, 'm2'), 1);
        await waitFor(() => got.length >= 2, 'the second push message');
        assert.deepEqual(got, [[ch, 'm1'], [ch, 'm2']]);
        assert.equal(await direct.get(PREFIX1 + k), 'v');
      });

      test('CLIENT TRACKING: invalidation pushes name the key without prefix', async () => {
        const k = uniq('tracked');
        const c = await connect(3, { emitInvalidate: true });
        const invalidated = [];
        c.on('invalidate', (key) => invalidated.push(key === null ? null : key.toString()));
        await client.set(k, 'old');
        assert.equal(await c.get(k), 'old');
        await client.set(k, 'new');
        await waitFor(() => invalidated.includes(k), `an invalidation of ${k}`);
        assert.ok(invalidated.every((key) => key === null || !key.startsWith(PREFIX1)));
      });

      test('client-side cache: hit, then invalidated by another client\'s write', async () => {
        const k = uniq('cached');
        const cache = new BasicClientSideCache({ ttl: 0, maxEntries: 0 });
        const c = await connect(3, { clientSideCache: cache });
        await client.set(k, 'v1');
        assert.equal(await c.get(k), 'v1');  // miss: fetched and cached
        assert.equal(await c.get(k), 'v1');  // hit
        assert.equal(cache.stats().hitCount, 1);
        await client.set(k, 'v2');
        await waitFor(async () => (await c.get(k)) === 'v2', 'the cached value to be invalidated');
      });
    }
  });
}
