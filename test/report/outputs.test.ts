import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/model/errors.js';
import { writeOutputs } from '../../src/report/outputs.js';
import { compareReport, replayReport } from './fixtures.js';
import { Receiver } from './webhook/receiver.js';

describe('writeOutputs', () => {
  let dir: string;
  let receiver: Receiver;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'reprise-outputs-'));
    receiver = await Receiver.start('discord');
  });
  afterEach(async () => {
    await receiver.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the HTML and JUnit files, creating folders, and posts every webhook', async () => {
    const lines: string[] = [];
    const html = join(dir, 'out', 'report.html');
    const junit = join(dir, 'out', 'junit.xml');
    const written = await writeOutputs(compareReport(), { html, junit, webhook: [receiver.url], webhookFormat: 'discord' }, { log: (l) => lines.push(l) });
    expect(written.files).toEqual([
      { kind: 'html', path: html },
      { kind: 'junit', path: junit },
    ]);
    expect(await readFile(html, 'utf8')).toMatch(/^<!doctype html>/);
    expect(await readFile(junit, 'utf8')).toMatch(/^<\?xml/);
    expect(written.webhooks).toMatchObject([{ ok: true, format: 'discord' }]);
    expect(receiver.received[0]!.problems).toEqual([]);
    expect(lines).toEqual([`HTML report: ${html}`, `JUnit report: ${junit}`]);
  });

  it('says nothing with quiet, and nothing at all when no output was asked for', async () => {
    const lines: string[] = [];
    await writeOutputs(replayReport(), { html: join(dir, 'r.html'), quiet: true }, { log: (l) => lines.push(l) });
    expect(await writeOutputs(replayReport(), {}, { log: (l) => lines.push(l) })).toEqual({ files: [], webhooks: [] });
    expect(lines).toEqual([]);
  });

  it('writes what it can and posts the webhooks before reporting a file it could not write', async () => {
    const blocker = join(dir, 'a-file');
    await writeFile(blocker, '');
    const html = join(dir, 'ok.html');
    const attempt = writeOutputs(replayReport(), { html, junit: join(blocker, 'junit.xml'), webhook: [receiver.url], webhookFormat: 'discord' }, { log: () => undefined });
    await expect(attempt).rejects.toThrow(UsageError);
    await expect(attempt).rejects.toThrow(/cannot write --junit .*a-file\/junit\.xml: (ENOTDIR|EEXIST)/);
    expect(await readFile(html, 'utf8')).toContain('Replay report');
    expect(receiver.received).toHaveLength(1);
  });
});
