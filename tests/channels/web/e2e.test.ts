import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePdf } from '../../helpers/files.js';
import { startConsole, type RunningConsole } from './support.js';

/**
 * The console in a real headless Chromium (Debian's `chromium` package),
 * driven by playwright-core. Every request leaving 127.0.0.1 is blocked and
 * recorded: the pages must work offline.
 */
const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = fs.existsSync(CHROMIUM);
const ARTIFACTS = path.resolve('test-artifacts');
if (!HAS_CHROMIUM) {
  console.warn(`e2e de la console web ignoré : ${CHROMIUM} est absent (apt-get install -y chromium).`);
}

const THREAD_TEXT = [
  "Claire Morel : Bonjour à tous, on lance une action pour l'accueil des jeunes en crise dans le Val d'Orme.",
  'Paul Hamon : Je propose que la MDA pilote, avec moi comme référent.',
  'Claire Morel : Objectif : réduire les passages aux urgences des 16-25 ans.',
  "Paul Hamon : Étapes : recensement des lieux d'accueil d'ici juin 2026, puis ouverture d'un point d'accueil au 1er trimestre 2027.",
  "Claire Morel : Indicateur : nombre de jeunes accueillis par an. Partenaires : EPSM des Deux-Rives, CPTS du Val d'Orme.",
].join('\n');

async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A context that lets only the console's own origin through, and remembers any other attempt. */
async function offlineContext(browser: Browser, origin: string, outside: string[]): Promise<BrowserContext> {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 }, locale: 'fr-FR' });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    outside.push(url);
    return route.abort();
  });
  return context;
}

function watchErrors(page: Page, errors: string[]): void {
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  // Refusals the test provokes on purpose (a corrupt upload) are logged by Chromium as failed loads.
  page.on('console', (m) => { if (m.type() === 'error' && !/status of 415/.test(m.text())) errors.push(`console: ${m.text()}`); });
}

async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const y = await page.evaluate(() => window.scrollY);
  await page.screenshot({ path: path.join(ARTIFACTS, `web-${name}.png`), fullPage: true });
  // A full-page capture leaves sticky elements mis-placed until the next scroll: scroll back explicitly.
  await page.evaluate((top) => window.scrollTo(0, top), y);
}

async function ask(page: Page, question: string): Promise<string> {
  const before = await page.locator('#conversation > li.msg.assistant').count();
  await page.getByLabel('Votre question').fill(question);
  await page.getByLabel('Votre question').press('Enter');
  const answer = page.locator('#conversation > li.msg.assistant:not(.pending)').nth(before);
  await answer.waitFor();
  return (await answer.locator('.text').textContent()) ?? '';
}

describe.skipIf(!HAS_CHROMIUM)('web console in headless Chromium', () => {
  let c: RunningConsole;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const outside: string[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    c = await startConsole();
    browser = await launch();
    context = await offlineContext(browser, c.url, outside);
    page = await context.newPage();
    watchErrors(page, errors);
  });
  afterAll(async () => {
    await browser?.close();
    await c?.close();
  });

  it('is usable from the keyboard: the skip link comes first and leads to the content', async () => {
    await page.goto(c.url + '/');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Aller au contenu');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('contenu');
    // Every form control of the page has an accessible name.
    const unnamed = await page.evaluate(() => Array.from(document.querySelectorAll('input, textarea, select, button'))
      .filter((n) => !(n as HTMLElement).closest('[hidden]') && !(n as HTMLElement).closest('dialog'))
      .filter((n) => !(n as HTMLInputElement).labels?.length && !n.getAttribute('aria-label') && !n.getAttribute('aria-labelledby') && !(n.textContent ?? '').trim())
      .map((n) => n.outerHTML));
    expect(unnamed).toEqual([]);
  });

  it('asks a question, shows a cited answer, and opens the citation', async () => {
    await page.goto(c.url + '/');
    const text = await ask(page, 'Qui pilote la pair-aidance ?');
    expect(text).toContain('Inès Caradec');
    const sources = page.locator('#conversation .sources li');
    expect(await sources.count()).toBeGreaterThan(0);
    expect(await sources.first().textContent()).toContain('Développer la pair-aidance');
    await shot(page, 'chat');

    await page.locator('#conversation .cite-ref').first().click();
    const dialog = page.locator('#citation-dialog');
    await dialog.waitFor({ state: 'visible' });
    await dialog.locator('.passage mark').first().waitFor();
    expect(await dialog.locator('#citation-quote').textContent()).toContain('Caradec');
    expect(await dialog.locator('.passage mark').first().textContent()).toContain('Caradec');
    await shot(page, 'citation');

    const [doc] = await Promise.all([context.waitForEvent('page'), dialog.getByRole('link', { name: /Ouvrir le document/ }).click()]);
    await doc.waitForLoadState();
    expect(doc.url()).toMatch(/\/api\/documents\/[0-9a-f]{16}\/raw$/);
    expect(await doc.locator('body').textContent()).toContain('Mme Inès Caradec, directrice du GEM La Boussole');
    await doc.close();

    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  });

  it('warns next to the answer when the question names a patient', async () => {
    await page.goto(c.url + '/');
    await ask(page, 'M. Jean Dupont, hospitalisé pour schizophrénie : qui pilote la pair-aidance ?');
    const answer = page.locator('#conversation > li.msg.assistant:not(.pending)').last();
    expect(await answer.locator('.privacy-warning').textContent()).toMatch(/données personnelles de santé/);
  });

  it('drafts a fiche from a pasted thread, shows where each field came from, and validates it', async () => {
    await page.goto(c.url + '/');
    await page.getByLabel('Fil de discussion', { exact: true }).fill(THREAD_TEXT);
    await page.getByRole('button', { name: 'Générer le brouillon' }).click();
    const editor = page.locator('#draft-editor');
    await editor.waitFor({ state: 'visible' });
    expect(await page.locator('#draft-status').textContent()).toContain('5 messages');

    const objectives = editor.locator('fieldset[data-field="objectives"]');
    expect(await objectives.locator('textarea').first().inputValue()).toContain('urgences des 16-25 ans');
    // The provenance chip shows the source message on keyboard focus.
    const chip = objectives.locator('.chip').first();
    expect(await chip.textContent()).toBe('m3 · Claire Morel');
    await chip.focus();
    const tip = objectives.locator('.tip').first();
    await tip.waitFor({ state: 'visible' });
    expect(await tip.textContent()).toBe('Claire Morel : Objectif : réduire les passages aux urgences des 16-25 ans.');
    expect(await editor.locator('fieldset[data-field="funding"]').getAttribute('class')).toContain('missing');

    await editor.locator('fieldset[data-field="title"] input').fill('Accueil des jeunes en crise');
    await editor.locator('fieldset[data-field="axis"] input').fill('Axe 4 — Crise et urgence');
    await editor.locator('fieldset[data-field="funding"] textarea').fill('Crédits FIR : 40 000 € par an.');
    await editor.getByRole('button', { name: 'Ajouter une échéance' }).click();
    const row = editor.locator('[data-rows="milestones"] > .row').last();
    await row.getByLabel('Échéance (libellé)').fill('Bilan de la première année');
    await row.getByLabel('Quand').fill('fin 2028');
    await chip.focus();
    await shot(page, 'draft');

    const [download] = await Promise.all([page.waitForEvent('download'), editor.getByRole('button', { name: 'Exporter DOCX' }).click()]);
    expect(download.suggestedFilename()).toBe('fiche-action-accueil-des-jeunes-en-crise.docx');
    const saved = await download.path();
    expect(fs.readFileSync(saved).subarray(0, 2).toString('latin1')).toBe('PK');

    await editor.getByRole('button', { name: 'Valider la fiche' }).click();
    await page.locator('#editor-status.ok').waitFor();
    expect(await page.locator('#editor-status').textContent()).toContain('« Accueil des jeunes en crise » est validée');
  });

  it('shows the validated fiche and its milestones on the dashboard timeline, with filters and exports', async () => {
    await page.goto(c.url + '/tableau-de-bord');
    await page.locator('#timeline svg').waitFor();
    const table = page.locator('#milestone-table tbody');
    await table.locator('tr').first().waitFor();
    expect(await table.textContent()).toContain('Bilan de la première année');
    expect(await page.locator('#timeline svg').textContent()).toContain('Accueil des jeunes en crise');
    expect(await page.locator('#timeline svg g.ms[data-status="en retard"]').count()).toBeGreaterThan(0);
    expect(await table.locator('tr.overdue').first().textContent()).toContain('Recrutement de deux médiateurs');
    expect(await page.locator('#summary').textContent()).toMatch(/1\s*en retard/);
    expect(await page.locator('#fiches').textContent()).toContain('Axe 4 — Crise et urgence');
    expect(await page.locator('#unlinked').textContent()).toContain('Mme Inès Caradec');
    await shot(page, 'dashboard');

    await page.getByLabel('Axe', { exact: true }).selectOption('Axe 4 — Crise et urgence');
    const rows = await table.locator('tr').allTextContents();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.includes('Accueil des jeunes en crise'))).toBe(true);
    expect(await page.locator('#export-ics').getAttribute('href')).toBe(`/api/milestones.ics?axe=${encodeURIComponent('Axe 4 — Crise et urgence').replace(/%20/g, '+')}`);
    expect(page.url()).toContain('axe=');
    const [ics] = await Promise.all([page.waitForEvent('download'), page.locator('#export-ics').click()]);
    const calendar = fs.readFileSync(await ics.path(), 'utf8');
    expect(calendar).toContain('DTSTART;VALUE=DATE:20281231');
    expect(calendar).not.toContain('20260630');
    await shot(page, 'dashboard-filtered');

    await page.getByLabel('Axe', { exact: true }).selectOption('*');
    await page.getByLabel('Pilote', { exact: true }).selectOption('M. Hugo Lemaire');
    expect((await table.locator('tr').allTextContents()).every((r) => r.includes('Lemaire'))).toBe(true);
    const [csv] = await Promise.all([page.waitForEvent('download'), page.locator('#export-csv').click()]);
    const lines = fs.readFileSync(await csv.path(), 'utf8').trim().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('Logement accompagné');
  });

  it('uploads a PDF with progress, lists it, and the assistant then answers from it', async () => {
    await page.goto(c.url + '/documents');
    await page.locator('#documents-table tbody tr').first().waitFor();
    const pdf = await makePdf([
      'Fiche action n° 12 — Dispositif Phare-Écoute',
      "Pilote : Mme Zélie Prud'homme, cheffe de service de la Maison des adolescents. Le dispositif Phare-Écoute offre une ligne d'écoute aux lycéens le soir.",
    ]);
    await page.getByLabel('Fichiers à ajouter').setInputFiles({ name: 'phare-ecoute.pdf', mimeType: 'application/pdf', buffer: pdf });
    await page.getByRole('button', { name: 'Ajouter et indexer' }).click();
    await page.locator('#upload-progress .done').waitFor();
    expect(await page.locator('#upload-progress').textContent()).toContain('« phare-ecoute.pdf » est indexé');
    await page.locator('#documents-table tbody tr', { hasText: 'Dispositif Phare-Écoute' }).waitFor();
    expect(await page.locator('#documents-table tbody tr', { hasText: 'Dispositif Phare-Écoute' }).textContent()).toContain('nouveau');

    // A corrupt file is refused with a French message.
    await page.getByLabel('Fichiers à ajouter').setInputFiles({ name: 'casse.pdf', mimeType: 'application/pdf', buffer: Buffer.from('pas un pdf du tout') });
    await page.getByRole('button', { name: 'Ajouter et indexer' }).click();
    await page.locator('#upload-progress .failed').waitFor();
    expect(await page.locator('#upload-progress .failed').textContent()).toContain("n'est pas un PDF valide");
    await shot(page, 'documents');

    await page.goto(c.url + '/');
    await page.getByRole('button', { name: 'Nouvelle conversation' }).click();
    const text = await ask(page, 'Qui pilote le dispositif Phare-Écoute ?');
    expect(text).toContain("Zélie Prud'homme");
    expect(await page.locator('#conversation .sources').last().textContent()).toContain('Dispositif Phare-Écoute');
  });

  it('fits a phone screen without horizontal scrolling', async () => {
    const phone = await context.newPage();
    watchErrors(phone, errors);
    await phone.setViewportSize({ width: 390, height: 844 });
    for (const [p, name] of [['/', 'chat-mobile'], ['/tableau-de-bord', 'dashboard-mobile'], ['/documents', 'documents-mobile']] as const) {
      await phone.goto(c.url + p);
      if (p === '/') await ask(phone, 'Que veut dire CLSM ?');
      if (p === '/tableau-de-bord') await phone.locator('#timeline svg').waitFor();
      if (p === '/documents') await phone.locator('#documents-table tbody tr').first().waitFor();
      expect(await phone.evaluate(() => document.documentElement.scrollWidth), p).toBeLessThanOrEqual(390);
      await shot(phone, name);
    }
    await phone.close();
  });

  it('fetched nothing from outside and raised no script or CSP error', () => {
    expect(outside).toEqual([]);
    expect(errors).toEqual([]);
  });
});

describe.skipIf(!HAS_CHROMIUM)('web console login in headless Chromium', () => {
  let c: RunningConsole;
  let browser: Browser;
  beforeAll(async () => {
    c = await startConsole({ env: { PTSM_WEB_TOKEN: 'jeton-e2e' } });
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await c?.close();
  });

  it('sends an anonymous visitor to the login form, then back to the page asked for', async () => {
    const outside: string[] = [];
    const context = await offlineContext(browser, c.url, outside);
    const page = await context.newPage();
    await page.goto(c.url + '/documents');
    expect(new URL(page.url()).pathname).toBe('/connexion');
    await page.getByLabel("Jeton d'accès").fill('mauvais');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    expect(await page.getByRole('alert').textContent()).toBe("Jeton d'accès incorrect.");
    await shot(page, 'login');
    await page.getByLabel("Jeton d'accès").fill('jeton-e2e');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL(`${c.url}/documents`);
    await page.locator('#documents-table tbody tr').first().waitFor();
    const cookies = await context.cookies();
    expect(cookies.find((k) => k.name === 'ptsm_web')?.httpOnly).toBe(true);
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    expect(new URL(page.url()).pathname).toBe('/connexion');
    expect(outside).toEqual([]);
  });
});
