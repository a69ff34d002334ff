import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for Discord and Slack: it checks each body against the shape the service
 * documents and answers 400 with the problems, as the services do, or with a scripted answer.
 */
export type Shape = 'discord' | 'slack' | 'json';

export interface Received {
  body: unknown;
  headers: IncomingHttpHeaders;
  problems: string[];
}

export interface Scripted {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** Never answer this request (the connection stays open until the client gives up). */
  hang?: boolean;
}

export class Receiver {
  readonly received: Received[] = [];
  private readonly script: Scripted[] = [];
  private server!: Server;
  private waiters: { n: number; resolve: () => void }[] = [];

  private constructor(readonly shape: Shape) {}

  static async start(shape: Shape): Promise<Receiver> {
    const r = new Receiver(shape);
    r.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        let body: unknown;
        const problems: string[] = [];
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          if (req.headers['content-type'] !== 'application/json') problems.push('content-type is not application/json');
          problems.push(...validate(shape, body));
        } catch {
          problems.push('body is not JSON');
        }
        r.received.push({ body, headers: req.headers, problems });
        r.waiters = r.waiters.filter((w) => (r.received.length >= w.n ? (w.resolve(), false) : true));
        const next = r.script.shift();
        if (next?.hang) return;
        if (problems.length > 0) return void res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ problems }));
        const status = next?.status ?? (shape === 'discord' ? 204 : 200);
        res.writeHead(status, next?.headers).end(next?.body ?? (shape === 'slack' && status === 200 ? 'ok' : ''));
      });
    });
    r.server.listen(0, '127.0.0.1');
    await once(r.server, 'listening');
    return r;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/webhooks/123/secret-token`;
  }

  /** The next requests get these answers, in order; after them, success. */
  answer(...scripted: Scripted[]): void {
    this.script.push(...scripted);
  }

  requests(n: number): Promise<void> {
    if (this.received.length >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
  }
}

function validate(shape: Shape, body: unknown): string[] {
  if (shape === 'discord') return discordProblems(body);
  if (shape === 'slack') return slackProblems(body);
  return typeof body === 'object' && body !== null ? [] : ['not an object'];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown, max: number, what: string, out: string[], required = true) => {
  if (v === undefined && !required) return 0;
  if (typeof v !== 'string' || v.length === 0) out.push(`${what} must be a non-empty string`);
  else if (v.length > max) out.push(`${what} is ${v.length} characters, over ${max}`);
  return typeof v === 'string' ? v.length : 0;
};

const DISCORD_KEYS = new Set(['content', 'username', 'avatar_url', 'tts', 'embeds', 'allowed_mentions', 'components', 'flags', 'thread_name']);

/** https://discord.com/developers/docs/resources/webhook#execute-webhook and the embed limits. */
function discordProblems(body: unknown): string[] {
  const out: string[] = [];
  if (!isObj(body)) return ['body must be an object'];
  for (const key of Object.keys(body)) if (!DISCORD_KEYS.has(key)) out.push(`unknown field ${key}`);
  if (body.content === undefined && body.embeds === undefined) out.push('one of content or embeds is required');
  str(body.content, 2000, 'content', out, false);
  const embeds = body.embeds ?? [];
  if (!Array.isArray(embeds) || embeds.length > 10) return [...out, 'embeds must be an array of at most 10'];
  let total = 0;
  embeds.forEach((e: unknown, i) => {
    if (!isObj(e)) return void out.push(`embeds[${i}] must be an object`);
    total += str(e.title, 256, `embeds[${i}].title`, out, false);
    total += str(e.description, 4096, `embeds[${i}].description`, out, false);
    if (e.color !== undefined && (!Number.isInteger(e.color) || (e.color as number) < 0 || (e.color as number) > 0xffffff)) out.push(`embeds[${i}].color must be an integer colour`);
    if (e.footer !== undefined) total += isObj(e.footer) ? str(e.footer.text, 2048, `embeds[${i}].footer.text`, out) : (out.push('footer must be an object'), 0);
    const fields = e.fields ?? [];
    if (!Array.isArray(fields) || fields.length > 25) return void out.push(`embeds[${i}].fields must be an array of at most 25`);
    fields.forEach((f: unknown, j) => {
      if (!isObj(f)) return void out.push(`field ${j} must be an object`);
      total += str(f.name, 256, `embeds[${i}].fields[${j}].name`, out);
      total += str(f.value, 1024, `embeds[${i}].fields[${j}].value`, out);
      if (f.inline !== undefined && typeof f.inline !== 'boolean') out.push(`embeds[${i}].fields[${j}].inline must be a boolean`);
    });
  });
  if (total > 6000) out.push(`embeds hold ${total} characters, over 6000`);
  return out;
}

/** https://api.slack.com/reference/block-kit/blocks: header, section, context, divider. */
function slackProblems(body: unknown): string[] {
  const out: string[] = [];
  if (!isObj(body)) return ['body must be an object'];
  str(body.text, 40_000, 'text (the notification fallback)', out);
  if (!Array.isArray(body.blocks) || body.blocks.length === 0 || body.blocks.length > 50) return [...out, 'blocks must be an array of 1 to 50'];
  const textObject = (t: unknown, max: number, what: string, types = ['plain_text', 'mrkdwn']) => {
    if (!isObj(t) || !types.includes(t.type as string)) return void out.push(`${what} must be a text object of type ${types.join('|')}`);
    str(t.text, max, `${what}.text`, out);
  };
  body.blocks.forEach((b: unknown, i) => {
    if (!isObj(b)) return void out.push(`blocks[${i}] must be an object`);
    if (b.type === 'header') textObject(b.text, 150, `blocks[${i}].text`, ['plain_text']);
    else if (b.type === 'section') {
      if (b.text === undefined && b.fields === undefined) out.push(`blocks[${i}] needs text or fields`);
      if (b.text !== undefined) textObject(b.text, 3000, `blocks[${i}].text`);
      if (b.fields !== undefined) {
        if (!Array.isArray(b.fields) || b.fields.length > 10) out.push(`blocks[${i}].fields must be at most 10`);
        else b.fields.forEach((f: unknown, j) => textObject(f, 2000, `blocks[${i}].fields[${j}]`));
      }
    } else if (b.type === 'context') {
      if (!Array.isArray(b.elements) || b.elements.length === 0 || b.elements.length > 10) out.push(`blocks[${i}].elements must be 1 to 10`);
      else b.elements.forEach((e: unknown, j) => textObject(e, 3000, `blocks[${i}].elements[${j}]`));
    } else if (b.type !== 'divider') out.push(`blocks[${i}].type ${String(b.type)} is not a block this summary uses`);
  });
  return out;
}
