import type { Command } from 'commander';
import { parseByteSize } from '../record/byte-size.js';
import { parseHostPort } from '../record/host-port.js';
import { startRecorder } from '../record/start-recorder.js';
import { formatSummary } from '../record/summary.js';
import { print, storeOption } from './common.js';

interface RecordFlags {
  target: string;
  listen: string;
  store: string;
  name?: string;
  sessionKey?: string[];
  clientHeader?: string;
  redact?: string[];
  maxBody: string;
  admin?: string;
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

export function recordCommand(program: Command): void {
  program
    .command('record')
    .description('record HTTP + WebSocket sessions through a proxy in front of --target, until SIGINT/SIGTERM')
    .showHelpAfterError(false) // a bad flag is one line
    .requiredOption('--target <url>', 'the server to forward to, e.g. http://127.0.0.1:3000')
    .option('--listen <host:port>', 'where clients connect (port 0: a free one)', '127.0.0.1:8080')
    .addOption(storeOption())
    .option('--name <name>', 'recording name (default: the start time)')
    .option('--session-key <spec>', 'what identifies a session: cookie:NAME, header:NAME, query:NAME, jwt:CLAIM (repeatable)', collect)
    .option('--client-header <name>', 'behind a load balancer: the request header whose first entry is the client address, e.g. x-forwarded-for')
    .option('--redact <rule>', 'replace a value before it is stored: header:NAME, cookie:NAME, query:NAME, json:$.path (repeatable)', collect)
    .option('--max-body <bytes>', 'body bytes kept per request, response or message; forwarding is never capped', '1MiB')
    .option('--admin <host:port>', 'serve GET /healthz and GET /metrics here (loopback unless a host is given)')
    .action(async (flags: RecordFlags) => {
      const recorder = await startRecorder({
        target: flags.target,
        listen: parseHostPort(flags.listen, '--listen'),
        store: flags.store,
        ...(flags.name !== undefined && { name: flags.name }),
        sessionKeys: flags.sessionKey ?? [],
        ...(flags.clientHeader !== undefined && { clientHeader: flags.clientHeader }),
        redact: flags.redact ?? [],
        maxBody: parseByteSize(flags.maxBody, '--max-body'),
        ...(flags.admin !== undefined && { admin: parseHostPort(flags.admin, '--admin') }),
      });
      const admin = recorder.adminUrl ? ` (admin ${recorder.adminUrl})` : '';
      await print(`recording "${recorder.name}" to ${recorder.dir}: listening on ${recorder.url} -> ${flags.target}${admin}`);
      await untilSignal();
      await print(formatSummary(await recorder.stop()));
    });
}

/** Resolves on the first SIGINT or SIGTERM; a second one while stopping quits at once. */
function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const first = (): void => {
      process.off('SIGINT', first).off('SIGTERM', first);
      process.once('SIGINT', () => process.exit(130)).once('SIGTERM', () => process.exit(143));
      resolve();
    };
    process.once('SIGINT', first).once('SIGTERM', first);
  });
}
