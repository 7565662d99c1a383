# shellcheck shell=bash
# `./rrm demo`: the public record of US invocations up to the day before the Impro Mexico request (data/), then the
# Impro case of 2024 through the four running services with the rrm client, as the people who do it would: the ILC
# analyst, the USTR officer, Treasury, the notification admin. Run again, it adds nothing: the record imports
# unchanged and the Impro case, once recorded, is shown instead of walked again.
# Sourced by ./rrm, which gives it cli, cmd_up, cmd_token, board_url and say.

# The Impro request: dated July 25, 2024 by DOL ("today requested"), announced by USTR on July 26.
IMPRO_REQUEST=2024-07-25

# Shows a client command as a person would type it, then runs it.
demo_run() { # token args...
  local token=$1; shift
  printf '\n\033[1m$ rrm %s\033[0m\n' "$*"
  cli --token "$token" "$@"
}

# Reads a value out of JSON on stdin with a JavaScript expression over `d`, e.g. d.petition.petitionId.
json() { node -e 'let s="";process.stdin.on("data",c=>s+=c).on("end",()=>{const d=JSON.parse(s);const v=eval(process.argv[1]);process.stdout.write(v===undefined||v===null?"":String(v))})' "$1"; }

# Repeats a command until it prints something (up to $2 seconds); prints that.
wait_for() { # description seconds command...
  local what=$1 seconds=$2 out=""; shift 2
  for _ in $(seq $((seconds * 4))); do
    out=$("$@") && [ -n "$out" ] && { printf '%s' "$out"; return 0; }
    sleep 0.25
  done
  die "waited ${seconds} s for $what; see ./rrm logs"
}

demo_directory() { # the stakeholders told of each step (DOMAIN.md §7), once
  local admin=$1
  [ -n "$(cli --token "$admin" --json notification recipients list | json 'd.recipients&&d.recipients.length')" ] && return 0
  say "filling the notification directory (recipients of DOMAIN.md §7)"
  local entry name role address language
  while IFS='|' read -r name role address language; do
    cli --token "$admin" notification recipients save --name "$name" --role "$role" --channel email --address "$address" --language "$language" >/dev/null
  done <<'EOF'
Secretaría de Economía (Government of Mexico)|government-of-mexico|rrm@economia.gob.mx.example|es
Treasury / CBP Office of Trade|treasury-cbp|rrm-liquidation@cbp.dhs.gov.example|en
Senate Committee on Finance|senate-finance-committee|trade@finance.senate.gov.example|en
House Committee on Ways and Means|house-ways-and-means-committee|trade@mail.house.gov.example|en
Labor Advisory Committee|labor-advisory-committee|lac@dol.gov.example|en
USTR press office|public-announcements|press@ustr.eop.gov.example|en
ILC case officer|ilc-case-officer|ilc-rrm@dol.gov.example|en
USTR case officer|ustr-case-officer|rrm-officer@ustr.eop.gov.example|en
EOF
  cli --token "$admin" notification recipients list
}

# Waited for (they use cmd_demo's variables): what the services do on their own after an event.
demo_case_of_petition() {
  cli --token "$officer" --json case list --facility-id "$facility_id" | json "d.cases&&(d.cases.find(c=>c.petitionId==='$petition_id')||{}).caseId"
}
demo_instructions_issued() {
  cli --token "$treasury" --json liquidation instructions --case-id "$case_id" | json '(d.instructions||[]).length>=2?"ok":""'
}
demo_notifications_settled() { # --case-id ID | --petition-id ID
  cli --token "$admin" --json notification list "$@" \
    | json 'const n=d.notifications||[];n.length>0&&n.every(x=>x.status==="NOTIFICATION_STATUS_SENT"||x.status==="NOTIFICATION_STATUS_DEAD")?"ok":""'
}

cmd_demo() {
  cmd_up
  local started=$SECONDS analyst officer treasury admin
  analyst=$(cmd_token ilc.analyst); officer=$(cmd_token ustr.officer); treasury=$(cmd_token treasury.officer); admin=$(cmd_token notification.admin)
  demo_directory "$admin"

  echo; say "1. The public record of US invocations as it stood on July 24, 2024 (data/rrm-public-history.csv)"
  demo_run "$officer" case import --public-history --until 2024-07-24 --skip impro-2024

  echo; say "2. The ILC analyst registers the Impro Mexico facility (Villa de Reyes, San Luis Potosí); its MID is derived"
  local facility_id
  facility_id=$(cli --token "$analyst" --json facility search --name "Impro Industries Mexico" --state SLP | json 'd.facilities&&d.facilities[0].facilityId')
  if [ -z "$facility_id" ]; then
    facility_id=$(cli --token "$analyst" --json facility register --legal-name "Impro Industries Mexico, S. de R.L. de C.V." \
        --common-name "Impro Mexico facility" --street "Carretera 57 km 1250" --city "Villa de Reyes" --state "San Luis Potosí" \
        --sector manufacturing --subsector other --subsector-description "component parts (energy, medical, automotive, agricultural)" \
        --owner "Impro Industries" --workers 850 | json 'd.facility.facilityId')
  fi
  demo_run "$analyst" facility show "$facility_id"

  local case_id petition_id
  case_id=$(cli --token "$officer" --json case list --facility-id "$facility_id" | json "d.cases&&(d.cases.find(c=>c.petitionId)||{}).caseId")
  if [ -n "$case_id" ]; then
    petition_id=$(cli --token "$officer" --json case show "$case_id" | json 'd.case.petitionId')
    echo; say "3-5. The Impro case is recorded already (an earlier demo): shown, not walked again"
  else
    echo; say "3. The petition of June 24, 2024 from La Liga Sindical Obrera Mexicana (LSOM); the ILC has 30 days"
    petition_id=$(cli --token "$analyst" --json petition submit --facility-id "$facility_id" \
        --petitioner "La Liga Sindical Obrera Mexicana (LSOM)" --email "contacto@lsom.org.example" \
        --allegation retaliation --allegation freedom-of-association \
        --narrative "Dismissal of a worker for union activity; employer interference with the workers' right to organise." \
        --language es --received 2024-06-24 | json 'd.petition.petitionId')
    demo_run "$analyst" petition determine "$petition_id" --outcome sufficient --date 2024-07-24 \
        --rationale "Sufficient, credible evidence of a denial of rights at a covered facility."
    case_id=$(wait_for "the case on petition $petition_id" 30 demo_case_of_petition)

    echo; say "4. USTR requests Mexico's review on July 25, 2024 (announced July 26: \"the twenty-fifth time\") and directs Treasury to suspend liquidation"
    demo_run "$officer" case request-review "$case_id" --date "$IMPRO_REQUEST" --announced 2024-07-26 --ustr-ordinal 25 --suspend-liquidation \
      | sed -n '1,/^Timeline/p' | head -n -1
    echo; say "5. Mexico accepts (date assumed within its 10 days), finds no denial on September 6 after the worker's reinstatement; resolved September 17"
    demo_run "$officer" case respond "$case_id" --response accepted --date 2024-08-04 --note "date assumed (Mexico reported its review; its answer is not dated publicly)" >/dev/null
    demo_run "$officer" case findings "$case_id" --finding no-denial --date 2024-09-06 \
        --note "Insufficient evidence of the alleged violations; the dismissed union delegate reinstated with back pay" >/dev/null
    demo_run "$officer" case resolve "$case_id" --date 2024-09-17 \
        --note "Reinstatement with back pay, neutrality statement and guidelines, trainings; liquidation resumes" >/dev/null
  fi
  demo_run "$officer" case show "$case_id"
  local invocation workers
  invocation=$(cli --token "$officer" --json case show "$case_id" | json 'const i=d.case.invocation;const o=n=>n+(n%100>10&&n%100<14?"th":({1:"st",2:"nd",3:"rd"})[n%10]||"th");`the ${o(i.number)} invocation, the ${o(i.numberInYear)} of ${i.year}`')
  workers=$(cli --token "$officer" --json case stats --as-of "$IMPRO_REQUEST" | json '`${(d.workersAtFacilitiesWithCases||0).toLocaleString("en-US")} workers at the facilities with cases (at least: ${d.facilitiesWithoutWorkerCount||0} of them have no public count)`')
  echo; say "Impro is $invocation; on $IMPRO_REQUEST: $workers"

  echo; say "6. The customs instructions issued to CBP (also published on the rrm.customs.instructions exchange)"
  wait_for "the suspension and resumption instructions" 30 demo_instructions_issued >/dev/null
  demo_run "$treasury" liquidation instructions --case-id "$case_id"
  local mid; mid=$(cli --token "$analyst" --json facility show "$facility_id" | json 'd.facility.mids[0]')
  demo_run "$treasury" liquidation status "$mid"

  echo; say "7. The notifications sent (mail lands in .rrm/mail.jsonl)"
  wait_for "the petition's notifications" 60 demo_notifications_settled --petition-id "$petition_id" >/dev/null
  wait_for "the case's notifications" 60 demo_notifications_settled --case-id "$case_id" >/dev/null
  demo_run "$admin" notification list --petition-id "$petition_id"
  local request_to_mexico
  request_to_mexico=$(cli --token "$admin" --json notification list --case-id "$case_id" \
      | json '(d.notifications.find(n=>n.template==="request-for-review")||{}).notificationId')
  [ -n "$request_to_mexico" ] && demo_run "$admin" notification show "$request_to_mexico"

  echo; say "8. The statistics on the day after the Impro request, as USTR counts"
  demo_run "$officer" case stats --as-of 2024-07-26

  echo; say "done in $((SECONDS - started)) s. Case $case_id; petition $petition_id. Stop everything with ./rrm down"
  say "the Impro case on the board (sign in by picking roles, e.g. ustr.officer): $(board_url)cases/$case_id"
}
