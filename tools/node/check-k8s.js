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
//    object names its namespace;
// 3. the restricted Pod Security Standard (the namespace enforces it), for every pod template: the workloads'
//    and the pod template a RabbitmqCluster overrides (spec.override.statefulSet), whose operator-made containers
//    (rabbitmq, setup-container) must each be named there: no host network, PID, IPC, ports or paths, no
//    privileged container, only the volume types the profile allows, non-root, no privilege escalation, every
//    capability dropped (NET_BIND_SERVICE alone may be added back), a RuntimeDefault or Localhost seccomp profile.
//    A CloudNativePG Cluster's pods comply by default; its one such field, spec.seccompProfile, must not weaken it.
// Prints each problem as "Kind namespace/name: problem" and a last line "N objects, N problems"; exit code
// 1 when there is a problem, 64 on bad input.
'use strict';
const fs = require('fs');
const YAML = require('yaml');

const CUSTOM = {
  'postgresql.cnpg.io/v1/Cluster': ['spec.instances', 'spec.storage.size', 'spec.bootstrap.initdb.secret.name', 'spec.imageName'],
  'postgresql.cnpg.io/v1/ScheduledBackup': ['spec.schedule', 'spec.cluster.name'],
  'rabbitmq.com/v1beta1/RabbitmqCluster': ['spec.replicas', 'spec.image', 'spec.tls.secretName'],
  'rabbitmq.com/v1beta1/Vhost': ['spec.name', 'spec.rabbitmqClusterReference.name'],
  'rabbitmq.com/v1beta1/User': ['spec.importCredentialsSecret.name', 'spec.rabbitmqClusterReference.name'],
  'rabbitmq.com/v1beta1/Permission': ['spec.vhost', 'spec.userReference.name', 'spec.permissions', 'spec.rabbitmqClusterReference.name'],
  'rabbitmq.com/v1beta1/Exchange': ['spec.name', 'spec.vhost', 'spec.type', 'spec.durable', 'spec.rabbitmqClusterReference.name'],
  'rabbitmq.com/v1beta1/Queue': ['spec.name', 'spec.vhost', 'spec.type', 'spec.durable', 'spec.rabbitmqClusterReference.name'],
  'rabbitmq.com/v1beta1/Binding': ['spec.vhost', 'spec.source', 'spec.destination', 'spec.destinationType', 'spec.routingKey', 'spec.rabbitmqClusterReference.name'],
  'rabbitmq.com/v1beta1/Policy': ['spec.name', 'spec.vhost', 'spec.pattern', 'spec.applyTo', 'spec.definition', 'spec.rabbitmqClusterReference.name'],
  'monitoring.coreos.com/v1/PrometheusRule': ['spec.groups'],
  'monitoring.coreos.com/v1/PodMonitor': ['spec.selector', 'spec.podMetricsEndpoints'],
};
// The containers each operator adds to the pods it makes, which an override must name to set their security.
const OPERATOR_CONTAINERS = { 'rabbitmq.com/v1beta1/RabbitmqCluster': ['setup-container', 'rabbitmq'] };
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

const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'PersistentVolume', 'StorageClass', 'PriorityClass']);

// The restricted profile (https://kubernetes.io/docs/concepts/security/pod-security-standards/), "latest".
const RESTRICTED_VOLUMES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];
const SECCOMP = ['RuntimeDefault', 'Localhost'];

function restrictedProblems(pod) {
  const problems = [];
  for (const host of ['hostNetwork', 'hostPID', 'hostIPC'])
    if (pod[host] === true) problems.push(`${host} is true (restricted)`);
  for (const v of pod.volumes || []) {
    const type = Object.keys(v).find((k) => k !== 'name');
    if (!RESTRICTED_VOLUMES.includes(type)) problems.push(`volume ${v.name}: type ${type} is not allowed (restricted)`);
  }
  if (at(pod, 'securityContext.runAsUser') === 0) problems.push('the pod runs as uid 0 (restricted)');
  const containers = ['initContainers', 'containers', 'ephemeralContainers'].flatMap((list) =>
    (pod[list] || []).map((c) => ({ c, name: `${list === 'containers' ? 'container' : list === 'initContainers' ? 'init container' : 'ephemeral container'} ${c.name}` })));
  for (const { c, name } of containers) {
    const sc = c.securityContext || {};
    if (sc.privileged === true) problems.push(`${name}: privileged (restricted)`);
    if ((c.ports || []).some((p) => p.hostPort)) problems.push(`${name}: uses a hostPort (restricted)`);
    if ((sc.runAsNonRoot ?? at(pod, 'securityContext.runAsNonRoot')) !== true) problems.push(`${name}: runAsNonRoot is not true (restricted)`);
    if (sc.runAsUser === 0) problems.push(`${name}: runs as uid 0 (restricted)`);
    if (sc.allowPrivilegeEscalation !== false) problems.push(`${name}: allowPrivilegeEscalation is not false (restricted)`);
    if (!(at(sc, 'capabilities.drop') || []).includes('ALL')) problems.push(`${name}: capabilities are not all dropped (restricted)`);
    const added = (at(sc, 'capabilities.add') || []).filter((cap) => cap !== 'NET_BIND_SERVICE');
    if (added.length) problems.push(`${name}: adds capabilities ${added.join(', ')} (restricted)`);
    const seccomp = at(sc, 'seccompProfile.type') ?? at(pod, 'securityContext.seccompProfile.type');
    if (!SECCOMP.includes(seccomp)) problems.push(`${name}: seccompProfile is not RuntimeDefault or Localhost (restricted)`);
  }
  return problems;
}

// The pod template an operator's resource lets us set, and the problems of what it leaves to the operator.
function operatorPodProblems(o) {
  const key = `${o.apiVersion}/${o.kind}`;
  if (key === 'postgresql.cnpg.io/v1/Cluster') {
    const seccomp = at(o, 'spec.seccompProfile.type');
    return seccomp === undefined || SECCOMP.includes(seccomp) ? [] : [`spec.seccompProfile is ${seccomp}, not RuntimeDefault or Localhost (restricted)`];
  }
  if (!OPERATOR_CONTAINERS[key]) return [];
  const pod = at(o, 'spec.override.statefulSet.spec.template.spec');
  if (!pod) return ['no pod template override (spec.override.statefulSet.spec.template.spec): the operator\'s pods fail the restricted profile'];
  const named = (pod.initContainers || []).concat(pod.containers || []).map((c) => c.name);
  const missing = OPERATOR_CONTAINERS[key].filter((name) => !named.includes(name));
  return missing.map((name) => `the override names no container ${name}: its security settings stay the operator's (restricted)`).concat(restrictedProblems(pod));
}

function policyProblems(o) {
  if (!CLUSTER_SCOPED.has(o.kind) && !(o.metadata && o.metadata.namespace)) return ['no namespace'];
  if (!(o.kind in WORKLOADS)) return operatorPodProblems(o);
  const pod = podSpec(o) || {};
  const problems = restrictedProblems(pod);
  if (pod.automountServiceAccountToken !== false) problems.push('the pod mounts a service-account token (automountServiceAccountToken is not false)');
  const containers = (pod.initContainers || []).map((c) => ({ c, init: true })).concat((pod.containers || []).map((c) => ({ c, init: false })));
  for (const { c, init } of containers) {
    const name = `${init ? 'init container' : 'container'} ${c.name}`;
    for (const kind of ['requests', 'limits'])
      for (const resource of ['cpu', 'memory'])
        if (!at(c, `resources.${kind}.${resource}`)) problems.push(`${name}: no ${resource} ${kind}`);
    if (at(c, 'securityContext.readOnlyRootFilesystem') !== true) problems.push(`${name}: readOnlyRootFilesystem is not true`);
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
