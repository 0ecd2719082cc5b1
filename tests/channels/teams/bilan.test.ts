import mammoth from 'mammoth';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { INES, fileConsent, message, personalConversationId } from './activities.js';
import { startHarness, type Harness } from './harness.js';

describe('Teams « bilan 2026 »: the yearly review as a file in the 1:1 chat', () => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness(); });
  afterAll(async () => { await h.close(); });
  beforeEach(() => { h.connector.reset(); });

  it('offers the DOCX through the consent card, then uploads the report once accepted', async () => {
    const res = await h.post(message(h.connector.url, INES, 'bilan 2026'));
    expect(res.status).toBe(200);
    const consent = h.connector.sent().find((s) => (s.activity.attachments as Array<{ contentType: string }> | undefined)?.[0]?.contentType === 'application/vnd.microsoft.teams.card.file.consent')!;
    expect(consent.conversationId).toBe(personalConversationId(INES));
    const attachment = (consent.activity.attachments as Array<{ name: string; content: { sizeInBytes: number; acceptContext: unknown } }>)[0]!;
    expect(attachment.name).toBe('bilan-ptsm-2026.docx');
    expect(h.connector.sent().some((s) => /Bilan annuel 2026/.test(String(s.activity.text ?? '')))).toBe(true);

    h.connector.reset();
    const acc = await h.post(fileConsent(h.connector.url, INES, consent.responseId!, 'accept', attachment.content.acceptContext, `${h.connector.url}upload/bilan-1`));
    expect(acc.status).toBe(200);
    const upload = h.connector.uploads[0]!;
    expect(upload.bytes.length).toBe(attachment.content.sizeInBytes);
    const text = (await mammoth.extractRawText({ buffer: upload.bytes })).value;
    expect(text).toMatch(/Bilan annuel 2026/i);
    expect(text).toContain('pair-aidance');
  });

  it('reads the format and the year from the message', async () => {
    await h.post(message(h.connector.url, INES, 'bilan 2025 xlsx'));
    const consent = h.connector.sent().find((s) => (s.activity.attachments as Array<{ contentType: string }> | undefined)?.[0]?.contentType === 'application/vnd.microsoft.teams.card.file.consent')!;
    expect((consent.activity.attachments as Array<{ name: string }>)[0]!.name).toBe('bilan-ptsm-2025.xlsx');
  });
});
