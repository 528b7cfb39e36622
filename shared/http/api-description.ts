/**
 * The OpenAPI document's `info.description`: the conventions a front-end relies on, in short, so they
 * travel with the document (functions/README.md has the long form). CommonMark.
 */
export const API_DESCRIPTION = `Keiro: process automation for a CRM (records and their history, team spaces and requests, views; blueprints, approvals, journeys, cadences, wizards and kiosks as they land). Base path \`/v1\`, JSON in and out. This document is generated from the same zod schemas that validate requests; a rendered copy is at \`/v1/docs\`.

**Auth.** \`Authorization: Bearer <JWT>\` (in AWS a Cognito ID token, checked by the API Gateway JWT authorizer). Claims used: \`sub\` (the user id), \`email\`, \`cognito:groups\` (\`admin\` = org admin). Everything else about a user (manager, teams, roles) is data in Keiro. Missing, bad or expired token: 401. Public routes: health, this document, \`/v1/docs\`, unsubscribe.

**Errors.** \`application/problem+json\`: \`{ type, title, status, detail, errors?: [{ path, message }] }\`, \`path\` naming the field (\`fields.email\`, \`filter[amount]\`, \`values.<component>\`). 400 bad input (with \`errors\`; nothing changed), 401 no valid token, 403 you may see it but not do this, 404 absent or not yours to know of, 409 conflict (state moved on, a unique value taken, an idempotency key in use), 412 \`If-Match\` does not match, 413 body too large, 415 body not JSON, 422 rule violation (e.g. a blueprint's criteria unmet, an idempotency key reused with another body), 423 record locked by a pending approval or review, 429 throttled. A 5xx is a bug.

**Versions.** Records and other versioned resources carry \`version\`; responses carry \`ETag: "<version>"\`. \`If-Match\` uses strong comparison (\`W/"1"\` never matches; a list matches any of its tags): a mismatch is 412. Without \`If-Match\`, a PATCH is a field-level merge that re-applies itself on a lost race, and a PUT of settings replaces them (last writer wins).

**Idempotency.** Any POST may send \`Idempotency-Key\` (at most 255 characters): per caller and key, the first response is replayed for 24 h with \`Idempotent-Replayed: true\`; the same key with another body is 422; while the first request runs, 409.

**Lists.** \`?limit=\` (default 50, at most 200) and \`?cursor=\`; responses \`{ items, nextCursor? }\`; \`nextCursor\` is present only when another page has items. Cursors are opaque.

**Ids and times.** Ids are strings (ULIDs for what Keiro creates; fixed ids such as \`u-admin\` in the demo). Times are ISO 8601 UTC (\`2026-01-31T09:00:00.000Z\`); date fields are \`YYYY-MM-DD\`.

**Changes.** Any change may send \`X-Change-Reason\` (at most 500 characters, kept in the history entry) and \`X-Correlation-Id\`. Only on a direct record write (POST or PATCH of a record) by an org admin is it also the request to override a field governed by a blueprint; everywhere else (kiosks, wizards, automation, requests) it is a note for history.

**Screens** (wizards and kiosks) are data one generic renderer shows: \`screen: { id, title, description?, components: [component] }\`, \`component: { id, kind: "input" | "choice" | "display", type?, label, required, readOnly?, options?: [{ value, label }], value?, text? }\` (\`type\` is a field type; \`choice\` picks one \`options\` value; \`display\` shows \`text\`). Values are submitted as \`{ values: { <component id>: value } }\`; errors are 400 at \`values.<component id>\`.

**The demo** (\`npm start\`): users \`u-admin\` (org admin), \`u-manager\`, \`u-agent\` (reports to \`u-manager\`), \`u-ops\` (admin of the Operations team space), \`u-requester\` (guest; requester of the team module \`Arrangements\`). See the repository's infra/local/README.md for the demo's definitions and functions/README.md for the full conventions.`;
