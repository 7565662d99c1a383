#!/usr/bin/env bash
# Creates the dev overlay's Secrets in the rrm namespace with random passwords and a random HS256 key
# (local development tokens: `./rrm cli token --signing-key "$(kubectl -n rrm get secret rrm-auth -o
# jsonpath='{.data.signing-key}' | base64 -d)" ustr.officer`). Nothing here is committed or reused.
set -euo pipefail
random() { head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c "$1"; }
kubectl create namespace rrm --dry-run=client -o yaml | kubectl apply -f -
secret() { kubectl -n rrm create secret generic "$1" "${@:2}" --dry-run=client -o yaml | kubectl apply -f -; }
secret rrm-postgres --from-literal=username=rrm --from-literal=password="$(random 24)"
# Each service's own database role (k8s/components/postgres-roles); its name is fixed by service-roles.sql.
for s in petition:rrm_petition review:rrm_review tariff-liquidation:rrm_liquidation notification:rrm_notification; do
  secret "rrm-postgres-${s%%:*}" --from-literal=username="${s#*:}" --from-literal=password="$(random 24)"
done
secret rrm-rabbitmq --from-literal=username=rrm --from-literal=password="$(random 24)"
# The customs system's broker user (consume customs.feed only); its name is fixed by rabbitmq-customs-feed.json.
secret rrm-customs-feed --from-literal=username=customs-feed --from-literal=password="$(random 24)"
secret rrm-auth --from-literal=signing-key="$(random 48)"
