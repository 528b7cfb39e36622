import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumers } from '../../../functions/events/consumers.js';
import { subscriptions } from '../../../functions/subscriptions.js';
import { hasChromium, launchChromium, screenshotter, seriousA11yViolations, watchPage } from '../../support/browser.js';
import { startE2eApi, type E2eApi } from '../../support/e2e.js';
import { startLocalEvents, waitFor, withoutTimers, type LocalEvents } from '../../support/events.js';

// The console walked as a newcomer would, in one headless Chromium against one local API (with its
// event consumers): sign in, the home page, every page it links to, a wizard with review, draft and
// resume, a kiosk, an approval decided in the inbox, a journey's report with its paths picture, the
// replay, and a requester's own pages. Each page gets a screenshot (tests/e2e/console/__screenshots__/),
// an axe-core check (no serious or critical violation), and no console error or failed request.
// The browser runs in Tokyo with a British locale: dates read dd/mm/yyyy in inputs and text alike.

describe.skipIf(!hasChromium && !process.env.CI)('the console walked by a user (headless Chromium)', () => {
  let api: E2eApi;
  let events: LocalEvents;
  let browser: Browser;
  let page: Page;
  let trouble: ReturnType<typeof watchPage>;
  const snap = screenshotter(() => page);
  const token = Math.random().toString(36).slice(2, 8);
  let leadId = '';

  beforeAll(async () => {
    api = await startE2eApi();
    events = startLocalEvents(api.deps, { subscriptions: withoutTimers(subscriptions), consumers: [...consumers] });
    ({ browser, page } = await launchChromium({ locale: 'en-GB', timezoneId: 'Asia/Tokyo' }));
    trouble = watchPage(page);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await events?.stop();
    await api?.close();
  });

  /** The page as it is now: a screenshot, then no console error, no failed request and no serious accessibility violation since the last look. */
  const looksRight = async (name: string) => {
    await snap(name);
    expect(trouble.take(), name).toEqual({ consoleErrors: [], failedRequests: [] });
    expect(await seriousA11yViolations(page), name).toEqual([]);
  };
  const onPage = (name: string) => page.locator(`main[data-page="${name}"]`).waitFor();
  const signInAs = async (name: RegExp) => {
    await page.evaluate(() => sessionStorage.clear());
    await page.goto(`${api.baseUrl}/console`);
    await page.getByRole('button', { name }).click();
    await onPage('home');
  };
  const home = async () => {
    await page.click('header.top .brand');
    await onPage('home');
  };
  const openTile = async (title: string, pageName: string) => {
    await home();
    await page.click(`a[name="go-${title}"]`);
    await onPage(pageName);
  };

  it('signs in as a demo user and shows their name and every page on the home page', async () => {
    // The seeded lead's task (made by the journey) counts on the home page.
    await waitFor(async () => (await api.call<any>('u-agent', 'GET', '/v1/tasks?assignee=me')).body.items.length > 0, 'the seeded task', 40_000);
    await page.goto(`${api.baseUrl}/console`);
    await page.getByRole('button', { name: /Akari Agent/ }).waitFor();
    await looksRight('sign-in');
    await page.getByRole('button', { name: /Akari Agent/ }).click();
    await onPage('home');
    await page.locator('.tile .badge').first().waitFor();
    expect(await page.locator('header.top .me').textContent()).toBe('Akari Agent');
    expect(await page.locator('h1').textContent()).toBe('Welcome, Akari Agent');
    expect(await page.locator('.tile-title').allTextContents()).toEqual(
      ['My tasks', 'Waiting for me', 'Records', 'Wizards', 'Kiosks', 'Journeys', 'Cadences', 'Replay', 'Team spaces', 'My Requests', 'API reference'].map((t) => expect.stringMatching(new RegExp(`^${t}`))),
    );
    await looksRight('home');
    // The API reference is this deployment's own.
    const reference = await page.getAttribute('a[name="go-API reference"]', 'href');
    expect((await fetch(new URL(reference!, `${api.baseUrl}/console`))).status).toBe(200);
  });

  it('reaches records as a list, a kanban and one record, by labels and formatted values', async () => {
    await openTile('Records', 'records');
    await page.locator('.records-page table tbody tr').first().waitFor();
    expect(await page.locator('.records-page thead th').allTextContents()).toEqual(['Lead', 'Email', 'Phone', 'Company', 'Industry', 'Owner', 'Updated']);
    await looksRight('records-list');
    await page.click('.segmented a:text("Kanban")');
    await page.locator('.column').first().waitFor();
    expect(await page.locator('.column h2').allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/^New/), expect.stringMatching(/^Contacted/)]));
    await looksRight('records-kanban');
    await page.selectOption('select[name="module"]', 'Deals');
    await page.locator('.column[data-column="Qualification"]').waitFor();
    const deal = await api.call<any>('u-agent', 'POST', '/v1/records/Deals', { body: { fields: { name: `Walk deal ${token}`, amount: 1234567.5, closingDate: '2027-03-31', stage: 'Proposal' } } });
    await page.goto(`${api.baseUrl}/console#/record?module=Deals&id=${deal.body.id}`);
    await page.locator('.record-page').waitFor();
    // Currency with separators; a date in the locale's format (en-GB), as the date inputs show it.
    expect(await page.locator('dd[data-field="amount"]').textContent()).toBe('1,234,567.5');
    expect(await page.locator('dd[data-field="closingDate"]').textContent()).toBe('31/03/2027');
    expect(await page.locator('.fields dt').allTextContents()).toEqual(expect.arrayContaining(['Deal Name', 'Amount', 'Closing Date', 'Stage']));
    await looksRight('record-deal');
  });

  it('runs the New lead wizard: errors clear as they are corrected, a bad time zone is refused, a draft is saved and resumed, the answers are reviewed, and the created lead links to itself and its replay', async () => {
    await openTile('Wizards', 'wizards');
    await page.locator('[name="wizard-New lead"]').waitFor();
    await looksRight('wizards');
    await page.click('[name="wizard-New lead"]');
    await page.locator('form[data-screen="contact-details"]').waitFor();
    await page.fill('#c-lastName', `Walker ${token}`);
    await page.fill('#c-firstName', 'Mika');
    await page.fill('#c-email', 'not-an-email');
    await page.fill('#c-timeZone', 'Mars/Olympus');
    await page.click('button[name="submit"]');
    await page.locator('[data-error-for="email"]').waitFor();
    expect(await page.locator('[data-error-for="email"]').textContent()).toBe('Must be a valid email address');
    expect(await page.locator('[data-error-for="timeZone"]').textContent()).toBe('Not an IANA time zone (e.g. Asia/Tokyo)');
    await trouble.take(); // the 400 was the point
    await looksRight('wizard-errors');
    // Correcting a field takes its error away at once; the other stays until it is corrected too.
    await page.fill('#c-email', `walker.${token}@example.jp`);
    expect(await page.locator('[data-error-for="email"]').count()).toBe(0);
    expect(await page.locator('[data-error-for="timeZone"]').count()).toBe(1);
    await page.fill('#c-timeZone', 'Asia/Tokyo');
    expect(await page.locator('[data-error-for="timeZone"]').count()).toBe(0);
    await page.fill('#c-company', 'Walker Travel Club');
    await page.click('button[name="submit"]');
    await page.locator('form[data-screen="travel-wishes"]').waitFor();
    await page.fill('#c-destinationWish', 'Kyoto in autumn');
    await page.fill('#c-travellers', '3');
    await page.selectOption('#c-industry', 'Hospitality');
    await page.click('button[name="save-draft"]');
    await page.getByText('Draft saved').waitFor();
    await looksRight('wizard-draft-saved');

    // Later: the draft is under My drafts, and resumes where it was left with what was typed.
    await openTile('Wizards', 'wizards');
    const draft = page.locator('[data-list="drafts"] tbody tr').first();
    await draft.waitFor();
    expect(await draft.locator('td').allTextContents()).toEqual(['New lead', 'Travel wishes', expect.stringMatching(/^\d\d\/\d\d\/\d{4}, \d\d:\d\d GMT\+9$/), expect.any(String)]);
    await looksRight('wizards-my-drafts');
    await draft.locator('a').click();
    await page.locator('form[data-screen="travel-wishes"]').waitFor();
    expect(await page.inputValue('#c-destinationWish')).toBe('Kyoto in autumn');
    await page.click('button[name="submit"]');
    await page.locator('form[data-screen="consent"]').waitFor();
    await page.check('input[name="emailConsent"][value="true"]');
    await looksRight('wizard-consent');
    await page.click('button[name="submit"]');

    // The answers by their labels, values as words, before anything is created.
    await page.locator('[data-screen="review"]').waitFor();
    const review = await page.locator('[data-screen="review"] dl').textContent();
    expect(review).toContain('Last Name');
    expect(review).toContain('May we email you?Yes');
    expect(review).toContain('Time ZoneAsia/Tokyo');
    expect(review).not.toContain('emailConsent');
    await looksRight('wizard-review');
    await page.click('button[name="finish"]');
    await page.locator('[data-result="wizard"]').waitFor();
    expect(await page.locator('[data-result="wizard"] h1').textContent()).toBe(`Lead created: Mika Walker ${token}`);
    expect(await page.locator('[data-result="wizard"] dd[data-field="emailConsent"]').textContent()).toBe('Yes');
    await looksRight('wizard-created');
    const leads = await api.call<any>('u-agent', 'GET', `/v1/records/Leads?filter[email]=walker.${token}@example.jp`);
    expect(leads.body.items).toHaveLength(1);
    leadId = leads.body.items[0].id;
    expect(leads.body.items[0].fields).toMatchObject({ lastName: `Walker ${token}`, timeZone: 'Asia/Tokyo', travellers: 3, emailConsent: true });
    expect(await page.getAttribute('a[name="open-record"]', 'href')).toBe(`#/record?module=Leads&id=${leadId}`);
    // The draft, now finished, has left My drafts.
    expect((await api.call<any>('u-agent', 'GET', '/v1/wizard-sessions?status=draft')).body.items).toEqual([]);

    await page.click('a[name="open-replay"]');
    await page.locator('.replay[data-step="1"]').waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-role="what"]').textContent()).toBe(`Lead “Mika Walker ${token}” created`);
    await page.locator('.replay input[name="replay-position"]').fill(String(await page.locator('.replay input[name="replay-position"]').getAttribute('max')));
    await page.locator('.record[data-record="Leads"] dt[data-field="emailConsent"]').waitFor();
    expect(await page.locator('.record[data-record="Leads"] dt[data-field="emailConsent"]').textContent()).toBe('May we email you?');
    expect(await page.locator('.record[data-record="Leads"] dt[data-field="emailConsent"] + dd').textContent()).toBe('Yes');
    await looksRight('replay-wizard-lead');
  });

  it('runs the Update travel info kiosk: phone, pick the trip, new dates, done', async () => {
    const contact = await api.call<any>('u-agent', 'POST', '/v1/records/Contacts', { body: { fields: { lastName: `Kiosk ${token}`, phone: '090-4444-0001', email: `kiosk.${token}@customer.example` } } });
    const trip = await api.call<any>('u-agent', 'POST', '/v1/records/TravelApplications', { body: { fields: { name: `Kiosk ${token} — Sapporo`, contactId: contact.body.id, destination: 'Sapporo', departureDate: '2027-01-10', returnDate: '2027-01-14' } } });
    await openTile('Kiosks', 'kiosks');
    await page.locator('[name="kiosk-Update travel info"]').waitFor();
    await looksRight('kiosks');
    await page.click('[name="kiosk-Update travel info"]');
    await page.locator('form[data-screen="customer-phone"]').waitFor();
    await page.fill('#c-phone', '+81 90 4444 0001');
    await looksRight('kiosk-phone');
    await page.click('button[name="submit"]');
    await page.locator('form[data-screen="pick-application"]').waitFor();
    await page.check(`input[name="application"][value="${trip.body.id}"]`);
    await looksRight('kiosk-pick-application');
    await page.click('button[name="submit"]');
    await page.locator('form[data-screen="new-dates"]').waitFor();
    expect(await page.inputValue('#c-departureDate')).toBe('2027-01-10');
    await page.fill('#c-departureDate', '2027-02-10');
    await page.fill('#c-returnDate', '2027-02-14');
    await page.fill('#c-changeDetails', 'Snow festival dates');
    await looksRight('kiosk-new-dates');
    await page.click('button[name="submit"]');
    await page.locator('[data-result="kiosk"]').waitFor();
    expect(await page.locator('[data-result="kiosk"] h2').textContent()).toBe('Dates changed');
    await looksRight('kiosk-done');
    const updated = await api.call<any>('u-agent', 'GET', `/v1/records/TravelApplications/${trip.body.id}`);
    expect(updated.body.fields).toMatchObject({ departureDate: '2027-02-10', returnDate: '2027-02-14' });
  });

  it('shows my tasks, a journey’s report beside its paths picture, a cadence’s report, team spaces and the replay picker', async () => {
    await openTile('My tasks', 'tasks');
    const task = (await waitFor(async () => (await api.call<any>('u-agent', 'GET', '/v1/tasks?assignee=me&limit=200')).body.items.find((t: any) => t.relatedId === leadId), 'the new lead’s task')) as { id: string };
    const row = page.locator(`tr[data-task="${task.id}"]`);
    await row.waitFor();
    // The related record's name is read after the list: the row names it by id until then.
    await row.locator('td', { hasText: `Mika Walker ${token}` }).waitFor();
    expect(await row.locator('td').allTextContents()).toEqual(['Contact the new lead', expect.stringMatching(/^\d\d\/\d\d\/\d{4}/), `Lead Mika Walker ${token}`, 'Mark done']);
    await looksRight('tasks');
    // Done from the list: it leaves the list, and the replay shows it done (not Open).
    await row.locator('button', { hasText: 'Mark done' }).click();
    await row.waitFor({ state: 'detached' });
    expect((await api.call<any>('u-agent', 'GET', `/v1/records/Tasks/${task.id}`)).body.fields.status).toBe('Done');
    await page.goto(`${api.baseUrl}/console#/replay?lead=${leadId}`);
    await page.locator('.replay[data-step="1"]').waitFor({ timeout: 20_000 });
    await page.locator('.replay input[name="replay-position"]').fill(String(await page.locator('.replay input[name="replay-position"]').getAttribute('max')));
    await page.locator('.tasks li[data-status="Done"]').waitFor();
    expect(await page.locator('.tasks li').allTextContents()).toEqual([expect.stringMatching(/^Contact the new lead for Akari Agent · Done$/)]);
    expect(await page.locator('.journey .note').textContent()).toMatch(/: Lead created$/);
    await looksRight('replay-task-done');

    await openTile('Journeys', 'journeys');
    await page.locator('a:text("Travel customer journey")').click();
    await onPage('journey');
    await page.locator('[data-report="states"] tbody tr').first().waitFor();
    // The picture is fetched with the token and drawn inline: an image, never a 401.
    const picture = page.locator('.paths img');
    await picture.waitFor();
    await page.waitForFunction(() => (document.querySelector('.paths img') as HTMLImageElement | null)?.naturalWidth !== 0);
    expect(await picture.getAttribute('src')).toMatch(/^data:image\/svg\+xml/);
    expect(await page.locator('[data-report="states"] tbody th').allTextContents()).toEqual(expect.arrayContaining(['Lead', 'Prospect', 'Customer', 'Trip completed', 'Promoter']));
    await looksRight('journey-report');

    await openTile('Cadences', 'cadences');
    await page.locator('a:text("Travel inquiry follow-up")').click();
    await onPage('cadence');
    await page.locator('[data-report="steps"] tbody tr').first().waitFor();
    expect(await page.locator('[data-report="steps"] tbody th').allTextContents()).toEqual(['Thank you', 'Destination survey', 'Follow-up', 'Call the lead']);
    await looksRight('cadence-report');

    await openTile('Team spaces', 'teams');
    await page.locator('.page-title + p, .empty, .cards').first().waitFor();
    await looksRight('teams');
    await openTile('My Requests', 'requests');
    await page.locator('.page-title').waitFor();
    await looksRight('my-requests');

    await openTile('Replay', 'replay');
    await page.locator(`button[name="replay-${leadId}"]`).waitFor();
    await looksRight('replay-picker');
  });

  it('lets a manager approve a discount from the inbox, and the approval is decided', async () => {
    const deal = await api.call<any>('u-agent', 'POST', '/v1/records/Deals', { body: { fields: { name: `Discount ${token}`, amount: 480_000, discountPercent: 15 } } });
    expect(deal.status).toBe(201);
    await signInAs(/Masaru Manager/);
    await page.locator('.tile .badge').first().waitFor();
    await looksRight('manager-home');
    await page.click('a[name="go-Waiting for me"]');
    await onPage('inbox');
    const card = page.locator('.approval', { hasText: `Discount ${token}` });
    await card.waitFor();
    expect(await card.textContent()).toContain('submitted by Akari Agent');
    await looksRight('inbox');
    await card.locator('textarea[name="comment"]').fill('Fine for a returning customer');
    await card.locator('button[name="approve"]').click();
    await page.getByText('Approved: Discount over 10%').waitFor();
    await looksRight('inbox-decided');
    const approvals = await api.call<any>('u-manager', 'GET', `/v1/records/Deals/${deal.body.id}/approvals`);
    expect(approvals.body.items[0]).toMatchObject({ status: 'approved' });
  });

  it('shows a requester only their team pages, and sends a request from My Requests', async () => {
    await signInAs(/Rika Requester/);
    expect(await page.locator('.tile-title').allTextContents()).toEqual(['Team spaces', 'My Requests', 'API reference']);
    await looksRight('requester-home');
    await page.click('a[name="go-My Requests"]');
    await onPage('requests');
    await page.click('button[name="ask-Arrangements"]');
    await page.locator('form.screen').waitFor();
    await page.fill('#c-title', `Rail passes ${token}`);
    await page.selectOption('#c-kind', 'Rail');
    await page.fill('#c-neededBy', '2027-04-01');
    await looksRight('request-form');
    await page.click('button[name="submit"]');
    await page.locator(`tr:has-text("Rail passes ${token}")`).waitFor();
    expect(await page.locator(`tr:has-text("Rail passes ${token}") .badge`).textContent()).toBe('Submitted');
    await looksRight('my-requests-sent');
    await waitFor(async () => (await api.call<any>('u-ops', 'GET', '/v1/team-modules/Arrangements/requests')).body.items.find((r: any) => r.fields.title === `Rail passes ${token}`), 'the request in the team queue');
  });
});
