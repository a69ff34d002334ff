import { Client, type Dispatcher } from 'undici';

/**
 * Handed to undici when a user's connections close. Without one it makes a fresh error (and a
 * stack trace) per connection, which at 1,000 session starts a second is a measurable cost.
 * It only reaches a result when the run was aborted with a request in flight.
 */
export const STOPPED_CODE = 'REPRISE_USER_STOPPED';
const STOPPED = Object.assign(new Error('the virtual user stopped'), { code: STOPPED_CODE });

/**
 * One user's own HTTP connections, like a browser's: a request goes out on an idle connection,
 * and a new one opens (up to `max`) only when the recording had requests in flight together.
 * Most sessions are sequential and use a single connection; a plain Client per connection also
 * costs less per request than a general-purpose pool.
 */
export class UserConnections {
  private readonly clients: Client[] = [];
  private readonly busy: number[] = [];

  constructor(
    private readonly origin: string,
    private readonly options: Client.Options,
    private readonly max = 6,
  ) {}

  /** Runs one exchange on an idle connection (or the least busy one when all `max` are busy). */
  use<T>(exchange: (connection: Dispatcher) => Promise<T>): Promise<T> {
    const i = this.pick();
    this.busy[i]!++;
    return exchange(this.clients[i]!).then((value) => {
      this.busy[i]!--;
      return value;
    });
  }

  async destroy(): Promise<void> {
    await Promise.all(this.clients.map((c) => c.destroy(STOPPED)));
  }

  private pick(): number {
    let least = -1;
    for (let i = 0; i < this.clients.length; i++) {
      if (this.busy[i] === 0) return i;
      if (least < 0 || this.busy[i]! < this.busy[least]!) least = i;
    }
    if (least >= 0 && this.clients.length >= this.max) return least;
    this.clients.push(new Client(this.origin, this.options));
    this.busy.push(0);
    return this.clients.length - 1;
  }
}
