import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/core/logger.js';
import { MASK, MASKED_NOTICE, detectPatientData } from '../../src/privacy/index.js';
import { LocalHashingEmbedder } from '../../src/search/embedders/local-hashing.js';
import { serve } from '../../src/server/serve.js';
import { startFakeOpenAi, type ChatReply, type ChatRequest } from '../helpers/fake-openai.js';
import { tempDir, write } from '../helpers/files.js';
import { MINI_PTSM } from '../helpers/kb.js';

/**
 * Every path that sends text to an external model — indexing (embeddings),
 * the question and its history (condensation, answer), the excerpts, and a
 * draft thread — against one local fake of an OpenAI-compatible server that
 * records every request. With the default setting, nothing it receives may be
 * flagged by the detector; with PTSM_LLM_ALLOW_PERSONAL_DATA=true the same
 * run does send the names (so this test can fail).
 */
const PATIENT_DOC = [
  '# Situations complexes étudiées par le CLSM', '',
  'Le CLSM a étudié deux situations pour la pair-aidance au GEM La Boussole.',
  'Mme Sophie Durand, 45 ans, bipolaire, hospitalisée en HDT, attend un accompagnement par un médiateur de santé pair.',
  'M. Jean Dupont, hospitalisé pour schizophrénie, a été orienté vers la pair-aidance.',
].join('\n');
const QUESTION = 'Mme Sophie Durand, 45 ans, bipolaire, hospitalisée en HDT : qui pilote la fiche pair-aidance ?';
const HISTORY = [
  { role: 'user', content: 'M. Jean Dupont, hospitalisé pour schizophrénie, peut-il aller au GEM ?' },
  { role: 'assistant', content: 'Le GEM La Boussole accueille les adhérents sans condition.' },
];
const THREAD = {
  channel: 'gt-pair-aidance',
  messages: [
    { id: 'm1', author: { id: 'U1', name: 'Inès Caradec' }, ts: '1', text: 'Je propose une fiche sur la pair-aidance en CMP.' },
    { id: 'm2', author: { id: 'U2', name: 'Paul Morel' }, ts: '2', text: 'Exemple : M. Karim Benali, 23 ans, hospitalisé en SDRE, en aurait eu besoin. Objectif : recruter deux médiateurs.' },
    { id: 'm3', author: { id: 'U1', name: 'Inès Caradec' }, ts: '3', text: 'Je pilote. Recrutement au T2 2026.' },
  ],
};
const NAMES = ['Durand', 'Dupont', 'Benali'];

const DRAFT = {
  title: 'Pair-aidance en CMP', axis: null, context: null,
  objectives: { general: ['Recruter deux médiateurs de santé pairs'], operational: [] }, steps: [], targetPublic: [],
  pilots: [{ name: 'Inès Caradec', organisation: null }], partners: [], milestones: [{ label: 'Recrutement', dueText: 'T2 2026' }],
  indicators: [], funding: null,
  provenance: [{ field: 'objectives', messageIds: ['m2'] }, { field: 'pilots', messageIds: ['m3'] }, { field: 'milestones', messageIds: ['m3'] }],
};

function reply(req: ChatRequest): ChatReply {
  if (req.tools?.length) return { toolCall: { name: 'fiche_action', arguments: DRAFT } };
  const last = req.messages[req.messages.length - 1]!.content;
  if (!last.includes('<extraits>')) return { content: 'Qui pilote la fiche pair-aidance ?' };
  return { content: 'La fiche pair-aidance est pilotée par Mme Inès Caradec [1].' };
}

type Server = Awaited<ReturnType<typeof startFakeOpenAi>>;
interface Run { sent: string[]; server: Server; indexJson: { files: Array<{ source: string; patientData?: number }> }; indexText: string; answer: { answer: string; privacyWarning?: string; citations: Array<{ quote: string }> }; draft: unknown }

async function runEverything(env: Record<string, string>): Promise<Run> {
  const local = new LocalHashingEmbedder();
  const server = await startFakeOpenAi(reply, (input) => input.map((t) => local.embedSync(t)));
  const tmp = tempDir();
  try {
    for (const [rel, content] of Object.entries({ ...MINI_PTSM, 'docs/notes/situations.md': PATIENT_DOC })) write(tmp.dir, rel, content);
    const fullEnv = { PTSM_EMBEDDER: 'openai', PTSM_EMBEDDINGS_URL: server.url, PTSM_LLM_URL: server.url, PTSM_LLM_MODEL: 'fake', PTSM_DATA_DIR: path.join(tmp.dir, 'data'), ...env };
    let out = '';
    const cli = async (args: string[]): Promise<string> => {
      out = '';
      const code = await main(args, { cwd: tmp.dir, env: fullEnv, stdout: (s) => { out += s; }, stderr: () => {}, interactive: false });
      expect(code).toBe(0);
      return out;
    };
    const indexJson = JSON.parse(await cli(['index', 'docs', '--json'])) as Run['indexJson'];
    const indexText = await cli(['index', 'docs']);

    const running = await serve({ config: loadConfig({ ...fullEnv, PORT: '0' }), logger: silentLogger, tickMs: 0 });
    try {
      const post = async (route: string, body: unknown): Promise<unknown> => {
        const res = await fetch(`${running.url}${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        expect(res.status).toBe(200);
        return res.json();
      };
      const answer = await post('/api/ask', { question: QUESTION, history: HISTORY }) as Run['answer'];
      const draft = await post('/api/draft', { thread: THREAD });
      const sent = [...server.requests.flatMap((r) => r.messages.map((m) => m.content)), ...server.embeddings.flat()];
      return { sent, server, indexJson, indexText, answer, draft };
    } finally {
      await running.close();
    }
  } finally {
    await server.close();
    tmp.cleanup();
  }
}

let guarded: Run;
let allowed: Run;
beforeAll(async () => {
  guarded = await runEverything({});
  allowed = await runEverything({ PTSM_LLM_ALLOW_PERSONAL_DATA: 'true' });
}, 60_000);
afterAll(() => {});

describe('patient data never leaves for the LLM (default setting)', () => {
  it('went through every path: embeddings at indexing and per question, condensation, answer with excerpts, drafting', () => {
    const chats = guarded.server.requests;
    expect(guarded.server.embeddings.length).toBeGreaterThanOrEqual(2);
    expect(chats.some((r) => r.tools?.length)).toBe(true);
    expect(chats.some((r) => r.messages.at(-1)!.content.includes('<extraits>'))).toBe(true);
    expect(chats.some((r) => !r.tools?.length && !r.messages.at(-1)!.content.includes('<extraits>'))).toBe(true);
  });

  it('sends no sentence the detector flags, and none of the names', () => {
    for (const text of guarded.sent) {
      expect(detectPatientData(text), text).toEqual([]);
      for (const name of NAMES) expect(text, text).not.toContain(name);
    }
  });

  it('masks rather than drops: the patient document, the question, the history and the thread arrive masked', () => {
    const chats = guarded.server.requests;
    const answerReq = chats.find((r) => r.messages.at(-1)!.content.includes('<extraits>'))!;
    expect(answerReq.messages.at(-1)!.content).toContain('qui pilote la fiche pair-aidance ?');
    expect(answerReq.messages.at(-1)!.content).toContain(MASK);
    expect(answerReq.messages.some((m) => m.role === 'user' && m.content.includes(MASK) && !m.content.includes('<extraits>'))).toBe(true);
    const draftReq = chats.find((r) => r.tools?.length)!;
    expect(draftReq.messages.at(-1)!.content).toContain(`[m2] Paul Morel : Exemple : ${MASK}, ${MASK}, hospitalisé en SDRE`);
    expect(guarded.server.embeddings.flat().some((t) => t.includes(MASK))).toBe(true);
  });

  it('tells the user: the answer says content was masked, and the console warns about the question', () => {
    expect(guarded.answer.answer).toContain('Inès Caradec');
    expect(guarded.answer.answer).toContain(MASKED_NOTICE);
    expect(guarded.answer.privacyWarning).toMatch(/données personnelles de santé/);
  });

  it('names the document holding patient data, with a count, in ptsm index (text and --json)', () => {
    const files = guarded.indexJson.files;
    expect(files.find((f) => f.source === 'docs/notes/situations.md')?.patientData).toBe(2);
    expect(files.filter((f) => f.patientData)).toHaveLength(1);
    expect(guarded.indexText).toMatch(/1 document semble contenir des données de patients/);
    expect(guarded.indexText).toContain('⚠ docs/notes/situations.md : 2 passages');
  });

  it('sends them as they are when the operator allows it (PTSM_LLM_ALLOW_PERSONAL_DATA=true)', () => {
    const all = allowed.sent.join('\n');
    for (const name of NAMES) expect(all).toContain(name);
    // Answers still never quote it back.
    expect(allowed.answer.answer).not.toContain('Durand');
    for (const c of allowed.answer.citations) expect(c.quote).not.toContain('Durand');
  });
});
