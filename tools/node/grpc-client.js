#!/usr/bin/env node
// A client of the Rrm.Services gRPC APIs written without .NET (@grpc/grpc-js and @grpc/proto-loader over the
// project's own protos), as another agency's system would be: it checks health, discovers the services by
// reflection, signs its own HS256 tokens, reads the field violations of an invalid request from the standard
// grpc-status-details-bin trailer (status-details.js), and drives a case from the petition to its resolution.
//   node grpc-client.js PETITION REVIEW LIQUIDATION NOTIFICATION SIGNING_KEY
// Addresses as host:port (or http://host:port). Prints one JSON document of what it saw; exit code 0 when
// every call answered as the contract says, 1 otherwise (with the reason on stderr).
'use strict';
const path = require('path');
const crypto = require('crypto');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');
const { statusDetails } = require('./status-details');

const PROTOS = path.join(__dirname, '..', '..', 'protos');
const OWN_PROTOS = path.join(__dirname, 'protos');

function load(file) {
  const definition = protoLoader.loadSync(file, {
    includeDirs: [PROTOS, OWN_PROTOS], keepCase: false, longs: String, enums: String, defaults: true, oneofs: true,
  });
  return grpc.loadPackageDefinition(definition);
}

const petitionApi = load('rrm/petition/v1/petition.proto').rrm.petition.v1;
const facilityApi = load('rrm/petition/v1/facility.proto').rrm.petition.v1;
const reviewApi = load('rrm/review/v1/review.proto').rrm.review.v1;
const liquidationApi = load('rrm/liquidation/v1/liquidation.proto').rrm.liquidation.v1;
const healthApi = load('grpc/health/v1/health.proto').grpc.health.v1;
const reflectionApi = load('grpc/reflection/v1alpha/reflection.proto').grpc.reflection.v1alpha;

const base64url = (buffer) => buffer.toString('base64').replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');

// An HS256 token as the services' local-development configuration accepts it.
function token(key, roles) {
  const now = Math.floor(Date.now() / 1000);
  const header = base64url(Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })));
  const claims = base64url(Buffer.from(JSON.stringify({ sub: 'node-interop', role: roles, iss: 'rrm-local', aud: 'rrm', iat: now, nbf: now, exp: now + 600 })));
  const signature = base64url(crypto.createHmac('sha256', key).update(`${header}.${claims}`).digest());
  return `${header}.${claims}.${signature}`;
}

function bearer(jwt) {
  const metadata = new grpc.Metadata();
  if (jwt) metadata.set('authorization', `Bearer ${jwt}`);
  return metadata;
}

// Calls a unary method; resolves with the response, or, when `expectError` is set, with {code, details} and the
// google.rpc.Status of the grpc-status-details-bin trailer when the server sent one (statusDetails).
function call(client, method, request, metadata, expectError = false) {
  return new Promise((resolve, reject) => {
    client[method](request, metadata || new grpc.Metadata(), { deadline: Date.now() + 15000 }, (error, response) => {
      if (error && expectError) return resolve({ code: grpc.status[error.code], details: error.details, status: statusDetails(error) });
      if (error) return reject(new Error(`${method}: ${grpc.status[error.code]}: ${error.details}`));
      if (expectError) return reject(new Error(`${method} succeeded where an error was expected`));
      resolve(response);
    });
  });
}

function listServices(address) {
  return new Promise((resolve, reject) => {
    const client = new reflectionApi.ServerReflection(address, grpc.credentials.createInsecure());
    const stream = client.ServerReflectionInfo();
    stream.on('data', (response) => {
      if (response.listServicesResponse) resolve(response.listServicesResponse.service.map((s) => s.name).sort());
      else reject(new Error(`reflection: ${JSON.stringify(response.errorResponse)}`));
      stream.end();
    });
    stream.on('error', reject);
    stream.write({ host: '', listServices: '*' });
  });
}

async function eventually(what, probe, seconds = 30) {
  for (let i = 0; i < seconds * 5; i++) {
    const value = await probe();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`waited ${seconds} s for ${what}`);
}

const date = (y, m, d) => ({ year: y, month: m, day: d });
const text = (d) => (d ? `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}` : '');

async function main() {
  const args = process.argv.slice(2);
  if (args.length !== 5) {
    console.error('usage: grpc-client.js PETITION REVIEW LIQUIDATION NOTIFICATION SIGNING_KEY');
    return 64;
  }
  const [petitionAt, reviewAt, liquidationAt, notificationAt] = args.slice(0, 4).map((a) => a.replace(/^https?:\/\//, ''));
  const key = args[4];
  const insecure = grpc.credentials.createInsecure();
  const seen = { health: {}, services: {} };

  for (const [name, address] of Object.entries({ petition: petitionAt, review: reviewAt, liquidation: liquidationAt, notification: notificationAt })) {
    const health = new healthApi.Health(address, insecure);
    seen.health[name] = {
      liveness: (await call(health, 'Check', { service: '' })).status,
      readiness: (await call(health, 'Check', { service: 'readiness' })).status,
    };
    seen.services[name] = await listServices(address);
  }

  const analyst = bearer(token(key, ['ilc.analyst']));
  const officer = bearer(token(key, ['ustr.officer']));
  const customs = bearer(token(key, ['customs.system']));
  const facilities = new facilityApi.FacilityService(petitionAt, insecure);
  const petitions = new petitionApi.PetitionService(petitionAt, insecure);
  const cases = new reviewApi.ReviewService(reviewAt, insecure);
  const liquidation = new liquidationApi.LiquidationService(liquidationAt, insecure);

  seen.withoutToken = await call(cases, 'ListCases', {}, null, true);
  seen.withoutRole = await call(cases, 'SubmitRequestForReview', {}, customs, true);
  seen.emptyLegalName = await call(facilities, 'RegisterFacility', { legalName: '', city: 'Saltillo', state: 'COA' }, analyst, true);
  seen.badPetition = await call(petitions, 'SubmitPetition', {
    facilityId: 'not-an-id', petitioner: { organization: 'Sindicato Node', contactEmail: 'not an address' }, narrative: '',
    allegationCategories: ['ALLEGATION_CATEGORY_FREEDOM_OF_ASSOCIATION'], language: 'PETITION_LANGUAGE_EN', receivedDate: date(2024, 6, 24),
  }, analyst, true);

  const suffix = crypto.randomBytes(4).toString('hex');
  const facility = (await call(facilities, 'RegisterFacility', {
    legalName: `Planta Interoperable ${suffix}, S.A. de C.V.`, streetAddress: 'Calle Node 20', city: 'Saltillo', state: 'Coahuila',
    sector: 'SECTOR_MANUFACTURING', subsector: 'SUBSECTOR_AUTO_PARTS',
  }, analyst)).facility;
  seen.facility = { name: facility.legalName, mids: facility.mids, state: facility.stateCode };
  const petition = (await call(petitions, 'SubmitPetition', {
    facilityId: facility.facilityId, petitioner: { anonymous: true }, narrative: 'Filed through the Node interop client.',
    allegationCategories: ['ALLEGATION_CATEGORY_FREEDOM_OF_ASSOCIATION'], language: 'PETITION_LANGUAGE_EN', receivedDate: date(2024, 6, 24),
  }, analyst)).petition;
  seen.petition = { status: petition.status, reviewDueDate: text(petition.reviewDueDate) };
  await call(petitions, 'RecordDetermination', {
    petitionId: petition.petitionId, outcome: 'DETERMINATION_OUTCOME_SUFFICIENT', determinationDate: date(2024, 7, 24), rationale: 'Credible evidence.',
  }, analyst);

  const opened = await eventually('the case on the petition', async () =>
    (await call(cases, 'ListCases', { facilityId: facility.facilityId }, officer)).cases.find((c) => c.petitionId === petition.petitionId));
  const requested = (await call(cases, 'SubmitRequestForReview', { caseId: opened.caseId, act: { effectiveDate: date(2024, 7, 26) }, suspendLiquidation: true }, officer)).case;
  seen.requested = {
    state: requested.state, liquidationSuspended: requested.liquidationSuspended,
    deadlines: requested.deadlines.map((d) => ({ kind: d.kind, due: text(d.dueDate), status: d.status })),
  };
  // A panel cannot be requested while Mexico may still answer (until August 5).
  seen.tooEarly = await call(cases, 'RequestPanel', { caseId: opened.caseId, act: { effectiveDate: date(2024, 7, 30) } }, officer, true);
  await call(cases, 'RecordMexicoResponse', { caseId: opened.caseId, act: { effectiveDate: date(2024, 8, 5) }, response: 'MEXICO_RESPONSE_ACCEPTED' }, officer);
  const resolved = (await call(cases, 'ResolveCase', { caseId: opened.caseId, act: { effectiveDate: date(2024, 9, 17) } }, officer)).case;
  seen.resolved = { state: resolved.state, liquidationSuspended: resolved.liquidationSuspended };

  const instructions = await eventually('the two instructions of the case', async () => {
    const all = (await call(liquidation, 'ListInstructions', { pageSize: 1000 }, customs)).instructions.filter((i) => i.caseId === opened.caseId);
    return all.length >= 2 ? all : null;
  });
  seen.instructions = instructions.map((i) => ({ sequence: i.sequence, kind: i.kind, effective: text(i.effectiveDate), liquidateBy: text(i.liquidateBy), mids: i.mids }));
  console.log(JSON.stringify(seen, null, 2));
  return 0;
}

main().then((code) => process.exit(code)).catch((error) => {
  console.error(`grpc-client: ${error.message}`);
  process.exit(1);
});
