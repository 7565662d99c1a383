// The rich error details of a gRPC call, as any gRPC client can read them: the standard grpc-status-details-bin
// trailer holds a google.rpc.Status (code, message, details as google.protobuf.Any). The services put a
// google.rpc.BadRequest there for an invalid request, one field violation per bad field. The two protos are
// bundled in protos/google/rpc (copied unchanged from Google's common protos, Apache-2.0).
//   const { statusDetails } = require('./status-details');
//   statusDetails(error) -> { code, message, details: [{ type, ...fields }], fieldViolations: [{ field, description }] } or null
'use strict';
const path = require('path');
const protobuf = require('protobufjs');

const GOOGLE_RPC = path.join(__dirname, 'protos', 'google', 'rpc');
// google/protobuf/any.proto and duration.proto, which these import, are built into protobufjs.
const root = protobuf.loadSync([path.join(GOOGLE_RPC, 'status.proto'), path.join(GOOGLE_RPC, 'error_details.proto')]);
const Status = root.lookupType('google.rpc.Status');

// The message an Any holds, decoded when its type is one of the bundled google.rpc details.
function unpack(any) {
  const url = any.type_url ?? any.typeUrl; // protobufjs's built-in Any keeps the proto's field name
  const type = url.slice(url.lastIndexOf('/') + 1);
  const known = root.lookup(type);
  if (!(known instanceof protobuf.Type)) return { type };
  return { type, ...known.toObject(known.decode(any.value), { defaults: true }) };
}

function statusDetails(error) {
  const [bytes] = error && error.metadata ? error.metadata.get('grpc-status-details-bin') : [];
  if (!bytes) return null;
  const status = Status.decode(bytes);
  const details = status.details.map(unpack);
  const fieldViolations = details.filter((d) => d.type === 'google.rpc.BadRequest')
    .flatMap((d) => d.fieldViolations.map((v) => ({ field: v.field, description: v.description })));
  return { code: status.code, message: status.message, details, fieldViolations };
}

module.exports = { statusDetails };
