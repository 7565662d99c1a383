#!/usr/bin/env node
// A customs-system consumer of the Rrm.Services instruction feed, written without .NET (amqplib), as
// docs/customs-feed.md describes it:
//   node feed-consumer.js bind AMQP_URL QUEUE        declare a durable queue bound to every instruction
//   node feed-consumer.js read AMQP_URL QUEUE COUNT [TIMEOUT_MS] [CASE_ID]
//                                                    read COUNT instructions, acknowledge them, print one
//                                                    JSON line each: {messageId, routingKey, headers, instruction};
//                                                    with CASE_ID, other cases' instructions are acknowledged unprinted
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
  try {
    const channel = await connection.createChannel();
    await channel.assertExchange(EXCHANGE, 'topic', { durable: true });
    await channel.assertQueue(queue, { durable: true });
    await channel.bindQueue(queue, EXCHANGE, '#');
    if (verb === 'bind') return 0;
    return await read(channel, queue, Number(countText), Number(timeoutText || 20000), caseId);
  } finally {
    await connection.close();
  }
}

function read(channel, queue, count, timeoutMs, caseId) {
  const seen = new Set();
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(2), timeoutMs);
    channel.prefetch(50);
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
    });
  });
}

main().then((code) => process.exit(code)).catch((error) => {
  console.error(`feed-consumer: ${error.message}`);
  process.exit(1);
});
