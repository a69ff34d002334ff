/**
 * Scarce processing capacity in front of a waiting line: `slots` clients chat at once, the rest
 * wait. FIFO admits the longest-waiting client when a slot frees, as the protocol says; LIFO
 * admits the newest, the unfair queue the FIFO check exists to catch.
 */
export type QueuePolicy = 'fifo' | 'lifo';

export interface SlotClient {
  admitted(): void;
  /** Sent on joining the line and whenever the client's place in it changes (1-based). */
  position(position: number): void;
}

export class ChatSlots<C extends SlotClient> {
  private readonly active = new Set<C>();
  private readonly waiting: C[] = [];

  constructor(
    private readonly slots: number,
    private readonly policy: QueuePolicy,
  ) {}

  join(client: C): void {
    if (this.active.size < this.slots) {
      this.active.add(client);
      client.admitted();
      return;
    }
    this.waiting.push(client);
    client.position(this.waiting.length);
  }

  isActive(client: C): boolean {
    return this.active.has(client);
  }

  /** A client left (or disconnected): its slot or its place frees at once. */
  leave(client: C): void {
    if (this.active.delete(client)) {
      const next = this.policy === 'fifo' ? this.waiting.shift() : this.waiting.pop();
      if (!next) return;
      this.active.add(next);
      next.admitted();
      if (this.policy === 'fifo') this.renumber(0);
      return;
    }
    const at = this.waiting.indexOf(client);
    if (at < 0) return;
    this.waiting.splice(at, 1);
    this.renumber(at);
  }

  private renumber(from: number): void {
    for (let i = from; i < this.waiting.length; i++) this.waiting[i]!.position(i + 1);
  }
}
