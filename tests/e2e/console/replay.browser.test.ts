import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium, screenshotter } from '../../support/browser.js';
import { mailTo, useCadenceCloud } from '../../support/cadence-cloud.js';
import { waitFor } from '../../support/events.js';

// The travel-agency story made through the API against the local cloud as `npm start` runs it (timers on
// a simulated clock: 2 days pass in 1.25 s), then replayed in the console in headless Chromium, one
// screenshot per step (tests/e2e/console/__screenshots__/replay-*.png).

// Chromium starts while the cloud does (hooks run in order: this one only kicks it off).
let launching: ReturnType<typeof launchChromium> | undefined;
beforeAll(() => {
  if (hasChromium || process.env.CI) launching = launchChromium({ locale: 'en-US', timezoneId: 'UTC' });
});
const cloud = useCadenceCloud(138_240);

interface Seen {
  step: number;
  what: string;
  journey: string | null;
  stage: string | null;
  records: string[];
  tasks: string[];
}

describe.skipIf(!hasChromium && !process.env.CI)('the console replays a customer’s story (headless Chromium)', () => {
  let browser: Browser;
  let page: Page;
  const snap = screenshotter(() => page, 'replay-');
  const email = `mika.tanaka.${Math.random().toString(36).slice(2, 8)}@example.jp`;
  let leadId = '';
  let applicationId = '';

  beforeAll(async () => {
    ({ browser, page } = await launching!);
    await page.setViewportSize({ width: 1280, height: 900 });
  }, 60_000);
  afterAll(async () => {
    // Closed even when the cloud failed to start (and this file's launch was never awaited).
    await (browser ?? (await launching?.catch(() => undefined))?.browser)?.close();
  });

  it('makes the story through the API: lead, thank-you email, qualified, converted, travel application, the blueprint’s steps, a discount approval', async () => {
    const lead = await cloud.call('u-agent', 'POST', '/v1/records/Leads', { body: { fields: { firstName: 'Mika', lastName: 'Tanaka', email, company: 'Tanaka Travel Club', leadStatus: 'New' } } });
    expect(lead.status).toBe(201);
    leadId = lead.body.id;
    await waitFor(async () => (await mailTo(email)).find((m) => m.subject === 'Thank you for your travel inquiry, Mika'), 'the thank-you email', 20_000);
    const { version } = (await cloud.call('u-agent', 'GET', `/v1/records/Leads/${leadId}`)).body;
    expect((await cloud.call('u-agent', 'PATCH', `/v1/records/Leads/${leadId}`, { body: { fields: { leadStatus: 'Qualified' } }, headers: { 'if-match': `"${version}"` } })).status).toBe(200);
    const contact = await waitFor(async () => (await cloud.call('u-agent', 'GET', `/v1/records/Contacts/lookup?field=email&value=${encodeURIComponent(email)}`)).body.items[0], 'the contact', 20_000);
    const application = await waitFor(async () => (await cloud.call('u-agent', 'GET', `/v1/records/Contacts/${contact.id}/related/TravelApplications`)).body.items[0], 'the travel application', 20_000);
    applicationId = application.id;
    const step = (user: string, transition: string, body: unknown = {}) => cloud.call(user, 'POST', `/v1/records/TravelApplications/${applicationId}/transitions/${transition}`, { body });
    expect((await step('u-agent', 'requirements-checked', { note: 'Budget and dates confirmed' })).status).toBe(200);
    expect((await step('u-agent', 'travel-plan-ready', { fields: { destination: 'Kyoto', departureDate: '2027-04-01', returnDate: '2027-04-06' } })).status).toBe(200);
    await waitFor(async () => (await cloud.call('u-manager', 'GET', '/v1/tasks?assignee=me&limit=200')).body.items.find((t: { relatedId?: string; subject: string }) => t.relatedId === applicationId && t.subject.startsWith('Approve the travel plan')), "the manager's task", 20_000);
    expect((await step('u-manager', 'manager-approved')).status).toBe(200);
    await waitFor(async () => (await cloud.call('u-agent', 'GET', '/v1/tasks?assignee=me&limit=200')).body.items.find((t: { relatedId?: string; subject: string }) => t.relatedId === applicationId && t.subject.startsWith('Arrange tickets')), "the agent's task after approval", 20_000);
    // The deal with a 15 % discount goes to the agent's manager, who approves it.
    const deal = await cloud.call('u-agent', 'POST', '/v1/records/Deals', { body: { fields: { name: 'Kyoto for two', contactId: contact.id, amount: 480_000, discountPercent: 15 } } });
    expect(deal.status).toBe(201);
    const approval = (await cloud.call('u-manager', 'GET', '/v1/approvals?status=pending&assignee=me')).body.items.find((a: { recordId: string }) => a.recordId === deal.body.id);
    expect((await cloud.call('u-manager', 'POST', `/v1/approvals/${approval.id}/approve`, { body: { comment: 'Fine for a returning customer' } })).status).toBe(200);
    await waitFor(async () => (await cloud.call('u-agent', 'GET', '/v1/tasks?assignee=me&limit=200')).body.items.find((t: { relatedId?: string; subject: string }) => t.relatedId === deal.body.id), 'the task to send the quote', 20_000);
  }, 60_000);

  it('opens the replay from its address, steps through every step with a screenshot each, back, play and pause', async () => {
    await page.goto(`${cloud.baseUrl()}/console#/replay?lead=${leadId}`);
    await page.getByRole('button', { name: /Akari Agent/ }).click();
    await page.locator('.replay[data-step="1"]').waitFor({ timeout: 20_000 });
    const total = Number((await page.locator('.position').textContent())!.match(/of (\d+)/)![1]);
    expect(total).toBeGreaterThan(10);
    const seen: Seen[] = [];
    // One read of the page as it is (no waits: the step number and the rest render together).
    const look = (): Promise<Seen> =>
      page.evaluate(() => {
        const text = (selector: string) => Array.from(document.querySelectorAll(selector), (e) => e.textContent ?? '');
        return {
          step: Number(document.querySelector('.replay')?.getAttribute('data-step')),
          what: document.querySelector('[data-role="what"]')?.textContent ?? '',
          journey: document.querySelector('.journey')?.getAttribute('data-journey-state') ?? null,
          stage: document.querySelector('[data-record="TravelApplications"] .stage')?.getAttribute('data-stage') ?? null,
          records: text('.record h3'),
          tasks: text('.tasks li'),
        };
      });
    for (let i = 1; i <= total; i += 1) {
      if (i > 1) {
        await page.click('button[name="replay-forward"]');
        await page.locator(`.replay[data-step="${i}"]`).waitFor();
      }
      const now = await look();
      seen.push(now);
      await snap(now.what.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60).toLowerCase());
    }
    expect(await page.locator('button[name="replay-forward"]').isDisabled()).toBe(true);
    const at = (what: string | RegExp) => {
      const found = seen.find((s) => (typeof what === 'string' ? s.what === what : what.test(s.what)));
      expect(found, `a step "${what}" in ${JSON.stringify(seen.map((s) => s.what))}`).toBeDefined();
      return found!;
    };

    expect(seen[0]).toMatchObject({ what: 'Lead “Mika Tanaka” created', journey: null, records: ['Lead Mika Tanaka'] });
    expect(at('Journey “Travel customer journey”: started in Lead').journey).toBe('lead');
    expect(at('Task “Contact the new lead” for Akari Agent').tasks).toEqual([expect.stringContaining('Contact the new lead')]);
    const thanks = at(`Email “Thank you for your travel inquiry, Mika” sent to ${email}`);
    expect(thanks.journey).toBe('lead');
    const qualified = at('Lead “Mika Tanaka” updated');
    // On a loaded machine the simulated 14 days may pass first, and the lead goes quiet (Nurture) before it is qualified.
    expect(at(/^Journey “Travel customer journey”: (Lead|Nurture) → Prospect$/).step).toBe(qualified.step + 1);
    expect(at('Journey “Travel customer journey”: Prospect → Customer').journey).toBe('customer');
    expect(at('Contact “Mika Tanaka” created').records).toEqual(expect.arrayContaining(['Contact Mika Tanaka']));
    const created = at('Travel Application “Mika Tanaka” created');
    expect(created.stage).toBe('Requirements Check');
    expect(at(/Transition "Requirements checked"/).stage).toBe('Travel Plan');
    expect(at(/Transition "Travel plan ready"/).stage).toBe('Manager Approval');
    expect(at('Task “Approve the travel plan for Mika Tanaka” for Masaru Manager').stage).toBe('Manager Approval');
    const approved = at(/Transition "Manager approved"/);
    expect(approved.stage).toBe('Arrangement');
    expect(at('Task “Arrange tickets and lodging for Mika Tanaka” for Akari Agent').tasks).toEqual(
      expect.arrayContaining([expect.stringMatching(/^Approve the travel plan for Mika Tanaka for Masaru Manager/), expect.stringMatching(/^Arrange tickets and lodging for Mika Tanaka for Akari Agent/)]),
    );
    expect(at('Submitted for approval "Discount over 10%" (level 1 of 1: Masaru Manager)').records).toEqual(expect.arrayContaining(['Deal Kyoto for two']));
    expect(at('Approved "Discount over 10%": Fine for a returning customer').step).toBeGreaterThan(approved.step);
    at('Task “Send the approved quote for Kyoto for two” for Akari Agent');
    // Everything in time order, as the timeline on the right lists it.
    expect(seen.map((s) => s.step)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(thanks.step).toBeLessThan(qualified.step);
    expect(created.step).toBeLessThan(approved.step);

    // The last scene is the records as they are now.
    const application = (await cloud.call('u-agent', 'GET', `/v1/records/TravelApplications/${applicationId}`)).body;
    const card = page.locator('[data-record="TravelApplications"]');
    // Fields by their labels; dates as the locale writes them (the browser's, here en-US).
    expect(await card.locator('dt[data-field="destination"]').textContent()).toBe('Destination');
    expect(await card.locator('dt[data-field="destination"] + dd').textContent()).toBe(application.fields.destination);
    const [y, m, d] = String(application.fields.departureDate).split('-');
    expect(await card.locator('dt[data-field="departureDate"] + dd').textContent()).toBe(`${m}/${d}/${y}`);

    // Back one step, then jump to a step from the timeline, then play and pause.
    await page.click('button[name="replay-back"]');
    await page.locator(`.replay[data-step="${total - 1}"]`).waitFor();
    await page.click(`button[name="replay-step-${created.step}"]`);
    await page.locator(`.replay[data-step="${created.step}"]`).waitFor();
    expect(await look()).toEqual(created);
    await page.click('button[name="replay-play"]');
    await page.locator(`.replay[data-step="${created.step + 1}"]`).waitFor({ timeout: 10_000 });
    await page.click('button[name="replay-play"]');
    expect(await page.locator('button[name="replay-play"]').textContent()).toBe('Play');
    await snap('paused');
  }, 60_000);

  it('says so for a lead that does not exist or an id that is not one, and closes back to the home page', async () => {
    await page.goto(`${cloud.baseUrl()}/console#/replay?lead=01HZZZZZZZZZZZZZZZZZZZZZZZ`);
    await page.locator('.replay [role="alert"]').waitFor();
    expect(await page.locator('.replay [role="alert"]').textContent()).toContain('No Leads record');
    await snap('unknown-lead');
    await page.click('button[name="close"]');
    await page.locator('.replay-picker').waitFor();
    expect(await page.locator('.replay-picker h1').textContent()).toBe('Replay a customer');
    await page.locator(`button[name="replay-${leadId}"]`).waitFor();
    await snap('home-picker');
    await page.fill('input[name="replay-lead"]', 'not a lead');
    await page.click('.replay-picker button[type="submit"]');
    await page.locator('.replay [role="alert"]').waitFor();
    await snap('bad-lead-id');
    await page.click('button[name="close"]');
    await page.locator(`button[name="replay-${leadId}"]`).click();
    await page.locator('.replay[data-step="1"]').waitFor({ timeout: 20_000 });
  }, 60_000);
});
