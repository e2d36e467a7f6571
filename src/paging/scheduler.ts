// The ordered prefetch scheduler: keeps up to `ahead` requests in flight and hands their answers
// out strictly in list order. It knows nothing of paging styles: `start(k)` makes the k-th
// request after the answers consumed so far, or says there is none to make.

export interface Started<T> {
  promise: Promise<T>;
  /** The page size asked for, as the cursor needs it back. */
  asked: number | undefined;
}

/** Makes request k after those consumed, bound to `signal`; undefined when there is none to make. */
export type StartRequest<T> = (k: number, signal: AbortSignal) => Started<T> | undefined;

interface Pending<T> extends Started<T> {
  controller: AbortController | undefined;
  /** Still counted as in flight (until it settles or is dropped). */
  counted: boolean;
}

export class PrefetchScheduler<T> {
  private readonly queue: Pending<T>[] = [];
  private inFlight = 0;
  private closed = false;

  /** `ahead`: requests in flight at once; `signal` aborts them all. */
  constructor(
    private readonly ahead: number,
    private readonly signal: AbortSignal,
    private readonly start: StartRequest<T>,
  ) {}

  /** The next request in list order (starting requests as allowed), or undefined when none is left. */
  head(): Started<T> | undefined {
    this.fill();
    return this.queue[0];
  }

  /** The head has been consumed: the requests after it stay planned. */
  shift(): void {
    this.queue.shift();
  }

  /** The head has been consumed and the requests planned after it are wrong: drop and abort them. */
  replan(): void {
    this.queue.shift();
    for (const dropped of this.queue.splice(0)) {
      dropped.controller?.abort();
      if (dropped.counted) this.inFlight--;
      dropped.counted = false;
    }
  }

  close(): void {
    this.closed = true;
  }

  /** Keeps `ahead` requests in flight, and at most as many answers again waiting to be consumed. */
  private fill(): void {
    const room = this.ahead === 1 ? 1 : 2 * this.ahead;
    while (!this.closed && this.inFlight < this.ahead && this.queue.length < room && this.startNext());
  }

  private startNext(): boolean {
    // A request of its own to abort only when several are planned (a replan drops the later ones).
    const own = this.ahead > 1 ? new AbortController() : undefined;
    const started = this.start(this.queue.length, own ? AbortSignal.any([this.signal, own.signal]) : this.signal);
    if (!started) return false;
    const pending: Pending<T> = { ...started, controller: own, counted: true };
    this.inFlight++;
    // Observed when its turn comes (never an unhandled rejection); meanwhile its place in flight
    // goes to the next request at once, as a pool of workers would give it.
    const settled = () => {
      if (!pending.counted) return;
      pending.counted = false;
      this.inFlight--;
      this.fill();
    };
    pending.promise.then(settled, settled);
    this.queue.push(pending);
    return true;
  }
}
