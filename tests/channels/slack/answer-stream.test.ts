import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AnswerStream, type FinalAnswer } from '../../../src/channels/slack/stream.js';
import { createLogger } from '../../../src/core/logger.js';
import { FakeSlackApi, TEAM_ID } from './fake-slack-api.js';
import { nextTs } from './slack-requests.js';

/**
 * The native stream of one answer, against the fake Web API over real HTTP:
 * start, appends at most once per interval, stop with the citations; and
 * every way it can fail ending with the whole answer in the thread.
 */
let fake: FakeSlackApi;
let client: webApi.WebClient;
let logs: string[];
const logger = createLogger('debug', (l) => logs.push(l));
const INTERVAL = 120;

beforeAll(async () => {
  fake = await FakeSlackApi.start();
  client = new webApi.WebClient('xoxb-test', { slackApiUrl: fake.url, retryConfig: { retries: 0 } });
});
afterAll(async () => { await fake.close(); });
beforeEach(() => {
  logs = [];
  for (const m of ['chat.startStream', 'chat.appendStream', 'chat.stopStream', 'chat.postMessage', 'chat.update']) fake.refuse(m, null);
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const citations = [{ type: 'context', elements: [{ type: 'mrkdwn', text: '*[1] Compte rendu du COPIL*' }] }];
const finalOf = (markdown: string): FinalAnswer => ({ markdown, tail: citations, whole: { text: markdown, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: markdown } }, ...citations] } });

function newStream(channel = 'C01GTLOG') {
  const threadTs = nextTs();
  const stream = new AnswerStream(client, { channel, threadTs, userId: 'U01MARIE', teamId: TEAM_ID }, logger, INTERVAL);
  return { stream, threadTs };
}

/** Feeds the partial texts of `words`, one every `everyMs`. */
async function write(stream: AnswerStream, words: string[], everyMs: number): Promise<void> {
  let acc = '';
  for (const w of words) { acc += w; stream.push(acc); await sleep(everyMs); }
}

describe('AnswerStream', () => {
  it('starts on the first text, appends what is new at most once per interval, and stops with the citations', async () => {
    const { stream, threadTs } = newStream();
    const words = 'Le COPIL du 10 mars 2026 a porté le budget de la fiche logement à 80 000 € [1].'.split(/(?<= )/);
    await write(stream, words, 30);
    const full = words.join('');
    const ts = await stream.finish(finalOf(full));
    const start = fake.callsTo('chat.startStream').find((c) => c.body['thread_ts'] === threadTs)!;
    expect(start.body).toMatchObject({ channel: 'C01GTLOG', recipient_user_id: 'U01MARIE', recipient_team_id: TEAM_ID, markdown_text: 'Le ' });
    expect(ts).toBe(start.response!['ts']);
    const appends = fake.callsTo('chat.appendStream').filter((c) => c.body['ts'] === ts);
    expect(appends.length).toBeGreaterThanOrEqual(1);
    const writes = [start, ...appends];
    for (let i = 1; i < writes.length; i++) expect(writes[i]!.at - writes[i - 1]!.at).toBeGreaterThanOrEqual(INTERVAL - 20);
    // Fewer calls than words: the throttle batched them.
    expect(writes.length).toBeLessThan(words.length);
    const stop = fake.callsTo('chat.stopStream').find((c) => c.body['ts'] === ts)!;
    expect(stop.body['blocks']).toEqual(citations);
    // What Slack shows is exactly the answer, each piece once, in order.
    expect(fake.streamText(ts!)).toBe(full);
    expect(fake.streamEnd(ts!)).toEqual({ stopped: true, blocks: citations });
    expect(fake.callsTo('chat.postMessage').some((c) => c.body['thread_ts'] === threadTs)).toBe(false);
    expect(fake.callsTo('chat.update').some((c) => c.body['ts'] === ts)).toBe(false);
  });

  it('posts the whole answer once when the workspace refuses streaming', async () => {
    fake.refuse('chat.startStream', 'feature_not_enabled');
    const { stream, threadTs } = newStream();
    const appendsBefore = fake.calls.filter((c) => c.method === 'chat.appendStream').length;
    await write(stream, ['Le ', 'COPIL ', 'a ', 'validé.'], 60);
    const ts = await stream.finish(finalOf('Le COPIL a validé.'));
    expect(fake.calls.filter((c) => c.method === 'chat.startStream' && c.body['thread_ts'] === threadTs)).toHaveLength(1);
    const posts = fake.callsTo('chat.postMessage').filter((c) => c.body['thread_ts'] === threadTs);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body['text']).toBe('Le COPIL a validé.');
    expect(posts[0]!.body['blocks']).toEqual(finalOf('Le COPIL a validé.').whole.blocks);
    expect(ts).toBe(posts[0]!.response!['ts']);
    expect(fake.calls.filter((c) => c.method === 'chat.appendStream')).toHaveLength(appendsBefore);
    expect(fake.calls.some((c) => c.method === 'chat.update' && c.body['ts'] === ts)).toBe(false);
    expect(logs.some((l) => l.includes('slack streaming refused') && l.includes('feature_not_enabled'))).toBe(true);
  });

  it('falls back the same way when chat.startStream answers HTTP 500', async () => {
    fake.fail('chat.startStream', 500, 1);
    const { stream, threadTs } = newStream();
    await write(stream, ['Réponse ', 'complète.'], 60);
    await stream.finish(finalOf('Réponse complète.'));
    const posts = fake.callsTo('chat.postMessage').filter((c) => c.body['thread_ts'] === threadTs);
    expect(posts.map((c) => c.body['text'])).toEqual(['Réponse complète.']);
  });

  it('rewrites the message whole when the final answer does not continue the streamed text', async () => {
    const { stream } = newStream();
    await write(stream, ['Budget ', 'porté ', 'à ', '80 000 € [3]'], 60);
    await sleep(INTERVAL + 50);
    // The core renumbered the citation: "[3]" became "[1]".
    const ts = await stream.finish(finalOf('Budget porté à 80 000 € [1].'));
    expect(fake.streamText(ts!)).toBe('Budget porté à 80 000 € [3]');
    const stop = fake.callsTo('chat.stopStream').find((c) => c.body['ts'] === ts)!;
    expect(stop.body['blocks']).toBeUndefined();
    const update = fake.callsTo('chat.update').find((c) => c.body['ts'] === ts)!;
    expect(update.body['text']).toBe('Budget porté à 80 000 € [1].');
    expect(update.body['blocks']).toEqual(finalOf('Budget porté à 80 000 € [1].').whole.blocks);
  });

  it('completes the answer at the stop when an append failed', async () => {
    const { stream } = newStream();
    stream.push('Le COPIL');
    await sleep(20);
    fake.refuse('chat.appendStream', 'ratelimited');
    stream.push('Le COPIL a validé');
    await sleep(INTERVAL + 30);
    stream.push('Le COPIL a validé le budget.');
    await sleep(INTERVAL + 30);
    const ts = await stream.finish(finalOf('Le COPIL a validé le budget.'));
    expect(fake.calls.filter((c) => c.method === 'chat.appendStream' && c.body['ts'] === ts)).toHaveLength(1);
    expect(fake.streamText(ts!)).toBe('Le COPIL a validé le budget.');
    expect(fake.streamEnd(ts!)!.blocks).toEqual(citations);
  });

  it('rewrites the message whole when the stream cannot be stopped', async () => {
    const { stream } = newStream();
    stream.push('Le COPIL');
    await sleep(50);
    fake.refuse('chat.stopStream', 'internal_error');
    const ts = await stream.finish(finalOf('Le COPIL a validé.'));
    const update = fake.callsTo('chat.update').find((c) => c.body['ts'] === ts)!;
    expect(update.body['text']).toBe('Le COPIL a validé.');
    expect(logs.some((l) => l.includes('slack stream could not be stopped'))).toBe(true);
  });

  it('posts the answer directly when nothing streamed (offline answers)', async () => {
    const { stream, threadTs } = newStream();
    const ts = await stream.finish(finalOf('Réponse extractive.'));
    expect(fake.callsTo('chat.postMessage').filter((c) => c.body['thread_ts'] === threadTs).map((c) => c.response!['ts'])).toEqual([ts]);
    expect(fake.calls.some((c) => c.method === 'chat.startStream' && c.body['thread_ts'] === threadTs)).toBe(false);
  });

  it('throws when even the whole answer is refused, so the caller can say so', async () => {
    fake.refuse('chat.startStream', 'feature_not_enabled');
    fake.refuse('chat.postMessage', 'channel_not_found');
    const { stream } = newStream();
    stream.push('Le');
    await sleep(30);
    await expect(stream.finish(finalOf('Le COPIL.'))).rejects.toThrow(/channel_not_found/);
  });
});
