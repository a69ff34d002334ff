import { describe, expect, it } from 'vitest';
import { ChatSlots, type QueuePolicy, type SlotClient } from '../../src/demo/chat-slots.js';

function client(name: string, log: string[]): SlotClient & { name: string } {
  return { name, admitted: () => log.push(`${name} ready`), position: (p) => log.push(`${name} queued ${p}`) };
}

function scenario(policy: QueuePolicy): string[] {
  const log: string[] = [];
  const slots = new ChatSlots<ReturnType<typeof client>>(1, policy);
  const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((n) => client(n, log)) as [ReturnType<typeof client>, ReturnType<typeof client>, ReturnType<typeof client>, ReturnType<typeof client>];
  slots.join(a);
  slots.join(b);
  slots.join(c);
  slots.join(d);
  slots.leave(c); // a queued client gives up
  slots.leave(a);
  expect(slots.isActive(a)).toBe(false);
  return log;
}

describe('ChatSlots', () => {
  it('FIFO admits the longest waiting and renumbers the line', () => {
    expect(scenario('fifo')).toEqual(['a ready', 'b queued 1', 'c queued 2', 'd queued 3', 'd queued 2', 'b ready', 'd queued 1']);
  });

  it('LIFO admits the newest', () => {
    expect(scenario('lifo')).toEqual(['a ready', 'b queued 1', 'c queued 2', 'd queued 3', 'd queued 2', 'd ready']);
  });
});
