import { ok, problems } from '../../shared/http/common-schemas.js';
import { route } from '../../shared/http/route-spec.js';
import { PageQuery, RecordSchema } from '../records/schemas.js';
import { WizardDefinitionSchema } from '../../shared/domain/wizard/definition.js';
import { DraftBody, ScreenValuesBody, SessionParams, SessionScreenParams, WizardPageSchema, WizardParams, WizardSchema, WizardSessionSchema } from './schemas.js';

const common = { area: 'wizards', auth: 'jwt', tags: ['Wizards'] } as const;

export const wizardsRoutes = {
  createWizard: route({ ...common, operationId: 'createWizard', method: 'POST', path: '/v1/wizards', summary: "Define a wizard (org admin; a team's admin for its team modules)", body: WizardDefinitionSchema, requestHeaders: ['Idempotency-Key'], responses: { 201: ok(WizardSchema, 'Created', ['ETag', 'Location']), ...problems(400, 401, 403, 404, 409, 422) } }),
  listWizards: route({ ...common, operationId: 'listWizards', method: 'GET', path: '/v1/wizards', summary: 'Wizards of the modules you can create records in', query: PageQuery, responses: { 200: ok(WizardPageSchema), ...problems(400, 401) } }),
  getWizard: route({ ...common, operationId: 'getWizard', method: 'GET', path: '/v1/wizards/{id}', summary: 'A wizard and its current version', params: WizardParams, responses: { 200: ok(WizardSchema, 'OK', ['ETag']), ...problems(401, 404) } }),
  putWizard: route({ ...common, operationId: 'putWizard', method: 'PUT', path: '/v1/wizards/{id}', summary: 'Save a new version (sessions in flight keep theirs)', params: WizardParams, body: WizardDefinitionSchema, requestHeaders: ['If-Match'], responses: { 200: ok(WizardSchema, 'Updated', ['ETag']), ...problems(400, 401, 403, 404, 412) } }),
  startSession: route({ ...common, operationId: 'startWizardSession', method: 'POST', path: '/v1/wizards/{id}/sessions', summary: 'Start a session: its first screen', params: WizardParams, requestHeaders: ['Idempotency-Key'], responses: { 201: ok(WizardSessionSchema, 'Started', ['ETag', 'Location']), ...problems(401, 403, 404, 409, 422) } }),
  getSession: route({ ...common, operationId: 'getWizardSession', method: 'GET', path: '/v1/wizard-sessions/{sessionId}', summary: 'Your session as it stands (resume a draft)', params: SessionParams, responses: { 200: ok(WizardSessionSchema, 'OK', ['ETag']), ...problems(401, 404) } }),
  submitScreen: route({ ...common, operationId: 'submitWizardScreen', method: 'POST', path: '/v1/wizard-sessions/{sessionId}/screens/{screenId}', summary: 'Answer the current screen: the next screen (null after the last), or 400 at values.<id>', params: SessionScreenParams, body: ScreenValuesBody, requestHeaders: ['Idempotency-Key'], responses: { 200: ok(WizardSessionSchema, 'Next screen', ['ETag']), ...problems(400, 401, 404, 409, 422) } }),
  back: route({ ...common, operationId: 'wizardBack', method: 'POST', path: '/v1/wizard-sessions/{sessionId}/back', summary: 'Back to the screen answered last', params: SessionParams, requestHeaders: ['Idempotency-Key'], responses: { 200: ok(WizardSessionSchema, 'Previous screen', ['ETag']), ...problems(401, 404, 409, 422) } }),
  saveDraft: route({ ...common, operationId: 'saveWizardDraft', method: 'POST', path: '/v1/wizard-sessions/{sessionId}/save-draft', summary: 'Keep the session as a draft to resume later (drafts expire); `values` keeps what was typed on the current screen, nothing required yet', params: SessionParams, body: DraftBody, requestHeaders: ['Idempotency-Key'], responses: { 200: ok(WizardSessionSchema, 'Saved', ['ETag']), ...problems(400, 401, 404, 409, 422) } }),
  finish: route({ ...common, operationId: 'finishWizardSession', method: 'POST', path: '/v1/wizard-sessions/{sessionId}/finish', summary: 'Create the record from the answers, through the records core', params: SessionParams, requestHeaders: ['Idempotency-Key'], responses: { 201: ok(RecordSchema, 'Created', ['ETag', 'Location']), ...problems(400, 401, 403, 404, 409, 422) } }),
};
