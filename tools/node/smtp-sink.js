#!/usr/bin/env node
// A real SMTP server that keeps what it receives: for local development (`./rrm up` starts it) and the
// Notification service's tests.
//   node smtp-sink.js PORT OUT.jsonl [--refuse REGEX]
// Every accepted message is appended to OUT.jsonl as one JSON line:
//   {receivedAt, from, to: [...], subject, text, messageId, language, headers: {...}}
// --refuse: recipients whose address matches REGEX are refused with "550 5.1.1 <address>: Recipient address rejected…"
// (to test failing deliveries).
'use strict';
const fs = require('fs');
const { SMTPServer } = require('smtp-server');
const { simpleParser } = require('mailparser');

const [portText, out, ...rest] = process.argv.slice(2);
if (!portText || !out) {
  console.error('usage: smtp-sink.js PORT OUT.jsonl [--refuse REGEX]');
  process.exit(64);
}
const refuseAt = rest.indexOf('--refuse');
const refuse = refuseAt >= 0 ? new RegExp(rest[refuseAt + 1]) : null;

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  hideENHANCEDSTATUSCODES: false, // replies carry RFC 3463 codes ("550 5.1.1 …"), as real relays' do
  logger: false,
  onRcptTo(address, session, callback) {
    // Worded as relays word it (Postfix): the reply quotes the refused address, as a real relay's does.
    if (refuse && refuse.test(address.address)) {
      return callback(Object.assign(new Error(`<${address.address}>: Recipient address rejected: User unknown in local recipient table`), { responseCode: 550 }));
    }
    callback();
  },
  onData(stream, session, callback) {
    simpleParser(stream).then((mail) => {
      const headers = {};
      for (const [key, value] of mail.headers) headers[key] = typeof value === 'string' ? value : JSON.stringify(value);
      fs.appendFileSync(out, JSON.stringify({
        receivedAt: new Date().toISOString(),
        from: session.envelope.mailFrom && session.envelope.mailFrom.address,
        to: session.envelope.rcptTo.map((r) => r.address),
        subject: mail.subject || '',
        text: mail.text || '',
        messageId: mail.messageId || '',
        language: headers['content-language'] || '',
        headers,
      }) + '\n');
      callback();
    }, callback);
  },
});
server.on('error', (error) => console.error(`smtp-sink: ${error.message}`));
server.listen(Number(portText), '127.0.0.1', () => console.log(`smtp-sink: listening on 127.0.0.1:${portText}, writing ${out}`));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
