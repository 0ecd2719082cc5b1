import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePdf } from '../../helpers/files.js';
import { listFiles, startConsole, waitForJob, type RunningConsole } from './support.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Json; res: Response }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await res.clone().text();
  return { status: res.status, body: text.startsWith('{') ? JSON.parse(text) as Json : {}, res };
}

async function getJson(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Json }> {
  const res = await fetch(url, { headers });
  return { status: res.status, body: (await res.json()) as Json };
}

function upload(c: RunningConsole, name: string, content: Buffer | string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${c.url}/api/documents?nom=${name}`, {
    method: 'POST', headers: { 'content-type': 'application/octet-stream', ...headers }, body: new Uint8Array(typeof content === 'string' ? Buffer.from(content) : content),
  });
}

const THREAD_TEXT = [
  "Claire Morel : Bonjour à tous, on lance une action pour l'accueil des jeunes en crise dans le Val d'Orme.",
  "Paul Hamon : Je propose que la MDA pilote, avec moi comme référent.",
  'Claire Morel : Objectif : réduire les passages aux urgences des 16-25 ans.',
  "Paul Hamon : Étapes : recensement des lieux d'accueil d'ici juin 2026, puis ouverture d'un point d'accueil au 1er trimestre 2027.",
  "Claire Morel : Indicateur : nombre de jeunes accueillis par an. Partenaires : EPSM des Deux-Rives, CPTS du Val d'Orme.",
].join('\n');

/** A two-page fiche: the pilot is named on page 2 only. */
export const PHARE_PAGE_1 = [
  'Fiche action n° 12 — Dispositif Phare-Écoute',
  "Constat : les lycéens du territoire attendent en moyenne plusieurs mois un premier rendez-vous en CMP, et les infirmières scolaires signalent une hausse des situations de détresse. Les familles ne savent pas vers qui se tourner le soir et le week-end, et les urgences pédiatriques accueillent des adolescents pour lesquels une écoute précoce aurait suffi.",
  "Objectif général : offrir aux lycéens une écoute rapide, gratuite et anonyme, et les orienter vers la bonne structure (MDA, CMP, médecin traitant, associations). Objectifs opérationnels : ouvrir une ligne d'écoute en soirée, former les écoutants, faire connaître le dispositif dans tous les lycées publics et privés du département.",
].join('\n\n');
export const PHARE_PAGE_2 = "Pilote : Mme Zélie Prud'homme, cheffe de service de la Maison des adolescents. Le dispositif Phare-Écoute est porté par la MDA avec les CMP infanto-juvéniles.";

describe('web console API (no authentication configured, loopback)', () => {
  let c: RunningConsole;
  beforeAll(async () => { c = await startConsole({ web: { maxUploadBytes: 200 * 1024 } }); });
  afterAll(async () => { await c?.close(); });

  it('serves the three pages in French with a strict CSP, and the assets from disk', async () => {
    for (const [p, title] of [['/', 'Questions et fiches'], ['/tableau-de-bord', 'Tableau de bord'], ['/documents', 'Documents']] as const) {
      const res = await fetch(c.url + p);
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain('<html lang="fr">');
      expect(html).toContain(`<title>${title} — Assistant PTSM</title>`);
      expect(html).toContain('aria-current="page"');
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org)/); // nothing fetched from outside
    }
    for (const [asset, type] of [['style.css', 'text/css'], ['chat.js', 'javascript'], ['draft.js', 'javascript'], ['dashboard.js', 'javascript'], ['documents.js', 'javascript'], ['common.js', 'javascript']]) {
      const res = await fetch(`${c.url}/web/assets/${asset}`);
      expect(res.status, asset).toBe(200);
      expect(res.headers.get('content-type')).toContain(type);
    }
    expect((await fetch(`${c.url}/web/assets/../index.ts`)).status).not.toBe(200);
    const encoded = await fetch(`${c.url}/web/assets/%2e%2e/index.ts`);
    expect(encoded.status).not.toBe(200);
    expect(await encoded.text()).not.toMatch(/node_modules|\bat |\/work\//); // no stack trace, no path
    const missing = await fetch(`${c.url}/web/assets/absent.js`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe('Ressource introuvable.');
  });

  it('answers a question with citations that link to the document and its passage', async () => {
    const { status, body } = await post(`${c.url}/api/ask`, { question: 'Qui pilote la pair-aidance ?', history: [] });
    expect(status).toBe(200);
    expect(body['abstained']).toBe(false);
    expect(body['answer']).toContain('Caradec');
    const cite = body['citations'][0] as Json;
    expect(cite['title']).toContain('pair-aidance');
    expect(cite['documentId']).toMatch(/^[0-9a-f]{16}$/);
    expect(cite['url']).toBe(`/api/documents/${cite['documentId']}/raw`);

    const raw = await fetch(c.url + cite['url']);
    expect(raw.status).toBe(200);
    expect(raw.headers.get('content-type')).toContain('text/plain');
    expect(await raw.text()).toContain('Mme Inès Caradec, directrice du GEM La Boussole');

    const passages = await getJson(`${c.url}/api/documents/${cite['documentId']}/passages`);
    expect(passages.status).toBe(200);
    expect((passages.body['passages'] as Json[]).some((p) => String(p['text']).includes('Inès Caradec'))).toBe(true);
  });

  it('keeps the conversation: a follow-up question is read with the history', async () => {
    const first = await post(`${c.url}/api/ask`, { question: 'Qui pilote la fiche sur le logement accompagné ?' });
    expect(first.body['answer']).toContain('Lemaire');
    const follow = await post(`${c.url}/api/ask`, {
      question: 'Et quand ouvrent les places ?',
      history: [{ role: 'user', content: 'Qui pilote la fiche sur le logement accompagné ?' }, { role: 'assistant', content: first.body['answer'] }],
    });
    expect(follow.status).toBe(200);
    expect(follow.body['answer']).toMatch(/printemps 2027/i);
  });

  it('refuses an empty or malformed question with a French message', async () => {
    const empty = await post(`${c.url}/api/ask`, { question: '   ' });
    expect(empty.status).toBe(400);
    expect(empty.body['error']['message']).toMatch(/Question invalide.*vide/);
    const bad = await fetch(`${c.url}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"question": ' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as Json)['error']['message']).toBe("La demande n'est pas un JSON valide.");
  });

  it('drafts a fiche from pasted "Nom : message" text, with the messages each field came from', async () => {
    const { status, body } = await post(`${c.url}/api/draft`, { text: THREAD_TEXT });
    expect(status).toBe(200);
    const draft = body['draft'] as Json;
    expect(body['thread']['messages']).toHaveLength(5);
    expect(draft['fiche']['objectives']['general'][0]).toMatch(/urgences des 16-25 ans/);
    expect(draft['fiche']['milestones'].some((m: Json) => m['dueText'] === '1er trimestre 2027' && m['due'] === '2027-03-31')).toBe(true);
    const ids = new Set((body['thread']['messages'] as Json[]).map((m) => m['id']));
    expect(draft['provenance']['objectives']).toEqual(['m3']);
    for (const list of Object.values(draft['provenance'] as Record<string, string[]>)) for (const id of list) expect(ids.has(id)).toBe(true);
    expect(draft['missing']).toContain('funding');
    expect(body['labels']['fields']['funding']).toBe('Moyens / financement');
  });

  it('drafts from a JSON thread too, and explains in French what is wrong with a bad paste', async () => {
    const thread = { messages: [{ id: 'a1', author: { id: 'u1', name: 'Nadia Roux' }, ts: '1', text: 'Objectif : ouvrir un GEM à Port-Orme pour fin 2027.' }] };
    const ok = await post(`${c.url}/api/draft`, { thread });
    expect(ok.status).toBe(200);
    expect(ok.body['thread']['messages'][0]['id']).toBe('a1');
    const asText = await post(`${c.url}/api/draft`, { text: JSON.stringify(thread) });
    expect(asText.status).toBe(200);

    const prose = await post(`${c.url}/api/draft`, { text: 'juste une phrase sans auteur' });
    expect(prose.status).toBe(400);
    expect(prose.body['error']['message']).toMatch(/^Le texte collé n'est ni un JSON/);
    const brokenJson = await post(`${c.url}/api/draft`, { text: '{"messages": [' });
    expect(brokenJson.status).toBe(400);
    expect(brokenJson.body['error']['message']).toMatch(/commence comme du JSON/);
    const none = await post(`${c.url}/api/draft`, {});
    expect(none.status).toBe(400);
  });

  it('validates an edited draft: stored as validée, its milestones (re-read from the typed text) are followed', async () => {
    const { body } = await post(`${c.url}/api/draft`, { text: THREAD_TEXT });
    const fiche = body['draft']['fiche'] as Json;
    fiche['title'] = 'Accueil des jeunes en crise';
    fiche['axis'] = 'Axe 4 — Crise et urgence';
    fiche['milestones'] = [...fiche['milestones'], { label: 'Bilan de la première année', dueText: 'fin 2028', due: null, start: null, precision: 'unresolved' }];
    const saved = await post(`${c.url}/api/fiches`, { fiche });
    expect(saved.status).toBe(201);
    expect(saved.body['fiche']['status']).toBe('validée');
    expect(saved.body['message']).toContain('Accueil des jeunes en crise');

    // The validated draft becomes the PTSM's next numbered fiche.
    const storedId = saved.body['fiche']['id'] as string;
    expect(storedId).toMatch(/^fa-\d+$/);
    const list = await getJson(`${c.url}/api/fiches`);
    expect((list.body['fiches'] as Json[]).find((f) => f['id'] === storedId)?.['status']).toBe('validée');

    const ms = await getJson(`${c.url}/api/milestones`);
    const mine = (ms.body['milestones'] as Json[]).filter((m) => m['ficheId'] === storedId);
    expect(mine.map((m) => m['label'])).toContain('Bilan de la première année');
    expect(mine.find((m) => m['label'] === 'Bilan de la première année')?.['due']).toBe('2028-12-31');
    expect(mine.every((m) => m['axis'] === 'Axe 4 — Crise et urgence')).toBe(true);
    expect(ms.body['axes']).toContain('Axe 4 — Crise et urgence');

    const invalid = await post(`${c.url}/api/fiches`, { fiche: { ...fiche, milestones: 'demain' } });
    expect(invalid.status).toBe(400);
    expect(invalid.body['error']['message']).toMatch(/Fiche invalide \(champ « milestones »\)/);
  });

  it('lists milestones with derived status, unreachable pilots, and filters', async () => {
    const { status, body } = await getJson(`${c.url}/api/milestones`);
    expect(status).toBe(200);
    expect(body['available']).toBe(true);
    expect(body['today']).toBe('2026-10-01');
    const recruit = (body['milestones'] as Json[]).find((m) => m['ficheId'] === 'fa-4' && /Recrutement/.test(m['label']));
    expect(recruit?.['status']).toBe('en retard');
    expect(recruit?.['axis']).toBe('Axe 2 — Parcours sans rupture');
    // No directory (annuaire.json) in this corpus: every pilot is unreachable, and shown as such.
    expect(recruit?.['unlinked']).toEqual([{ pilot: 'Mme Inès Caradec', reason: 'inconnu' }]);
    expect((body['unlinkedPilots'] as Json[]).map((u) => u['pilot'])).toContain('Mme Inès Caradec');

    const byPilot = await getJson(`${c.url}/api/milestones?pilote=${encodeURIComponent('m. hugo lemaire')}`);
    expect((byPilot.body['milestones'] as Json[]).map((m) => m['ficheId'])).toEqual(['fa-7']);
    const late = await getJson(`${c.url}/api/milestones?statut=${encodeURIComponent('en retard')}`);
    expect((late.body['milestones'] as Json[]).every((m) => m['status'] === 'en retard')).toBe(true);
    expect((late.body['milestones'] as Json[]).length).toBeGreaterThan(0);
  });

  it('exports milestones as ICS and CSV, honouring the filters', async () => {
    const all = (await getJson(`${c.url}/api/milestones`)).body['milestones'] as Json[];
    const ics = await fetch(`${c.url}/api/milestones.ics`);
    expect(ics.status).toBe(200);
    expect(ics.headers.get('content-type')).toContain('text/calendar');
    expect(ics.headers.get('content-disposition')).toContain('echeances-ptsm.ics');
    const text = await ics.text();
    expect(text.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(text.match(/BEGIN:VEVENT/g)?.length).toBe(all.filter((m) => m['due'] && m['status'] !== 'abandonné').length);
    expect(text).toContain('DTSTART;VALUE=DATE:20260630');

    const axis2 = await (await fetch(`${c.url}/api/milestones.ics?axe=${encodeURIComponent('Axe 2 — Parcours sans rupture')}`)).text();
    expect(axis2.match(/BEGIN:VEVENT/g)?.length).toBe(all.filter((m) => m['axis'] === 'Axe 2 — Parcours sans rupture' && m['due']).length);
    expect(axis2).not.toContain('20270620'); // the housing fiche has no axis

    const csvRes = await fetch(`${c.url}/api/milestones.csv`);
    expect(csvRes.headers.get('content-type')).toContain('text/csv');
    const csv = Buffer.from(await csvRes.arrayBuffer()).toString('utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const lines = csv.slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe('Fiche n°;Fiche;Axe;Échéance;Échéance écrite;Date;Début;Statut;Pilote(s);Pilotes non joignables;Remarque');
    expect(lines).toHaveLength(all.length + 1);
    expect(lines.find((l) => l.includes('Recrutement de deux médiateurs'))).toContain(';30/06/2026;01/04/2026;en retard;');
    const noAxis = (await (await fetch(`${c.url}/api/milestones.csv?axe=`)).text()).trimEnd().split('\r\n');
    expect(noAxis.slice(1).every((l) => l.startsWith('7;'))).toBe(true);
  });

  it('exports a draft and a stored fiche as DOCX', async () => {
    const { body } = await post(`${c.url}/api/draft`, { text: THREAD_TEXT });
    const res = await fetch(`${c.url}/api/fiches/export`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ fiche: body['draft']['fiche'] }) });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('wordprocessingml');
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="fiche-action-.+\.docx"/);
    expect(Buffer.from(await res.arrayBuffer()).subarray(0, 2).toString('latin1')).toBe('PK');
    const stored = await fetch(`${c.url}/api/fiches/fa-4/docx`);
    expect(stored.status).toBe(200);
    expect(Buffer.from(await stored.arrayBuffer()).subarray(0, 2).toString('latin1')).toBe('PK');
    const missing = await fetch(`${c.url}/api/fiches/fa-999/docx`);
    expect(missing.status).toBe(404);
  });

  it('lists indexed documents with kind, date, chunks and last indexing errors', async () => {
    const { status, body } = await getJson(`${c.url}/api/documents`);
    expect(status).toBe(200);
    const docs = body['documents'] as Json[];
    // Fiches validated by earlier tests are documents too (fiches-validees/fa-N.md).
    expect(docs.map((d) => d['fileName']).filter((n) => !/^fa-\d+\.md$/.test(String(n))).sort()).toEqual(['cr-copil-2026-03-10.md', 'fa04-pair-aidance.md', 'fa07-logement.md', 'glossaire.md']);
    const cr = docs.find((d) => d['fileName'] === 'cr-copil-2026-03-10.md')!;
    expect(cr['kind']).toBe('compte-rendu');
    expect(cr['date']).toBe('2026-03-10');
    expect(cr['chunkCount']).toBeGreaterThan(0);
    expect(cr['uploaded']).toBe(false);
    expect(body['errors']).toEqual([]);
    expect(JSON.stringify(body)).not.toContain(c.root); // no server paths leak
  });

  it('uploads a PDF, indexes it, and the assistant then answers from it', async () => {
    const before = (await getJson(`${c.url}/api/documents`)).body['documents'].length as number;
    const pdf = await makePdf([PHARE_PAGE_1, PHARE_PAGE_2]);
    const res = await upload(c, 'phare-ecoute.pdf', pdf);
    expect(res.status).toBe(202);
    const { job } = (await res.json()) as Json;
    expect(res.headers.get('location')).toBe(`/api/jobs/${job['id']}`);
    const done = await waitForJob(c.url, job['id']);
    expect(done.state).toBe('done');
    expect(done.message).toMatch(/est indexé/);

    const docs = (await getJson(`${c.url}/api/documents`)).body['documents'] as Json[];
    expect(docs).toHaveLength(before + 1);
    const doc = docs.find((d) => d['fileName'] === 'phare-ecoute.pdf')!;
    expect(doc['uploaded']).toBe(true);
    expect(doc['pageCount']).toBe(2);
    expect(fs.existsSync(path.join(c.dataDir, 'uploads', 'phare-ecoute.pdf'))).toBe(true);

    const answer = await post(`${c.url}/api/ask`, { question: 'Qui pilote le dispositif Phare-Écoute ?' });
    expect(answer.body['answer']).toContain('Prud');
    const cite = (answer.body['citations'] as Json[]).find((x) => x['documentId'] === doc['id']);
    expect(cite?.['page']).toBeGreaterThanOrEqual(1);
    expect(cite?.['url']).toBe(`/api/documents/${doc['id']}/raw#page=${cite?.['page']}`);
    const page2 = await getJson(`${c.url}/api/documents/${doc['id']}/passages?page=2`);
    expect((page2.body['passages'] as Json[]).map((p) => p['page'])).toEqual([2]);
    expect(page2.body['passages'][0]['text']).toContain("Mme Zélie Prud'homme");
    const raw = await fetch(`${c.url}/api/documents/${doc['id']}/raw`);
    expect(raw.headers.get('content-type')).toBe('application/pdf');
    expect(raw.headers.get('content-disposition')).toMatch(/^inline;/);
    expect(Buffer.from(await raw.arrayBuffer()).subarray(0, 4).toString('latin1')).toBe('%PDF');
  });

  it('refuses a corrupt file with a clear French message and indexes nothing', async () => {
    const before = listFiles(c.root);
    const docsBefore = (await getJson(`${c.url}/api/documents`)).body['documents'].length as number;

    const garbage = await upload(c, 'bilan.pdf', Buffer.from('\u0000\u0001\u0002 ceci nest pas un pdf'.repeat(20)));
    expect(garbage.status).toBe(415);
    expect(((await garbage.json()) as Json)['error']['message']).toBe("Le fichier « bilan.pdf » n'est pas un PDF valide (en-tête %PDF absent). Vérifiez qu'il s'ouvre bien, puis réessayez.");

    const fakeDocx = await upload(c, 'compte-rendu.docx', 'Ceci est du texte renommé en .docx');
    expect(fakeDocx.status).toBe(415);
    expect(((await fakeDocx.json()) as Json)['error']['message']).toMatch(/n'est pas un document Word \.docx valide/);

    const binaryText = await upload(c, 'notes.txt', Buffer.from([0x00, 0x01, 0x02, 0x03, 0x00, 0x00, 0x10, 0x00]));
    expect(binaryText.status).toBe(415);

    // Passes the header check but is no readable PDF: the indexer refuses it, the file is removed.
    const broken = await upload(c, 'rapport-casse.pdf', '%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage without xref');
    expect(broken.status).toBe(202);
    const job = await waitForJob(c.url, ((await broken.json()) as Json)['job']['id']);
    expect(job.state).toBe('failed');
    expect(job.message).toMatch(/^« rapport-casse\.pdf » n'a pas pu être indexé : .+\. Le fichier n'a pas été conservé\.$/);
    expect(job.message).not.toContain(c.root);

    expect((await getJson(`${c.url}/api/documents`)).body['documents']).toHaveLength(docsBefore);
    const after = listFiles(c.root).filter((f) => !f.startsWith('data/kb/') && !f.startsWith('data/ptsm.sqlite'));
    expect(after).toEqual(before.filter((f) => !f.startsWith('data/kb/') && !f.startsWith('data/ptsm.sqlite')));
  });

  it('refuses an oversized file with 413 and a French message, declared or streamed', async () => {
    const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(300 * 1024, 0x41)]);
    const declared = await upload(c, 'gros.pdf', big);
    expect(declared.status).toBe(413);
    expect(((await declared.json()) as Json)['error']['message']).toBe(
      "Le fichier « gros.pdf » dépasse la taille maximale autorisée (200 Ko). Réduisez-le (export PDF allégé, découpage) ou demandez à l'administrateur de relever la limite.");

    // Chunked, without Content-Length: the limit is enforced while streaming.
    const stream = new ReadableStream<Uint8Array>({
      start(ctl) { for (let i = 0; i < 10; i++) ctl.enqueue(new Uint8Array(big.subarray(i * 30 * 1024, (i + 1) * 30 * 1024 + 9))); ctl.close(); },
    });
    const streamed = await fetch(`${c.url}/api/documents?nom=gros-flux.pdf`, {
      method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: stream, duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(fs.readdirSync(path.join(c.dataDir, 'uploads')).filter((f) => f.startsWith('gros'))).toEqual([]);
    expect(fs.readdirSync(path.join(c.dataDir, 'uploads')).filter((f) => f.startsWith('.incoming'))).toEqual([]);
  });

  it('never writes outside the uploads folder, whatever the file name', async () => {
    const before = listFiles(c.root);
    const pdf = await makePdf(['Note de cadrage du groupe de travail périnatalité.']);
    const names: Array<[string, string]> = [
      [encodeURIComponent('../../etc/passwd.pdf'), 'passwd.pdf'],
      ['..%2F..%2Fx.md', 'x.md'], // decoded once by the query string
      [encodeURIComponent('..%2F..%2Fy.md'), 'y.md'], // double-encoded
      [encodeURIComponent('/etc/absolu.md'), 'absolu.md'],
      [encodeURIComponent('..\\..\\windows.md'), 'windows.md'],
      [encodeURIComponent('nul\u0000.md'), 'nul.md'],
      [encodeURIComponent('%2e%2e%2f%2e%2e%2fencoded.md'), 'encoded.md'],
    ];
    for (const [name, stored] of names) {
      const content = stored.endsWith('.pdf') ? pdf : `# Note ${stored}\n\nUn compte rendu de la réunion du groupe de travail.`;
      const res = await upload(c, name, content);
      expect(res.status, name).toBe(202);
      const { job } = (await res.json()) as Json;
      expect(job['name']).toBe(stored);
      expect((await waitForJob(c.url, job['id'])).state).toBe('done');
    }
    const created = listFiles(c.root).filter((f) => !before.includes(f));
    expect(created.filter((f) => !f.startsWith('data/uploads/') && !f.startsWith('data/kb/') && !f.startsWith('data/ptsm.sqlite'))).toEqual([]);
    for (const [, stored] of names) expect(created).toContain(`data/uploads/${stored}`);
    expect(fs.existsSync(path.join(c.root, '..', 'x.md'))).toBe(false);
    expect(fs.existsSync(path.join(c.root, 'etc'))).toBe(false);

    const refused = await upload(c, 'programme.exe', 'MZ');
    expect(refused.status).toBe(415);
    expect(((await refused.json()) as Json)['error']['message']).toMatch(/^Format non pris en charge \(\.exe\)/);
    const multipart = await fetch(`${c.url}/api/documents?nom=a.md`, { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=x' }, body: '--x--' });
    expect(multipart.status).toBe(415);
  });

  it('serves documents only by index id: traversal attempts on links get 404', async () => {
    for (const id of ['..%2F..%2Fetc%2Fpasswd', '%2e%2e', '..', 'ZZZZ', '0123456789abcdef', '%00', `${'a'.repeat(16)}%00`]) {
      for (const route of ['raw', 'passages']) {
        const res = await fetch(`${c.url}/api/documents/${id}/${route}`);
        expect([400, 404], `${id}/${route}`).toContain(res.status);
        const body = await res.text();
        expect(body).not.toContain('root:');
      }
    }
    expect((await fetch(`${c.url}/api/documents/..%2F..%2F..%2F..%2Fetc%2Fpasswd/raw`)).status).toBe(404);
  });
});

describe('web console access with a token', () => {
  let c: RunningConsole;
  beforeAll(async () => { c = await startConsole({ env: { PTSM_WEB_TOKEN: 'jeton-secret-de-test' } }); });
  afterAll(async () => { await c?.close(); });

  it('answers 401 in French without the token, 200 with the Bearer token', async () => {
    const anon = await fetch(`${c.url}/api/documents`);
    expect(anon.status).toBe(401);
    expect(anon.headers.get('www-authenticate')).toContain('Bearer');
    expect(((await anon.json()) as Json)['error']['message']).toMatch(/^Authentification requise/);
    expect((await fetch(`${c.url}/api/documents`, { headers: { authorization: 'Bearer mauvais-jeton' } })).status).toBe(401);
    const ok = await fetch(`${c.url}/api/documents`, { headers: { authorization: 'Bearer jeton-secret-de-test' } });
    expect(ok.status).toBe(200);
    const ask = await post(`${c.url}/api/ask`, { question: 'Que veut dire CLSM ?' }, { authorization: 'Bearer jeton-secret-de-test' });
    expect(ask.status).toBe(200);
    expect(ask.body['answer']).toMatch(/conseil local de santé mentale/i);
  });

  it('sends pages to the login form, which sets an HttpOnly cookie', async () => {
    const page = await fetch(`${c.url}/tableau-de-bord`, { redirect: 'manual' });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/connexion?suite=%2Ftableau-de-bord');
    const form = await fetch(`${c.url}/connexion?suite=%2Ftableau-de-bord`);
    expect(await form.text()).toContain('<label for="jeton">Jeton d\'accès</label>');

    const wrong = await fetch(`${c.url}/connexion`, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ jeton: 'non', suite: '/tableau-de-bord' }) });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('Jeton d&#39;accès incorrect.');
    expect(wrong.headers.get('set-cookie')).toBeNull();

    const login = await fetch(`${c.url}/connexion`, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ jeton: 'jeton-secret-de-test', suite: '//ailleurs.example/piege' }) });
    expect(login.status).toBe(303);
    expect(login.headers.get('location')).toBe('/'); // no open redirect
    const cookie = login.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toContain('jeton-secret-de-test');
    const session = cookie.split(';')[0]!;
    expect((await fetch(`${c.url}/tableau-de-bord`, { headers: { cookie: session }, redirect: 'manual' })).status).toBe(200);
    expect((await fetch(`${c.url}/api/milestones`, { headers: { cookie: session } })).status).toBe(200);
    expect((await fetch(`${c.url}/api/milestones`, { headers: { cookie: 'ptsm_web=forge' } })).status).toBe(401);
  });
});

describe('web console behind a reverse proxy (authentication header)', () => {
  let c: RunningConsole;
  beforeAll(async () => { c = await startConsole({ env: { PTSM_WEB_AUTH_HEADER: 'X-Forwarded-User' } }); });
  afterAll(async () => { await c?.close(); });

  it('refuses requests without the header and uses its value as the user', async () => {
    const anon = await fetch(`${c.url}/api/fiches`);
    expect(anon.status).toBe(401);
    expect(((await anon.json()) as Json)['error']['message']).toContain('X-Forwarded-User');
    const page = await fetch(`${c.url}/`, { redirect: 'manual' });
    expect(page.status).toBe(401);
    expect(await page.text()).toContain('portail de connexion');

    const headers = { 'X-Forwarded-User': 'coordination@ptsm-exemple.fr' };
    expect((await fetch(`${c.url}/api/fiches`, { headers })).status).toBe(200);
    const home = await fetch(`${c.url}/`, { headers });
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('Connecté·e : coordination@ptsm-exemple.fr');

    const { body } = await post(`${c.url}/api/draft`, { text: THREAD_TEXT }, headers);
    const saved = await post(`${c.url}/api/fiches`, { fiche: body['draft']['fiche'] }, headers);
    expect(saved.status).toBe(201);
    expect(saved.body['fiche']['extra']['Validée par']).toBe('coordination@ptsm-exemple.fr');
  });
});
