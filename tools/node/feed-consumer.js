#!/usr/bin/env node
// A customs-system consumer of the Rrm.Services instruction feed, written without .NET (amqplib), as
// docs/customs-feed.md describes it:
//   node feed-consumer.js read AMQP_URL QUEUE COUNT [TIMEOUT_MS] [CASE_ID]
//                                                    read COUNT instructions from QUEUE, acknowledge them, print one
//                                                    JSON line each: {messageId, routingKey, headers, instruction};
//                                                    with CASE_ID, other cases' instructions are acknowledged unprinted
//   node feed-consumer.js bind AMQP_URL QUEUE        the deployment's side, with the suite's user: declare a durable
//                                                    queue bound to every instruction (what the deployment does for
//                                                    customs.feed; tests use it for queues of their own)
// `read` declares nothing: the customs system's user (customs-feed) may only consume the queue the deployment made
// for it (customs.feed), so a declaration, even of that queue, would be refused; a missing queue fails with NOT_FOUND.
// Duplicates (same message id) are acknowledged and skipped. Exit code 0 when COUNT arrived, 2 on timeout.
'use strict';
const amqp = require('amqplib');

const EXCHANGE = 'rrm.customs.instructions';

async function main() {
  const [verb, url, queue, countText, timeoutText, caseId] = process.argv.slice(2);
  if (!['bind', 'read'].includes(verb) || !url || !queue) {
    console.error('usage: feed-consumer.js bind AMQP_URL QUEUE | read AMQP_URL QUEUE COUNT [TIMEOUT_MS] [CASE_ID]');
    process.exit(64);
  }
  const connection = await amqp.connect(url);
  connection.on('error', () => {}); // a refused operation is reported by the operation that failed
  try {
    const channel = await connection.createChannel();
    if (verb === 'read') return await read(channel, queue, Number(countText), Number(timeoutText || 20000), caseId);
    // The exchange as the Tariff-Liquidation service declares it (durable topic): an equal declaration is a no-op.
    await channel.assertExchange(EXCHANGE, 'topic', { durable: true });
    await channel.assertQueue(queue, { durable: true });
    await channel.bindQueue(queue, EXCHANGE, '#');
    return 0;
  } finally {
    await connection.close();
  }
}

function read(channel, queue, count, timeoutMs, caseId) {
  const seen = new Set();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(2), timeoutMs);
    channel.prefetch(50);
    // A refused or missing queue closes the channel: fail with the broker's reason, not a timeout.
    channel.on('error', (error) => { clearTimeout(timer); reject(error); });
    channel.consume(queue, (message) => {
      const id = message.properties.messageId;
      const instruction = JSON.parse(message.content.toString('utf8'));
      if (!seen.has(id) && (!caseId || instruction.caseId === caseId)) {
        seen.add(id);
        const headers = {};
        for (const [key, value] of Object.entries(message.properties.headers || {})) headers[key] = String(value);
        console.log(JSON.stringify({
          messageId: id,
          routingKey: message.fields.routingKey,
          contentType: message.properties.contentType,
          headers,
          instruction,
        }));
      }
      channel.ack(message);
      if (seen.size >= count) {
        clearTimeout(timer);
        resolve(0);
      }
    }).catch((error) => { clearTimeout(timer); reject(error); });
  });
}

main().then((code) => process.exit(code)).catch((error) => {
  console.error(`feed-consumer: ${error.message}`);
  process.exit(1);
});
