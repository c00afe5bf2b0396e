// The one write path of a database: SQLite has one writer, and better-sqlite3 one connection per
// store, so two writes that interleave their awaits would share one transaction (a cancelled
// import rolled back another channel's write). Every write goes through this gate:
//
// - `write(fn)`: fn runs alone among writers (an async mutex, FIFO). Re-entrant: a write inside a
//   write (a service called by another, a handler's transaction) runs in the same hold.
// - `exclusive(fn)`: a write that also keeps readers out (a restore swaps the database file):
//   waits for the reads in progress, new reads wait for its end.
// - `read(fn)`: never waits for writers (WAL: readers see the last commit), only for an exclusive.
//
// The hold follows the async context of fn (AsyncLocalStorage), not a flag: a call that arrives
// meanwhile from another channel is outside it and waits. The connection guard (connection.ts)
// refuses any write statement run outside a hold, so nothing can bypass the gate.
import { AsyncLocalStorage } from 'node:async_hooks';

interface Hold {
  gate: WriteGate;
  active: boolean;
  exclusive: boolean;
}

interface Reading {
  gate: WriteGate;
  counted: boolean;
}

const holds = new AsyncLocalStorage<Hold>();
const reading = new AsyncLocalStorage<Reading>();

export class WriteGate {
  private tail: Promise<void> = Promise.resolve();
  private readers = 0;
  private drained: (() => void) | null = null;
  /** Set while an exclusive hold runs or waits for readers: new reads wait for it. */
  private barrier: Promise<void> | null = null;

  /** Is the caller's async context inside an active hold of this gate? */
  holds(): boolean {
    const h = holds.getStore();
    return !!h && h.gate === this && h.active;
  }

  private holdsExclusive(): boolean {
    const h = holds.getStore();
    return !!h && h.gate === this && h.active && h.exclusive;
  }

  /** Runs fn as the only writer (waits for the writer before, FIFO). */
  write<T>(fn: () => Promise<T> | T): Promise<T> {
    if (this.holds()) return Promise.resolve().then(fn);
    return this.acquire(false, fn);
  }

  /** Runs fn as the only writer AND with no reader (a restore). */
  exclusive<T>(fn: () => Promise<T> | T): Promise<T> {
    if (this.holdsExclusive()) return Promise.resolve().then(fn);
    if (this.holds()) {
      // Upgrade of the caller's own write hold: keep readers out for fn only.
      const hold: Hold = { gate: this, active: true, exclusive: true };
      return this.keepReadersOut(() => holds.run(hold, fn)).finally(() => (hold.active = false));
    }
    return this.acquire(true, fn);
  }

  /** Runs a read: never waits for a writer, only for an exclusive hold (the database may be swapped). */
  async read<T>(fn: () => Promise<T> | T): Promise<T> {
    if (this.holds() || reading.getStore()?.gate === this) return fn();
    while (this.barrier) await this.barrier;
    const r: Reading = { gate: this, counted: true };
    this.readers++;
    try {
      return await reading.run(r, fn);
    } finally {
      if (r.counted) this.leaveRead();
    }
  }

  private leaveRead(): void {
    if (--this.readers === 0 && this.drained) this.drained();
  }

  private acquire<T>(exclusive: boolean, fn: () => Promise<T> | T): Promise<T> {
    // A read that turns out to write stops counting as a reader (an exclusive hold waiting
    // for the readers would otherwise wait for it while it waits for the gate).
    const r = reading.getStore();
    if (r?.gate === this && r.counted) {
      r.counted = false;
      this.leaveRead();
    }
    const before = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((r) => (release = r));
    const hold: Hold = { gate: this, active: true, exclusive };
    const run = () => holds.run(hold, fn);
    return before
      .then(() => (exclusive ? this.keepReadersOut(run) : run()))
      .finally(() => {
        hold.active = false; // continuations scheduled by fn (timers, a job started) no longer hold the gate
        release();
      });
  }

  private async keepReadersOut<T>(fn: () => Promise<T> | T): Promise<T> {
    let open!: () => void;
    const barrier = new Promise<void>((r) => (open = r));
    this.barrier = barrier;
    try {
      if (this.readers > 0) await new Promise<void>((r) => (this.drained = r));
      this.drained = null;
      return await fn();
    } finally {
      this.drained = null;
      if (this.barrier === barrier) this.barrier = null;
      open();
    }
  }
}

/** Runs fn outside any hold (a job started by a write must take the gate itself, later). */
export function outsideHold<T>(fn: () => T): T {
  return holds.exit(fn);
}
