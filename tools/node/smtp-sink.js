#!/usr/bin/env node
// A real SMTP server that keeps what it receives: for local development (`./rrm up` starts it) and the
// Notification service's tests.
//   node smtp-sink.js PORT OUT.jsonl [--refuse REGEX] [--starttls CERT KEY | --tls-on-connect CERT KEY]
//                     [--auth USER:PASSWORD] [--fail-once drop|defer|stall=REGEX]...
// Every message whose data it received is appended to OUT.jsonl as one JSON line:
//   {kind: "message", receivedAt, from, to: [...], subject, text, messageId, language, headers: {...},
//    rawHeaders: ["Message-ID: <…>", …], tls, user, outcome: "accepted"|"dropped"|"deferred"|"stalled"}
// and, with --auth, every AUTH the client gave as {kind: "auth", at, method, user, tls, accepted} (never the password).
// --refuse: recipients whose address matches REGEX are refused with "550 5.1.1 <address>: Recipient address rejected…"
// (to test failing deliveries).
// --starttls: offers STARTTLS with this certificate and key (PEM files); --tls-on-connect: TLS from the first byte.
// --auth: requires AUTH PLAIN or LOGIN with these credentials before any mail (refused: 535).
// --fail-once MODE=REGEX: the first delivery of each Message-ID to a recipient matching REGEX has its data read and
// recorded, and then: drop, the connection is closed without a reply; defer, "451 4.3.0" is answered; stall, nothing
// is answered (until the client gives up). Later deliveries of the same Message-ID are accepted: a retry.
'use strict';
const fs = require('fs');
const { SMTPServer } = require('smtp-server');
const { simpleParser } = require('mailparser');

const usage = 'usage: smtp-sink.js PORT OUT.jsonl [--refuse REGEX] [--starttls CERT KEY | --tls-on-connect CERT KEY] ' +
  '[--auth USER:PASSWORD] [--fail-once drop|defer|stall=REGEX]...';
const [portText, out, ...rest] = process.argv.slice(2);
if (!portText || !out) {
  console.error(usage);
  process.exit(64);
}
let refuse = null, tls = null, login = null;
const failOnce = []; // [{mode, pattern}]
for (let i = 0; i < rest.length; i++) {
  const option = rest[i];
  if (option === '--refuse') refuse = new RegExp(rest[++i]);
  else if (option === '--starttls' || option === '--tls-on-connect') {
    tls = { onConnect: option === '--tls-on-connect', cert: fs.readFileSync(rest[++i]), key: fs.readFileSync(rest[++i]) };
  } else if (option === '--auth') {
    const value = rest[++i], colon = value.indexOf(':');
    login = { user: value.slice(0, colon), password: value.slice(colon + 1) };
  } else if (option === '--fail-once') {
    const [, mode, pattern] = /^(drop|defer|stall)=(.*)$/.exec(rest[++i]) || [];
    if (!mode) { console.error(usage); process.exit(64); }
    failOnce.push({ mode, pattern: new RegExp(pattern) });
  } else { console.error(usage); process.exit(64); }
}
const failedOnce = new Set(); // the Message-IDs failed once already
const record = (line) => fs.appendFileSync(out, JSON.stringify(line) + '\n');

const disabledCommands = [];
if (!tls || tls.onConnect) disabledCommands.push('STARTTLS');
if (!login) disabledCommands.push('AUTH');
const server = new SMTPServer({
  secure: !!(tls && tls.onConnect),
  key: tls ? tls.key : undefined,
  cert: tls ? tls.cert : undefined,
  authOptional: !login,
  authMethods: ['PLAIN', 'LOGIN'],
  disabledCommands,
  hideENHANCEDSTATUSCODES: false, // replies carry RFC 3463 codes ("550 5.1.1 …"), as real relays' do
  logger: false,
  onAuth(auth, session, callback) {
    const accepted = auth.username === login.user && auth.password === login.password;
    record({ kind: 'auth', at: new Date().toISOString(), method: auth.method, user: auth.username, tls: !!session.secure, accepted });
    if (!accepted) return callback(Object.assign(new Error('Authentication credentials invalid'), { responseCode: 535 }));
    callback(null, { user: auth.username });
  },
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
      const to = session.envelope.rcptTo.map((r) => r.address);
      const messageId = mail.messageId || '';
      const failure = failedOnce.has(messageId) ? null : failOnce.find((f) => to.some((address) => f.pattern.test(address)));
      if (failure) failedOnce.add(messageId);
      const outcome = failure ? { drop: 'dropped', defer: 'deferred', stall: 'stalled' }[failure.mode] : 'accepted';
      record({
        kind: 'message',
        receivedAt: new Date().toISOString(),
        from: session.envelope.mailFrom && session.envelope.mailFrom.address,
        to,
        subject: mail.subject || '',
        text: mail.text || '',
        messageId,
        language: headers['content-language'] || '',
        headers,
        rawHeaders: mail.headerLines.map((h) => h.line),
        tls: !!session.secure,
        user: session.user || null,
        outcome,
      });
      if (!failure) return callback();
      if (failure.mode === 'defer') {
        return callback(Object.assign(new Error('Requested action aborted: try again later'), { responseCode: 451 }));
      }
      if (failure.mode === 'drop') {
        // The data arrived; the connection goes before the final reply, as when a relay or the network fails then.
        // (smtp-server has no API for this: its connections and their sockets are internals of 3.21.)
        for (const connection of server.connections) if (connection.id === session.id) connection._socket.destroy();
      }
      // stall: no reply at all, until the client times out and goes.
    }, callback);
  },
});
server.on('error', (error) => console.error(`smtp-sink: ${error.message}`));
server.listen(Number(portText), '127.0.0.1', () => console.log(`smtp-sink: listening on 127.0.0.1:${portText}, writing ${out}`));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
