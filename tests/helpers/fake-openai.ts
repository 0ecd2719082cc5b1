import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatRequest { model: string; messages: Array<{ role: string; content: string }>; stream?: boolean; tools?: Array<{ function: { name: string } }> }

export type ChatReply =
  | { content: string }
  | { status: number; body?: string }
  | { delayMs: number; content: string }
  /** A function call, as structured output through function calling receives it. */
  | { toolCall: { name: string; arguments: unknown } };

/**
 * A local server speaking the OpenAI protocol (chat completions, with and
 * without streaming, and embeddings) on 127.0.0.1. It records every request
 * so tests can check what the product sent.
 */
export async function startFakeOpenAi(reply: (req: ChatRequest) => ChatReply, embed?: (input: string[]) => number[][]): Promise<{ url: string; requests: ChatRequest[]; embeddings: string[][]; close: () => Promise<void> }> {
  const requests: ChatRequest[] = [];
  /** The `input` of every embeddings request, as received. */
  const embeddings: string[][] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => { raw += c.toString('utf8'); });
    req.on('end', () => {
      const body = JSON.parse(raw || '{}') as Record<string, unknown>;
      if (req.url?.endsWith('/embeddings') && embed) {
        const input = Array.isArray(body['input']) ? (body['input'] as string[]) : [String(body['input'])];
        embeddings.push(input);
        const vectors = embed(input);
        // Like the real API: base64 little-endian float32 when the client asks for it (the OpenAI SDK does by default).
        const encode = (v: number[]): number[] | string => (body['encoding_format'] === 'base64' ? Buffer.from(new Float32Array(v).buffer).toString('base64') : v);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ object: 'list', model: body['model'], data: vectors.map((v, index) => ({ object: 'embedding', index, embedding: encode(v) })), usage: { prompt_tokens: 1, total_tokens: 1 } }));
        return;
      }
      if (!req.url?.endsWith('/chat/completions')) { res.writeHead(404).end(); return; }
      const chat = body as unknown as ChatRequest;
      requests.push(chat);
      const r = reply(chat);
      if ('status' in r) { res.writeHead(r.status, { 'content-type': 'application/json' }); res.end(r.body ?? JSON.stringify({ error: { message: 'fake failure' } })); return; }
      if ('toolCall' in r) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: 'c1', object: 'chat.completion', created: 0, model: chat.model, choices: [{ index: 0, message: { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: r.toolCall.name, arguments: JSON.stringify(r.toolCall.arguments) } }] }, finish_reason: 'tool_calls' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }));
        return;
      }
      const send = (): void => {
        if (chat.stream) {
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          const pieces = r.content.match(/.{1,12}/gs) ?? [];
          for (const p of pieces) res.write(`data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 0, model: chat.model, choices: [{ index: 0, delta: { content: p }, finish_reason: null }] })}\n\n`);
          res.write(`data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 0, model: chat.model, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`);
          res.end('data: [DONE]\n\n');
        } else {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ id: 'c1', object: 'chat.completion', created: 0, model: chat.model, choices: [{ index: 0, message: { role: 'assistant', content: r.content }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }));
        }
      };
      if ('delayMs' in r) setTimeout(send, r.delayMs); else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    embeddings,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
