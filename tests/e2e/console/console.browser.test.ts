import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumers } from '../../../functions/events/consumers.js';
import { subscriptions } from '../../../functions/subscriptions.js';
import { hasChromium, launchChromium, screenshotter } from '../../support/browser.js';
import { startE2eApi, type E2eApi } from '../../support/e2e.js';
import { startLocalEvents, type LocalEvents } from '../../support/events.js';

describe.skipIf(!hasChromium && !process.env.CI)('the console in a real browser (headless Chromium)', () => {
  let api: E2eApi;
  let events: LocalEvents;
  let browser: Browser;
  let page: Page;
  const snap = screenshotter(() => page);
  const token = Math.random().toString(36).slice(2, 8);

  beforeAll(async () => {
    api = await startE2eApi();
    events = startLocalEvents(api.deps, { subscriptions, consumers: [...consumers] });
    ({ browser, page } = await launchChromium());
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await events?.stop();
    await api?.close();
  });

  const screenTitle = () => page.locator('form.screen h2, .screen h2, .result h2').first().textContent();

  it('signs in as a demo user and completes the New lead wizard, with the field error shown at its component', async () => {
    await page.goto(`${api.baseUrl}/console`);
    await page.getByRole('button', { name: /Akari Agent/ }).click();
    await page.getByRole('button', { name: 'New lead' }).waitFor();
    await snap('home');
    await page.getByRole('button', { name: 'New lead' }).click();
    await page.locator('form[data-screen="contact-details"]').waitFor();
    await page.fill('#c-lastName', `Browser ${token}`);
    await page.fill('#c-email', 'not-an-email');
    await page.fill('#c-company', 'Console Travel Club');
    await page.click('button[name="submit"]');
    await page.locator('[data-error-for="email"]').waitFor();
    expect(await page.locator('[data-error-for="email"]').textContent()).toBe('Must be a valid email address');
    await snap('wizard-contact-error');
    await page.fill('#c-email', `browser.${token}@example.jp`);
    await page.fill('#c-phone', '090-7777-1234');
    await page.click('button[name="submit"]');
    await page.locator('form[data-screen="travel-wishes"]').waitFor();
    await page.fill('#c-destinationWish', 'Kyoto in autumn');
    await page.fill('#c-travellers', '3');
    await page.selectOption('#c-industry', 'Hospitality');
    await snap('wizard-travel-wishes');
    await page.click('button[name="save-draft"]');
    await page.getByText('Draft saved').waitFor();
    await page.click('button[name="submit"]');
    await page.locator('form[data-screen="consent"]').waitFor();
    await page.check('input[name="emailConsent"][value="true"]');
    await snap('wizard-consent');
    await page.click('button[name="submit"]');
    await page.locator('[data-screen="finish"]').waitFor();
    await page.click('button[name="finish"]');
    await page.locator('[data-result="wizard"]').waitFor();
    await snap('wizard-created');
    expect(await screenTitle()).toBe('Created Leads record');
    const leads = await api.call<any>('u-agent', 'GET', `/v1/records/Leads?filter[email]=browser.${token}@example.jp`);
    expect(leads.body.items).toHaveLength(1);
    expect(leads.body.items[0].fields).toMatchObject({ lastName: `Browser ${token}`, destinationWish: 'Kyoto in autumn', travellers: 3, emailConsent: true });
  });

  it('runs the Update travel info kiosk: phone, pick the trip, new dates, done', async () => {
    const contact = await api.call<any>('u-agent', 'POST', '/v1/records/Contacts', { body: { fields: { lastName: `Kiosk ${token}`, phone: '090-4444-0001', email: `kiosk.${token}@customer.example` } } });
    const trip = await api.call<any>('u-agent', 'POST', '/v1/records/TravelApplications', { body: { fields: { name: `Kiosk ${token} — Sapporo`, contactId: contact.body.id, destination: 'Sapporo', departureDate: '2027-01-10', returnDate: '2027-01-14' } } });
    await page.click('button[name="close"]');
    await page.getByRole('button', { name: 'Update travel info' }).click();
    await page.locator('form[data-screen="customer-phone"]').waitFor();
    await page.fill('#c-phone', '+81 90 4444 0001');
    await snap('kiosk-phone');
    await page.click('button[name="submit"]');
    await page.locator('form[data-screen="pick-application"]').waitFor();
    await page.check(`input[name="application"][value="${trip.body.id}"]`);
    await snap('kiosk-pick-application');
    await page.click('button[name="submit"]');
    await page.locator('form[data-screen="new-dates"]').waitFor();
    expect(await page.inputValue('#c-departureDate')).toBe('2027-01-10');
    await page.fill('#c-departureDate', '2027-02-10');
    await page.fill('#c-returnDate', '2027-02-14');
    await page.fill('#c-changeDetails', 'Snow festival dates');
    await snap('kiosk-new-dates');
    await page.click('button[name="submit"]');
    await page.locator('[data-result="kiosk"]').waitFor();
    await snap('kiosk-done');
    expect(await screenTitle()).toBe('Dates changed');
    const updated = await api.call<any>('u-agent', 'GET', `/v1/records/TravelApplications/${trip.body.id}`);
    expect(updated.body.fields).toMatchObject({ departureDate: '2027-02-10', returnDate: '2027-02-14' });
  });

  it('shows a kanban of a module', async () => {
    await page.click('button[name="close"]');
    await page.selectOption('select[name="kanban-module"]', 'Leads');
    await page.selectOption('select[name="kanban-field"]', 'leadStatus');
    await page.locator('.column').first().waitFor();
    await snap('kanban');
    expect(await page.locator('.column h3').allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/^New/)]));
  });
});
