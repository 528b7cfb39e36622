import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumers } from '../../../functions/events/consumers.js';
import { subscriptions } from '../../../functions/subscriptions.js';
import { ShadowRunSchema } from '../../../functions/shadow/schemas.js';
import type { LocalSfnRunner } from '../../../infra/local/sfn/index.js';
import { hasChromium, launchChromium, screenshotter, seriousA11yViolations, watchPage } from '../../support/browser.js';
import { startE2eApi, type E2eApi } from '../../support/e2e.js';
import { startLocalEvents, waitFor, withoutTimers, type LocalEvents } from '../../support/events.js';
import { startShadowJobs } from '../../support/shadow-jobs.js';
import { runningRun, workflowRuleRun } from '../../fixtures/shadow/runs.js';

// An admin tries drafts on the recorded past from the console, in headless Chromium against one local
// API: the Processes page lists the five kinds; a draft with a mistake is refused with its field paths;
// the "High-value deal alert" with a lower threshold and the journey with narrower entry criteria are run
// as shadows, followed to their result, and shown beside what the published versions did (the journey's
// report and paths picture as on the live page). One rendering check uses the API's schema-typed
// fixtures (a run in progress, then done) at a phone's width. Screenshots: __screenshots__/shadow-*.png.

describe.skipIf(!hasChromium && !process.env.CI)('shadow runs in the console (headless Chromium)', () => {
  let api: E2eApi;
  let events: LocalEvents;
  let runner: LocalSfnRunner;
  let browser: Browser;
  let page: Page;
  let trouble: ReturnType<typeof watchPage>;
  const snap = screenshotter(() => page, 'shadow-');
  const token = Math.random().toString(36).slice(2, 8);

  beforeAll(async () => {
    api = await startE2eApi();
    events = startLocalEvents(api.deps, { subscriptions: withoutTimers(subscriptions), consumers: [...consumers] });
    // The shadow runs' paged job, as npm start runs it: the ASL CDK synthesizes, in the local runner.
    runner = startShadowJobs(api.deps);
    ({ browser, page } = await launchChromium({ locale: 'en-GB', timezoneId: 'Asia/Tokyo' }));
    trouble = watchPage(page);
    await page.goto(`${api.baseUrl}/console`);
    await page.getByRole('button', { name: /Aiko Admin/ }).click();
    await page.locator('main[data-page="home"]').waitFor();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await runner?.stop();
    await events?.stop();
    await api?.close();
  });

  const looksRight = async (name: string) => {
    await snap(name);
    expect(trouble.take(), name).toEqual({ consoleErrors: [], failedRequests: [] });
    expect(await seriousA11yViolations(page), name).toEqual([]);
  };
  /** Nothing wider than the window: the page reads at a phone's width without scrolling sideways. */
  const fitsTheWidth = async () => expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
  const openDefinition = async (kind: string, name: string) => {
    await page.click('header.top .brand');
    await page.click('a[name="go-Processes"]');
    await page.locator('main[data-page="definitions"]').waitFor();
    await page.click(`[data-kind="${kind}"] a:text("${name}")`);
    await page.locator('.definition-page textarea[name="draft"]').waitFor();
  };
  const editDraft = async (change: (draft: any) => void) => {
    // The textarea is drawn before the definition it holds has loaded: wait for its text.
    await page.waitForFunction(() => ((document.querySelector('textarea[name="draft"]') as HTMLTextAreaElement | null)?.value ?? '').trim().startsWith('{'));
    const draft = JSON.parse(await page.inputValue('textarea[name="draft"]'));
    change(draft);
    await page.fill('textarea[name="draft"]', JSON.stringify(draft, null, 2));
  };

  it('lists the five kinds of definition on the Processes page, for admins only', async () => {
    await page.click('a[name="go-Processes"]');
    await page.locator('main[data-page="definitions"] [data-kind]').first().waitFor();
    expect(await page.locator('.definitions-page h2').allTextContents()).toEqual(['Blueprints', 'Workflow rules', 'Approval processes', 'Cadences', 'Journeys']);
    for (const [kind, name] of [['blueprint', 'Travel application'], ['workflowRule', 'High-value deal alert'], ['approvalProcess', 'Discount over 10%'], ['cadence', 'Travel inquiry follow-up'], ['journey', 'Travel customer journey']])
      expect(await page.locator(`[data-kind="${kind}"] a`).allTextContents(), kind).toContain(name);
    await looksRight('processes');
  });

  it('refuses a draft that is not JSON before sending it, and shows the server’s field paths for one it refuses', async () => {
    await openDefinition('workflowRule', 'High-value deal alert');
    await looksRight('rule-draft');
    await page.fill('textarea[name="draft"]', '{ "name": ');
    expect(await page.locator('#draft-error').textContent()).toMatch(/^Not JSON/);
    expect(await page.locator('button[name="try-shadow"]').isDisabled()).toBe(true);
    await page.click('button[name="reset-draft"]');
    await editDraft((draft) => {
      draft.actions[0].dueInDays = -1;
    });
    await page.click('button[name="try-shadow"]');
    await page.locator('.shadow .problem li').first().waitFor();
    expect(await page.locator('.shadow .problem li code').allTextContents()).toEqual(['draft.actions.0.dueInDays']);
    expect(trouble.take().failedRequests).toEqual([expect.stringMatching(/POST .*\/v1\/shadow-runs: 400$/)]);
    await looksRight('rule-refused');
  });

  it('tries the High-value deal alert at 500,000 on the last 30 days and shows it beside the published version', async () => {
    // Two deals of the window: one only the draft alerts on, one both do.
    for (const [name, amount] of [[`Mid deal ${token}`, 600_000], [`Big deal ${token}`, 1_200_000]] as const) {
      const deal = await api.call('u-agent', 'POST', '/v1/records/Deals', { body: { fields: { name, amount: 100 } } });
      expect((await api.call('u-agent', 'PATCH', `/v1/records/Deals/${deal.body.id}`, { body: { fields: { amount } } })).status).toBe(200);
    }
    await waitFor(async () => (await api.call('u-agent', 'GET', '/v1/tasks?assignee=me&limit=200')).body.items.some((t: any) => t.subject === 'Plan the high-value deal'), 'the live rule’s task', 40_000);
    await openDefinition('workflowRule', 'High-value deal alert');
    await editDraft((draft) => {
      draft.trigger.to.value = 500_000;
    });
    await page.click('button[name="try-shadow"]');
    await page.locator('.shadow[data-status="done"] [data-result="shadow"]').waitFor({ timeout: 60_000 });
    expect(page.url()).toMatch(/#\/definition\?kind=workflowRule&id=[^&]+&run=[0-9A-Z]{26}$/);
    const run = ShadowRunSchema.parse((await api.call('u-admin', 'GET', `/v1/shadow-runs/${new URL(page.url()).hash.split('run=')[1]}`)).body);
    const rows = await page.locator('[data-shadow="counts"] tbody tr').count();
    expect(rows).toBeGreaterThan(0);
    const task = page.locator('[data-shadow="counts"] tr[data-outcome="task:Plan the high-value deal"] td');
    const draftTasks = run.result!.counts.find((c) => c.kind === 'task')!.count;
    const publishedTasks = run.result!.comparison!.counts.find((c) => c.kind === 'task')!.count;
    expect(await task.allTextContents()).toEqual([String(draftTasks), String(publishedTasks), expect.stringMatching(/^\+\d+$/)]);
    expect(draftTasks).toBeGreaterThan(publishedTasks);
    // The deal only the draft alerts on is among the records it adds a task to, by name.
    await page.locator(`[data-changes="added"] a:text("Deal Mid deal ${token}")`).first().waitFor();
    expect(await page.locator(`[data-changes="added"]`).textContent()).not.toContain(`Big deal ${token}`);
    expect(await page.locator('[data-limit="person"] dd').textContent()).toBe(String(run.result!.limits.dependsOnPerson));
    expect(await page.locator('[data-limit="customer"] dd').textContent()).toBe(String(run.result!.limits.dependsOnCustomer));
    await page.locator('[data-samples="task:Plan the high-value deal"] summary').click();
    await page.locator('[data-samples="task:Plan the high-value deal"] tbody tr').first().waitFor();
    await looksRight('rule-result');
    // A reload shows the same run (its id is in the address); the page's reads finish first, so none is cut short by it.
    await trouble.idle();
    await page.reload();
    await page.locator('.shadow[data-status="done"] [data-result="shadow"]').waitFor({ timeout: 20_000 });
    await looksRight('rule-result-reloaded');
  });

  it('tries the journey with narrower entry criteria and shows its report and paths picture as the live page does', async () => {
    // Reached from the live journey page, as an admin would.
    await page.click('header.top .brand');
    await page.click('a[name="go-Journeys"]');
    await page.locator('a:text("Travel customer journey")').click();
    await page.click('a[name="try-change"]');
    await page.locator('.definition-page textarea[name="draft"]').waitFor();
    await editDraft((draft) => {
      draft.entry = { where: { all: [{ field: 'leadSource', op: 'eq', value: 'Web' }] } };
    });
    await page.click('button[name="try-shadow"]');
    await page.locator('.shadow[data-status="done"] [data-result="shadow"]').waitFor({ timeout: 60_000 });
    await page.locator('.shadow-journey [data-report="states"] tbody tr').first().waitFor();
    expect(await page.locator('.shadow-journey [data-report="states"] tbody th').allTextContents()).toEqual(expect.arrayContaining(['Lead', 'Prospect', 'Customer', 'Promoter']));
    await page.waitForFunction(() => (document.querySelector('.shadow-journey .paths img') as HTMLImageElement | null)?.naturalWidth !== 0);
    expect(await page.locator('.shadow-journey .paths img').getAttribute('src')).toMatch(/^data:image\/svg\+xml/);
    await looksRight('journey-result');
    await page.click('.shadow-journey button[name="paths-size"]');
    await looksRight('journey-result-enlarged');
  });

  it('renders a run from the API’s schema-typed fixtures: progress first, then the result, at a phone’s width', async () => {
    await page.setViewportSize({ width: 380, height: 800 });
    const recordReads = { started: 0, answered: 0 };
    const isRecordRead = (url: string) => url.includes('/v1/records/Deals/');
    page.on('request', (r) => void (isRecordRead(r.url()) && (recordReads.started += 1)));
    page.on('requestfinished', (r) => void (isRecordRead(r.url()) && (recordReads.answered += 1)));
    page.on('requestfailed', (r) => void (isRecordRead(r.url()) && (recordReads.answered += 1)));
    let looks = 0;
    await page.route('**/v1/shadow-runs**', (route) => {
      const post = route.request().method() === 'POST';
      looks += post ? 0 : 1;
      const body = post || looks < 2 ? runningRun : workflowRuleRun;
      return route.fulfill({ status: post ? 202 : 200, contentType: 'application/json', body: JSON.stringify(body) });
    });
    try {
      await openDefinition('workflowRule', 'High-value deal alert');
      await page.click('button[name="try-shadow"]');
      await page.locator('.shadow[data-status="running"] progress').waitFor();
      expect(await page.locator('.shadow-progress p').textContent()).toContain('Replaying… 2,500 of 10,000 record changes');
      await looksRight('fixture-running-narrow');
      await fitsTheWidth();
      await page.locator('.shadow[data-status="done"] [data-result="shadow"]').waitFor({ timeout: 20_000 });
      expect(await page.locator('[data-shadow="counts"] tbody th').allTextContents()).toEqual(['Email: High-value deal', 'Task: Plan the high-value deal', 'Notification: Deal over a million']);
      expect(await page.locator('[data-changes="moved"] [data-group]').textContent()).toContain('Email: High-value deal → Task: Plan the high-value deal');
      expect(await page.locator('[data-shadow="recorded"]').textContent()).toContain('agrees with what was recorded live for all 9 records');
      await page.unroute('**/v1/shadow-runs**');
      // The fixture's records do not exist here: their links name them by id (the reads fail quietly, as for any record one may not read).
      await page.locator('[data-changes="added"] a').first().waitFor();
      // Every link's read answered (its 404 is expected) before the trouble is cleared, so none spills into the next test.
      const links = await page.locator('[data-changes] a').count();
      await expect.poll(() => recordReads.answered, { timeout: 20_000 }).toBeGreaterThanOrEqual(links);
      await expect.poll(() => recordReads.started - recordReads.answered, { timeout: 20_000 }).toBe(0);
      trouble.take();
      await snap('fixture-result-narrow');
      expect(await seriousA11yViolations(page)).toEqual([]);
      await fitsTheWidth();
    } finally {
      await page.unroute('**/v1/shadow-runs**');
      await page.setViewportSize({ width: 1100, height: 800 });
    }
  });

  it('draws a journey run’s report and picture, from fixtures made of the live report and paths, with the live page’s components', async () => {
    const journeys = await api.call('u-admin', 'GET', '/v1/journeys');
    const journeyId = journeys.body.items.find((j: any) => j.name === 'Travel customer journey').id;
    // One moment's figures: the report, the paths and the live picture read until the paths hold still
    // around them (the seed's consumers may still be moving instances when this test starts).
    const read = () => Promise.all([api.call('u-admin', 'GET', `/v1/journeys/${journeyId}/report`), api.call('u-admin', 'GET', `/v1/journeys/${journeyId}/paths`), api.call('u-admin', 'GET', `/v1/journeys/${journeyId}/paths.svg`)]);
    let [report, paths, live] = await read();
    for (let tries = 0; tries < 20; tries++) {
      const [againReport, againPaths, againLive] = await read();
      if (JSON.stringify([againReport.body, againPaths.body, againLive.body]) === JSON.stringify([report.body, paths.body, live.body])) break;
      [report, paths, live] = [againReport, againPaths, againLive];
      await new Promise((r) => setTimeout(r, 500));
    }
    const done = ShadowRunSchema.parse({
      ...workflowRuleRun,
      kind: 'journey',
      definitionId: journeyId,
      name: 'Travel customer journey',
      result: { counts: [{ kind: 'journeyEntered', label: 'Lead', count: report.body.started }], samples: [], limits: { dependsOnPerson: 0, dependsOnCustomer: 2 }, journey: { report: report.body, paths: paths.body } },
    });
    await page.route('**/v1/shadow-runs**', (route) => route.fulfill({ status: route.request().method() === 'POST' ? 202 : 200, contentType: 'application/json', body: JSON.stringify(done) }));
    try {
      await openDefinition('journey', 'Travel customer journey');
      await page.click('button[name="try-shadow"]');
      await page.locator('.shadow-journey [data-report="states"] tbody tr').first().waitFor();
      expect(await page.locator('.shadow-journey [data-report="states"] tbody th').allTextContents()).toEqual(report.body.states.map((s: any) => s.name));
      await page.waitForFunction(() => (document.querySelector('.shadow-journey .paths img') as HTMLImageElement | null)?.naturalWidth !== 0);
      // The same renderer as the live picture, so the same drawing for the same figures.
      expect(decodeURIComponent((await page.locator('.shadow-journey .paths img').getAttribute('src'))!.replace(/^data:image\/svg\+xml;charset=utf-8,/, ''))).toBe(live.body);
      await looksRight('fixture-journey');
    } finally {
      await page.unroute('**/v1/shadow-runs**');
    }
  });

  it('answers hostile addresses in words: an unknown kind, a run id that is no run, a kept draft that no longer parses', async () => {
    await page.goto(`${api.baseUrl}/console#/definition?kind=__proto__&id=x`);
    await page.getByText('No such kind of definition').waitFor();
    const rules = await api.call('u-admin', 'GET', '/v1/workflow-rules');
    const ruleId = rules.body.items.find((r: any) => r.name === 'High-value deal alert').id;
    await page.evaluate(() => sessionStorage.setItem('keiro.console.shadow.not-a-run', '{"broken'));
    await page.goto(`${api.baseUrl}/console#/definition?kind=workflowRule&id=${ruleId}&run=not-a-run`);
    await page.locator('.shadow .problem li').waitFor();
    expect(await page.locator('.shadow .problem li').textContent()).toMatch(/^id: /);
    // The saved draft is shown, not the unreadable kept one.
    expect(JSON.parse(await page.inputValue('textarea[name="draft"]')).name).toBe('High-value deal alert');
    expect(trouble.take().failedRequests).toEqual([expect.stringMatching(/GET .*\/v1\/shadow-runs\/not-a-run: 400$/)]);
    await looksRight('hostile-run-address');
  });
});
