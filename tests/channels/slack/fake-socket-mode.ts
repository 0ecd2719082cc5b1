import crypto from 'node:crypto';
import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

/**
 * A minimal Socket Mode server on 127.0.0.1 (RFC 6455 by hand: handshake,
 * text frames, ping/pong, close): says hello, pushes envelopes as Slack does,
 * and records the app's acknowledgements.
 */
export class FakeSocketMode {
  readonly acks: Array<Record<string, unknown>> = [];
  private readonly events = new EventEmitter();
  private socket: Duplex | null = null;
  url = '';

  private constructor(private readonly server: http.Server) {}

  static async start(): Promise<FakeSocketMode> {
    const server = http.createServer((_req, res) => res.writeHead(426).end());
    const fake = new FakeSocketMode(server);
    server.on('upgrade', (req, socket) => fake.accept(req, socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    fake.url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/link`;
    return fake;
  }

  get connected(): boolean {
    return this.socket !== null;
  }

  whenConnected(timeoutMs = 10_000): Promise<void> {
    if (this.socket) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('no Socket Mode connection')), timeoutMs);
      this.events.once('connected', () => { clearTimeout(t); resolve(); });
    });
  }

  /** Sends an envelope; resolves with the app's acknowledgement. */
  push(type: 'events_api' | 'slash_commands' | 'interactive', payload: Record<string, unknown>): Promise<Record<string, unknown>> {
    const envelopeId = crypto.randomUUID();
    const ack = new Promise<Record<string, unknown>>((resolve) => {
      const on = (a: Record<string, unknown>): void => { if (a['envelope_id'] === envelopeId) { this.events.off('ack', on); resolve(a); } };
      this.events.on('ack', on);
    });
    this.send({ envelope_id: envelopeId, payload, type, accepts_response_payload: type !== 'events_api', retry_attempt: 0, retry_reason: '' });
    return ack;
  }

  close(): Promise<void> {
    this.socket?.destroy();
    return new Promise((resolve) => { this.server.closeAllConnections(); this.server.close(() => resolve()); });
  }

  private accept(req: http.IncomingMessage, socket: Duplex): void {
    const key = String(req.headers['sec-websocket-key']);
    const accept = crypto.createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    this.socket = socket;
    let buf = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        const frame = readFrame(buf);
        if (!frame) break;
        buf = buf.subarray(frame.length);
        if (frame.opcode === 0x1) {
          const msg = JSON.parse(frame.payload.toString('utf8')) as Record<string, unknown>;
          this.acks.push(msg);
          this.events.emit('ack', msg);
        } else if (frame.opcode === 0x9) {
          socket.write(encodeFrame(0xa, frame.payload));
        } else if (frame.opcode === 0x8) {
          socket.end(encodeFrame(0x8, Buffer.alloc(0)));
          this.socket = null;
        }
      }
    });
    socket.on('close', () => { if (this.socket === socket) this.socket = null; });
    socket.on('error', () => undefined);
    this.send({ type: 'hello', num_connections: 1, debug_info: { host: 'fake', approximate_connection_time: 3600 }, connection_info: { app_id: 'A0PTSM' } });
    this.events.emit('connected');
  }

  private send(obj: unknown): void {
    this.socket?.write(encodeFrame(0x1, Buffer.from(JSON.stringify(obj), 'utf8')));
  }
}

function encodeFrame(opcode: number, payload: Buffer): Buffer {
  const len = payload.length;
  const head = len < 126 ? Buffer.from([0x80 | opcode, len])
    : len < 65536 ? Buffer.from([0x80 | opcode, 126, len >> 8, len & 0xff])
      : Buffer.concat([Buffer.from([0x80 | opcode, 127]), (() => { const b = Buffer.alloc(8); b.writeBigUInt64BE(BigInt(len)); return b; })()]);
  return Buffer.concat([head, payload]);
}

function readFrame(buf: Buffer): { opcode: number; payload: Buffer; length: number } | null {
  if (buf.length < 2) return null;
  const opcode = buf[0]! & 0x0f;
  const masked = (buf[1]! & 0x80) !== 0;
  let len = buf[1]! & 0x7f;
  let off = 2;
  if (len === 126) { if (buf.length < 4) return null; len = buf.readUInt16BE(2); off = 4; }
  else if (len === 127) { if (buf.length < 10) return null; len = Number(buf.readBigUInt64BE(2)); off = 10; }
  const maskLen = masked ? 4 : 0;
  if (buf.length < off + maskLen + len) return null;
  const mask = masked ? buf.subarray(off, off + 4) : null;
  const payload = Buffer.from(buf.subarray(off + maskLen, off + maskLen + len));
  if (mask) for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i % 4]!;
  return { opcode, payload, length: off + maskLen + len };
}
