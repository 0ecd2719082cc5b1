import mammoth from 'mammoth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCommand } from '../../../src/channels/slack/commands.js';
import { startHarness, type Harness } from './harness.js';
import { sendCommand } from './slack-requests.js';

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => { await h.close(); });

describe('/ptsm bilan', () => {
  it('parses the year and the format', () => {
    expect(parseCommand('bilan 2026')).toEqual({ kind: 'bilan', year: 2026, format: 'docx' });
    expect(parseCommand('bilan 2025 xlsx')).toEqual({ kind: 'bilan', year: 2025, format: 'xlsx' });
    expect(parseCommand('bilan')).toEqual({ kind: 'bilan', year: null, format: 'docx' });
  });

  it('uploads the DOCX review into the direct conversation of the person who asked', async () => {
    const id = 'bilan-1';
    const res = await sendCommand(h.url, { text: 'bilan 2026', user_id: 'U01MARIE', channel_id: 'C01GTLOG', response_url: h.fake.responseUrl(id) });
    expect(JSON.parse(res.text)).toMatchObject({ response_type: 'ephemeral', text: 'Je prépare le bilan…' });
    const complete = await h.fake.waitFor((c) => c.method === 'files.completeUploadExternal' && c.body['channel_id'] === 'D01MARIE');
    const files = complete.body['files'] as Array<{ id: string; title: string }>;
    expect(files[0]!.title).toBe('Bilan annuel 2026');
    const url = h.fake.callsTo('files.getUploadURLExternal').find((c) => c.body['filename'] === 'bilan-ptsm-2026.docx');
    expect(url).toBeDefined();
    const upload = h.fake.callsTo('upload').find((c) => String(c.body['path']).endsWith(files[0]!.id))!;
    const start = upload.raw!.indexOf(Buffer.from('PK\u0003\u0004', 'latin1'));
    expect(start).toBeGreaterThanOrEqual(0);
    // The multipart body ends with its boundary line: mammoth reads the zip up to its central directory anyway.
    const { value } = await mammoth.extractRawText({ buffer: upload.raw!.subarray(start) });
    expect(value).toContain('Bilan annuel 2026');
    expect(value).toContain('Développer la pair-aidance');
    await h.fake.waitFor((c) => c.method === 'response_url' && String(c.body['path']).endsWith(id));
    const reply = h.fake.calls.filter((c) => c.method === 'response_url' && String(c.body['path']).endsWith(id)).map((c) => JSON.stringify(c.body)).join(' ');
    expect(reply).toContain('vous a été envoyé en message direct');
  });
});
