#!/usr/bin/env node
// Checks rendered Kubernetes manifests offline (no cluster):
//   kubectl kustomize k8s/overlays/prod | node check-k8s.js
// 1. every object validates against the Kubernetes schemas (kubernetes-models); the operators' custom
//    resources (CloudNativePG, RabbitMQ), for which no schema is at hand offline, against the fields this
//    suite relies on;
// 2. policy: every workload's containers (init containers too) have CPU and memory requests and limits,
//    run as non-root without privilege escalation, on a read-only root filesystem with every capability
//    dropped, from a pinned image (a version tag or a digest, never "latest"); long-running containers
//    have startup, liveness and readiness probes; pods mount no service-account token; every namespaced
//    object names its namespace.
// Prints each problem as "Kind namespace/name: problem" and a last line "N objects, N problems"; exit code
// 1 when there is a problem, 64 on bad input.
'use strict';
const fs = require('fs');
const YAML = require('yaml');

const CUSTOM = {
  'postgresql.cnpg.io/v1/Cluster': ['spec.instances', 'spec.storage.size', 'spec.bootstrap.initdb.secret.name', 'spec.imageName'],
  'postgresql.cnpg.io/v1/ScheduledBackup': ['spec.schedule', 'spec.cluster.name'],
  'rabbitmq.com/v1beta1/RabbitmqCluster': ['spec.replicas', 'spec.image'],
  'rabbitmq.com/v1beta1/Vhost': ['spec.name', 'spec.rabbitmqClusterReference.name'],
  'rabbitmq.com/v1beta1/User': ['spec.importCredentialsSecret.name', 'spec.rabbitmqClusterReference.name'],
  'rabbitmq.com/v1beta1/Permission': ['spec.vhost', 'spec.userReference.name', 'spec.permissions', 'spec.rabbitmqClusterReference.name'],
  'rabbitmq.com/v1beta1/Exchange': ['spec.name', 'spec.vhost', 'spec.type', 'spec.durable', 'spec.rabbitmqClusterReference.name'],
  'rabbitmq.com/v1beta1/Queue': ['spec.name', 'spec.vhost', 'spec.type', 'spec.durable', 'spec.rabbitmqClusterReference.name'],
  'rabbitmq.com/v1beta1/Binding': ['spec.vhost', 'spec.source', 'spec.destination', 'spec.destinationType', 'spec.routingKey', 'spec.rabbitmqClusterReference.name'],
  'rabbitmq.com/v1beta1/Policy': ['spec.name', 'spec.vhost', 'spec.pattern', 'spec.applyTo', 'spec.definition', 'spec.rabbitmqClusterReference.name'],
};
const WORKLOADS = { Deployment: true, StatefulSet: true, DaemonSet: true, Job: false, CronJob: false }; // kind -> long-running

const at = (object, path) => path.split('.').reduce((o, key) => (o == null ? undefined : o[key]), object);

function schemaProblems(o) {
  const custom = CUSTOM[`${o.apiVersion}/${o.kind}`];
  if (custom) return custom.filter((path) => at(o, path) === undefined).map((path) => `${path} is missing`);
  const group = o.apiVersion.includes('/') ? o.apiVersion : `v1`;
  let Model;
  try {
    Model = require(`kubernetes-models/${group}/${o.kind}`)[o.kind];
  } catch {
    return [`no schema for ${o.apiVersion} ${o.kind}`];
  }
  try {
    new Model(o).validate();
    return [];
  } catch (e) {
    return (e.errors || [{ instancePath: '', message: e.message }]).map((x) => `${x.instancePath || '/'} ${x.message}`);
  }
}

function podSpec(o) {
  if (o.kind === 'CronJob') return at(o, 'spec.jobTemplate.spec.template.spec');
  return at(o, 'spec.template.spec');
}

function pinned(image) {
  if (/@sha256:[0-9a-f]{64}$/.test(image)) return true;
  const tag = image.slice(image.lastIndexOf('/') + 1).split(':')[1];
  return Boolean(tag) && tag !== 'latest';
}

const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'PersistentVolume', 'StorageClass']);

function policyProblems(o) {
  if (!CLUSTER_SCOPED.has(o.kind) && !(o.metadata && o.metadata.namespace)) return ['no namespace'];
  if (!(o.kind in WORKLOADS)) return [];
  const pod = podSpec(o) || {};
  const problems = [];
  if (pod.automountServiceAccountToken !== false) problems.push('the pod mounts a service-account token (automountServiceAccountToken is not false)');
  const containers = (pod.initContainers || []).map((c) => ({ c, init: true })).concat((pod.containers || []).map((c) => ({ c, init: false })));
  for (const { c, init } of containers) {
    const name = `${init ? 'init container' : 'container'} ${c.name}`;
    for (const kind of ['requests', 'limits'])
      for (const resource of ['cpu', 'memory'])
        if (!at(c, `resources.${kind}.${resource}`)) problems.push(`${name}: no ${resource} ${kind}`);
    const nonRoot = at(c, 'securityContext.runAsNonRoot') ?? at(pod, 'securityContext.runAsNonRoot');
    if (nonRoot !== true) problems.push(`${name}: runAsNonRoot is not true`);
    if (at(c, 'securityContext.allowPrivilegeEscalation') !== false) problems.push(`${name}: allowPrivilegeEscalation is not false`);
    if (at(c, 'securityContext.readOnlyRootFilesystem') !== true) problems.push(`${name}: readOnlyRootFilesystem is not true`);
    if (!(at(c, 'securityContext.capabilities.drop') || []).includes('ALL')) problems.push(`${name}: capabilities are not all dropped`);
    if (!c.image || !pinned(c.image)) problems.push(`${name}: image "${c.image}" is not pinned to a version or digest`);
    if (!init && WORKLOADS[o.kind])
      for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe'])
        if (!c[probe]) problems.push(`${name}: no ${probe}`);
  }
  return problems;
}

function main() {
  let documents;
  try {
    documents = YAML.parseAllDocuments(fs.readFileSync(0, 'utf8'));
  } catch (e) {
    console.error(`check-k8s: cannot read the manifests: ${e.message}`);
    return 64;
  }
  let objects = 0;
  let problems = 0;
  for (const document of documents) {
    if (document.errors.length) {
      console.error(`check-k8s: ${document.errors[0].message}`);
      return 64;
    }
    const o = document.toJS();
    if (!o) continue;
    objects++;
    const where = `${o.kind} ${(o.metadata && o.metadata.namespace) || '-'}/${(o.metadata && o.metadata.name) || '?'}`;
    for (const problem of schemaProblems(o).concat(policyProblems(o))) {
      console.log(`${where}: ${problem}`);
      problems++;
    }
  }
  console.log(`${objects} objects, ${problems} problems`);
  return problems === 0 && objects > 0 ? 0 : 1;
}

process.exit(main());
