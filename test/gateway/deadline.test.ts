/**
 * A server that accepts a statement and never answers: the driver alone would wait 90 s per
 * attempt and then retry for minutes. The gateway's own deadline must end the call in time,
 * cancel it and drop the connection. Its own file so the driver's background retry (which the
 * fake answers, letting the process exit) overlaps other test files.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { cleanupHome, settings, startFake } from './helpers.js';
import type { FakeSnowflake } from './fake/server.js';
import * as g from '../../gateway/src/index.js';

let fake: FakeSnowflake;
before(async () => {
  fake = await startFake();
});
after(async () => {
  await fake?.stop();
  cleanupHome();
});

test('a hung call fails within its deadline with a timeout error, and the session is dropped', async () => {
  const session = await g.openSession(settings(fake), { deadlineMs: 10_000 });
  fake.respond(/LIST_PENDING_TEMPLATE_REQUESTS/, 'hang');
  const hung = once(fake, 'hang');
  const deleted = once(fake, 'sessionDelete');
  const retried = fake.retriesPast(fake.retries);
  const call = g.listRequests(session, { api: 'legacy', role: 'provider', cleanroom: 'R', pendingOnly: true }, { deadlineMs: 400 });
  await assert.rejects(call, (e: g.GatewayError) => e.kind === 'timeout' && /no answer from Snowflake within 0\.4 s; the call was cancelled/.test(e.message));
  // The call ended by the gateway's deadline (the message names it), not by an answer: the
  // request was still hanging at the fake.
  await hung;
  await deleted;
  assert.equal(session.abandoned, true);
  await session.close();
  await assert.rejects(
    session.run(g.statement('session.whoami', {}), { deadlineMs: 2000 }),
    (e: g.GatewayError) => e.kind === 'cancelled' || e.kind === 'timeout',
  );
  // Wait for the driver's own retry of the hung request to be answered, so no retry timers
  // outlive the test.
  await retried;
});

test('an abort signal cancels a call at once', async () => {
  const session = await g.openSession(settings(fake), { deadlineMs: 10_000 });
  fake.respond(/VIEW_ADDED_TEMPLATES/, 'hang');
  const retried = fake.retriesPast(fake.retries);
  const ac = new AbortController();
  const call = session.run(g.statement('consumer.view_added_templates', { cleanroom: 'R' }), { signal: ac.signal, deadlineMs: 60_000 });
  await once(fake, 'hang');
  ac.abort();
  await assert.rejects(call, (e: g.GatewayError) => e.kind === 'cancelled');
  await retried;
});

test('a set-up check that times out stops the flow: the activation is never sent', async () => {
  const session = await g.openSession(settings(fake), { deadlineMs: 10_000 });
  fake.reset();
  fake.respond(/VIEW_PROVIDER_ACTIVATION_POLICY/, 'hang');
  const retried = fake.retriesPast(fake.retries);
  const flow = g.runAnalysisFlow(
    session,
    { api: 'legacy', runAs: 'consumer', cleanrooms: ['R'], templateName: 'activation_x', arguments: { source_table: ['D.S.T'] }, activation: { segment: 's' } },
    { deadlineMs: 300 },
  );
  await assert.rejects(flow, (e: g.GatewayError) => e.kind === 'timeout' && /VIEW_PROVIDER_ACTIVATION_POLICY/.test(e.message));
  assert.deepEqual(
    fake.queries.map(q => g.procedureOf(q.sqlText)),
    ['CONSUMER.VIEW_PROVIDER_ACTIVATION_POLICY'],
  );
  await retried;
  assert.ok(!fake.queries.some(q => /RUN_ACTIVATION/.test(q.sqlText)), 'nothing was written after the timeout');
});
