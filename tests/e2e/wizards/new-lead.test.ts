import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2eApi, type E2eApi } from '../../support/e2e.js';
import { NEW_LEAD_WIZARD_ID } from '../../../infra/local/seed-wizards.js';

let api: E2eApi;
beforeAll(async () => {
  api = await startE2eApi();
});
afterAll(async () => {
  await api?.close();
});

const start = async (userId = 'u-agent') => {
  const res = await api.call<any>(userId, 'POST', `/v1/wizards/${NEW_LEAD_WIZARD_ID}/sessions`);
  expect(res.status).toBe(201);
  return res.body;
};
const submit = (userId: string, sessionId: string, screenId: string, values: Record<string, unknown>) =>
  api.call<any>(userId, 'POST', `/v1/wizard-sessions/${sessionId}/screens/${screenId}`, { body: { values } });

describe('the New lead wizard over HTTP, as a front-end drives it', () => {
  it('is listed by name for an agent, with its screens as data', async () => {
    const list = await api.call<any>('u-agent', 'GET', '/v1/wizards');
    expect(list.status).toBe(200);
    expect(list.body.items.map((w: any) => w.name)).toContain('New lead');
    const session = await start();
    expect(session.screen).toMatchObject({ id: 'contact-details', title: 'Contact details' });
    expect(session.screen.components.find((c: any) => c.id === 'email')).toMatchObject({ kind: 'input', type: 'email', required: false });
    expect(session.canGoBack).toBe(false);
  });

  it('refuses a bad email on screen 1 at its component, then saves a draft, resumes it and finishes with history', async () => {
    const { sessionId } = await start();
    const bad = await submit('u-agent', sessionId, 'contact-details', { lastName: 'Mori', email: 'mori-at-example' });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.body.errors).toEqual([{ path: 'values.email', message: 'Must be a valid email address' }]);

    const next = await submit('u-agent', sessionId, 'contact-details', { lastName: 'Mori', email: 'mori@example.jp', phone: '090 5555 0101', company: 'Mori Travel Club' });
    expect(next.status).toBe(200);
    expect(next.body.screen.id).toBe('travel-wishes');
    // The company makes the wizard ask for its industry.
    expect(next.body.screen.components.map((c: any) => c.id)).toContain('industry');

    const draft = await api.call<any>('u-agent', 'POST', `/v1/wizard-sessions/${sessionId}/save-draft`, { body: { values: { destinationWish: 'Hokkaido' } } });
    expect(draft.status).toBe(200);
    expect(draft.body.status).toBe('draft');
    expect(draft.body.screen.components.find((c: any) => c.id === 'destinationWish').value).toBe('Hokkaido');
    const badDraft = await api.call<any>('u-agent', 'POST', `/v1/wizard-sessions/${sessionId}/save-draft`, { body: { values: { travellers: 'many' } } });
    expect(badDraft.status).toBe(400);
    expect(badDraft.body.errors.map((e: any) => e.path)).toEqual(['values.travellers']);

    const resumed = await api.call<any>('u-agent', 'GET', `/v1/wizard-sessions/${sessionId}`);
    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({ status: 'draft', screen: { id: 'travel-wishes' }, values: { lastName: 'Mori', email: 'mori@example.jp' } });

    const wrongScreen = await submit('u-agent', sessionId, 'consent', { emailConsent: true });
    expect(wrongScreen.status).toBe(409);
    const early = await api.call<any>('u-agent', 'POST', `/v1/wizard-sessions/${sessionId}/finish`);
    expect(early.status).toBe(409);

    const wishes = await submit('u-agent', sessionId, 'travel-wishes', { destinationWish: 'Hokkaido in winter', travellers: 2, industry: 'Hospitality' });
    expect(wishes.status, JSON.stringify(wishes.body)).toBe(200);
    expect(wishes.body.screen.id).toBe('consent');
    const consent = await submit('u-agent', sessionId, 'consent', { emailConsent: true });
    expect(consent.body.screen).toBeNull();

    const finished = await api.call<any>('u-agent', 'POST', `/v1/wizard-sessions/${sessionId}/finish`);
    expect(finished.status).toBe(201);
    expect(finished.body).toMatchObject({ module: 'Leads', ownerId: 'u-agent', fields: { lastName: 'Mori', email: 'mori@example.jp', destinationWish: 'Hokkaido in winter', emailConsent: true, leadStatus: 'New', industry: 'Hospitality' } });
    // Finishing again (a retry) returns the same record, not a second one.
    const again = await api.call<any>('u-agent', 'POST', `/v1/wizard-sessions/${sessionId}/finish`);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(finished.body.id);

    const history = await api.call<any>('u-agent', 'GET', `/v1/records/Leads/${finished.body.id}/history`);
    expect(history.body.items).toHaveLength(1);
    expect(history.body.items[0]).toMatchObject({ event: 'record.created', actor: 'u-agent', via: 'wizard' });
  });

  it("lists the caller's own drafts, newest first and paged, names them by wizard and screen, and drops a draft once it moves on", async () => {
    const drafts = (userId: string, query = 'status=draft') => api.call<any>(userId, 'GET', `/v1/wizard-sessions?${query}`);
    const before = (await drafts('u-manager', 'status=draft&limit=200')).body.items.length;
    const first = await start('u-manager');
    await submit('u-manager', first.sessionId, 'contact-details', { lastName: 'Draft one' });
    expect((await api.call<any>('u-manager', 'POST', `/v1/wizard-sessions/${first.sessionId}/save-draft`, { body: { values: { destinationWish: 'Okinawa' } } })).status).toBe(200);
    const second = await start('u-manager');
    expect((await api.call<any>('u-manager', 'POST', `/v1/wizard-sessions/${second.sessionId}/save-draft`, { body: { values: { lastName: 'Draft two' } } })).status).toBe(200);
    const unsaved = await start('u-manager');

    const listed = await drafts('u-manager');
    expect(listed.status).toBe(200);
    expect(listed.body.items).toHaveLength(before + 2);
    expect(listed.body.items.slice(0, 2)).toEqual([
      { sessionId: second.sessionId, wizardId: NEW_LEAD_WIZARD_ID, wizardName: 'New lead', wizardVersion: expect.any(Number), screenTitle: 'Contact details', answered: 1, updatedAt: expect.any(String), expiresAt: expect.any(String) },
      expect.objectContaining({ sessionId: first.sessionId, screenTitle: 'Travel wishes', answered: 2 }),
    ]);
    expect(listed.body.items.map((d: any) => d.sessionId)).not.toContain(unsaved.sessionId);
    // Paged like every list.
    const page1 = await drafts('u-manager', 'status=draft&limit=1');
    expect(page1.body.items.map((d: any) => d.sessionId)).toEqual([second.sessionId]);
    const page2 = await drafts('u-manager', `status=draft&limit=1&cursor=${encodeURIComponent(page1.body.nextCursor)}`);
    expect(page2.body.items.map((d: any) => d.sessionId)).toEqual([first.sessionId]);
    // Nobody else's: another user's cursor or list does not show them.
    expect((await drafts('u-agent', 'status=draft&limit=200')).body.items.map((d: any) => d.sessionId)).not.toContain(first.sessionId);
    expect((await drafts('u-agent', `status=draft&cursor=${encodeURIComponent(page1.body.nextCursor)}`)).status).toBe(400);
    // Resumed and answered, the draft is in progress again and leaves the list.
    await submit('u-manager', second.sessionId, 'contact-details', { lastName: 'Draft two' });
    expect((await drafts('u-manager')).body.items.map((d: any) => d.sessionId)).not.toContain(second.sessionId);
  });

  it('refuses a drafts list without status=draft, or with a bad limit, at the field path', async () => {
    for (const [query, path] of [['', 'status'], ['status=active', 'status'], ['status=draft&limit=0', 'limit'], ['status=draft&limit=abc', 'limit'], ['status=draft&cursor=nope', 'cursor']]) {
      const res = await api.call<any>('u-agent', 'GET', `/v1/wizard-sessions?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.errors.map((e: any) => e.path), query).toEqual([path]);
    }
  });

  it('refuses a time zone that is not an IANA name at values.timeZone', async () => {
    const { sessionId } = await start();
    const bad = await submit('u-agent', sessionId, 'contact-details', { lastName: 'Olympus', timeZone: 'Mars/Olympus' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ path: 'values.timeZone', message: 'Not an IANA time zone (e.g. Asia/Tokyo)' }]);
    expect((await submit('u-agent', sessionId, 'contact-details', { lastName: 'Olympus', timeZone: 'Asia/Tokyo' })).status).toBe(200);
  });

  it('goes back with the answers kept', async () => {
    const { sessionId } = await start();
    await submit('u-agent', sessionId, 'contact-details', { lastName: 'Abe' });
    const back = await api.call<any>('u-agent', 'POST', `/v1/wizard-sessions/${sessionId}/back`);
    expect(back.status).toBe(200);
    expect(back.body.screen.id).toBe('contact-details');
    expect(back.body.screen.components.find((c: any) => c.id === 'lastName').value).toBe('Abe');
    const first = await api.call<any>('u-agent', 'POST', `/v1/wizard-sessions/${sessionId}/back`);
    expect(first.status).toBe(409);
  });

  it("keeps a session to its user: another user's draft is 404 on every route", async () => {
    const { sessionId } = await start('u-agent');
    for (const [method, path, body] of [
      ['GET', `/v1/wizard-sessions/${sessionId}`, undefined],
      ['POST', `/v1/wizard-sessions/${sessionId}/screens/contact-details`, { values: { lastName: 'X' } }],
      ['POST', `/v1/wizard-sessions/${sessionId}/back`, undefined],
      ['POST', `/v1/wizard-sessions/${sessionId}/save-draft`, undefined],
      ['POST', `/v1/wizard-sessions/${sessionId}/finish`, undefined],
    ] as const) {
      for (const other of ['u-manager', 'u-admin', 'u-requester']) {
        const res = await api.call<any>(other, method, path, body ? { body } : {});
        expect(res.status, `${other} ${method} ${path}`).toBe(404);
      }
    }
  });

  it('a wizard moved to another module starts its next session there (the module this container remembered for it is checked against the wizard read)', async () => {
    const def = { name: `Mover ${Date.now()}`, module: 'Leads', screens: [{ id: 'one', title: 'One', fields: [{ field: 'lastName' }] }] };
    const created = await api.call<any>('u-admin', 'POST', '/v1/wizards', { body: def });
    expect(created.status).toBe(201);
    const first = await api.call<any>('u-agent', 'POST', `/v1/wizards/${created.body.id}/sessions`);
    expect(first.status).toBe(201);
    const moved = await api.call<any>('u-admin', 'PUT', `/v1/wizards/${created.body.id}`, { body: { ...def, module: 'Contacts' }, headers: { 'if-match': '"1"' } });
    expect(moved.status).toBe(200);
    const second = await api.call<any>('u-agent', 'POST', `/v1/wizards/${created.body.id}/sessions`);
    expect(second.status).toBe(201);
    expect(second.body.wizardVersion).toBe(2);
    await submit('u-agent', second.body.sessionId, 'one', { lastName: 'Moved' });
    const finished = await api.call<any>('u-agent', 'POST', `/v1/wizard-sessions/${second.body.sessionId}/finish`);
    expect(finished.status).toBe(201);
    expect(finished.body).toMatchObject({ module: 'Contacts', fields: { lastName: 'Moved' } });
    // A guest may not create contacts either: refused on the module the wizard names now.
    expect((await api.call<any>('u-requester', 'POST', `/v1/wizards/${created.body.id}/sessions`)).status).toBe(404);
    expect((await api.call<any>('u-agent', 'POST', '/v1/wizards/NOSUCHWIZARD/sessions')).status).toBe(404);
  });

  it('two finishes at once create one record and both answer it; a GET shows the screen the last answer did', async () => {
    const { sessionId } = await start();
    await submit('u-agent', sessionId, 'contact-details', { lastName: `Twice${Date.now()}` });
    const wishes = await submit('u-agent', sessionId, 'travel-wishes', { destinationWish: 'Okinawa', travellers: 1 });
    expect((await api.call<any>('u-agent', 'GET', `/v1/wizard-sessions/${sessionId}`)).body).toEqual(wishes.body);
    await submit('u-agent', sessionId, 'consent', { emailConsent: false });
    const both = await Promise.all([1, 2].map(() => api.call<any>('u-agent', 'POST', `/v1/wizard-sessions/${sessionId}/finish`)));
    expect(both.map((r) => r.status)).toEqual([201, 201]);
    expect(both[0]!.body.id).toBe(both[1]!.body.id);
    const history = await api.call<any>('u-agent', 'GET', `/v1/records/Leads/${both[0]!.body.id}/history`);
    expect(history.body.items.filter((h: any) => h.event === 'record.created')).toHaveLength(1);
    expect((await api.call<any>('u-agent', 'GET', `/v1/wizard-sessions/${sessionId}`)).body).toMatchObject({ status: 'finished', screen: null, recordId: both[0]!.body.id });
  });

  it("a GET renders the screen with the module's fields as of the session's last save; answers are checked against the module as it is now", async () => {
    const name = `Trips${Date.now()}`;
    const fields = [
      { name: 'title', label: 'Title', type: 'text', required: true },
      { name: 'region', label: 'Region', type: 'picklist', options: ['Kanto', 'Kansai'] },
    ];
    expect((await api.call<any>('u-admin', 'POST', '/v1/modules', { body: { name, label: 'Trips', fields } })).status).toBe(201);
    const wizard = await api.call<any>('u-admin', 'POST', '/v1/wizards', {
      body: { name: `${name} wizard`, module: name, screens: [{ id: 'one', title: 'One', fields: [{ field: 'title' }, { field: 'region' }] }] },
    });
    expect(wizard.status).toBe(201);
    const session = await api.call<any>('u-agent', 'POST', `/v1/wizards/${wizard.body.id}/sessions`);
    const optionsOf = (body: any) => body.screen.components.find((c: any) => c.id === 'region').options.map((o: any) => o.value);
    expect(optionsOf(session.body)).toEqual(['Kanto', 'Kansai']);
    const widened = [fields[0], { ...fields[1], options: ['Kanto', 'Kansai', 'Tohoku'] }];
    expect((await api.call<any>('u-admin', 'PUT', `/v1/modules/${name}`, { body: { name, label: 'Trips', fields: widened } })).status).toBe(200);
    // The stated staleness: the session shows the fields it was last saved with…
    expect(optionsOf((await api.call<any>('u-agent', 'GET', `/v1/wizard-sessions/${session.body.sessionId}`)).body)).toEqual(['Kanto', 'Kansai']);
    // …but an answer is validated against the module now, and the next save keeps its fields.
    const drafted = await api.call<any>('u-agent', 'POST', `/v1/wizard-sessions/${session.body.sessionId}/save-draft`, { body: { values: { region: 'Tohoku' } } });
    expect(drafted.status).toBe(200);
    expect(optionsOf(drafted.body)).toEqual(['Kanto', 'Kansai', 'Tohoku']);
    expect(optionsOf((await api.call<any>('u-agent', 'GET', `/v1/wizard-sessions/${session.body.sessionId}`)).body)).toEqual(['Kanto', 'Kansai', 'Tohoku']);
  });

  it('refuses a guest, who cannot create leads', async () => {
    const res = await api.call<any>('u-requester', 'POST', `/v1/wizards/${NEW_LEAD_WIZARD_ID}/sessions`);
    expect(res.status).toBe(404);
  });

  it('validates definitions at save with precise paths, and only admins define wizards', async () => {
    const def = { name: 'Quick lead', module: 'Leads', screens: [{ id: 'one', title: 'One', fields: [{ field: 'lastName' }, { field: 'nickname' }] }] };
    const bad = await api.call<any>('u-admin', 'POST', '/v1/wizards', { body: def });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: any) => e.path)).toContain('screens.0.fields.1.field');
    const noModule = await api.call<any>('u-admin', 'POST', '/v1/wizards', { body: { ...def, module: 'Spaceships' } });
    expect(noModule.status).toBe(400);
    expect(noModule.body.errors.map((e: any) => e.path)).toEqual(['module']);
    const good = { ...def, screens: [{ id: 'one', title: 'One', fields: [{ field: 'lastName' }] }] };
    expect((await api.call<any>('u-agent', 'POST', '/v1/wizards', { body: good })).status).toBe(403);
    const created = await api.call<any>('u-admin', 'POST', '/v1/wizards', { body: good });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"1"');

    // A session started on version 1 keeps it after version 2 adds a screen.
    const v1 = await api.call<any>('u-agent', 'POST', `/v1/wizards/${created.body.id}/sessions`);
    const v2 = await api.call<any>('u-admin', 'PUT', `/v1/wizards/${created.body.id}`, { body: { ...good, screens: [...good.screens, { id: 'two', title: 'Two', fields: [{ field: 'email' }] }] }, headers: { 'if-match': '"1"' } });
    expect(v2.status).toBe(200);
    expect(v2.body.version).toBe(2);
    const stale = await api.call<any>('u-admin', 'PUT', `/v1/wizards/${created.body.id}`, { body: good, headers: { 'if-match': '"1"' } });
    expect(stale.status).toBe(412);
    const answered = await submit('u-agent', v1.body.sessionId, 'one', { lastName: 'Ito' });
    expect(answered.body.screen).toBeNull();
    expect(answered.body.wizardVersion).toBe(1);
  });
});
