/**
 * The gate every data-plane request passes before it reaches workerd. Normally open: a request
 * enters, counts as in flight, and leaves when its answer is done. While the runtime is swapped
 * (an apply restarts workerd) the gate is held: new requests wait in a bounded queue, the ones in
 * flight finish (for at most `drainMs`), and when the swap is done the waiting requests go on to the
 * new runtime in the order they came. So no request ever meets a runtime that is stopping or not
 * yet started, and two runtimes never serve at once (they would share Durable Object storage).
 */

export interface GateBounds {
  /** Requests that may wait during a swap; the next one is refused (503) rather than queued. */
  maxHeld: number;
  /** How long a swap waits for in-flight requests to finish before it goes ahead anyway. */
  drainMs: number;
}

/** A swap takes at most this long to wait for in-flight requests; 10,000 requests may wait meanwhile. */
export const DEFAULT_GATE_BOUNDS: GateBounds = { maxHeld: 10_000, drainMs: 10_000 };

/** What the gate answers a request: go on now, wait (then go on), or refused because the queue is full. */
export type Admission = { kind: 'admitted' } | { kind: 'held'; admitted: Promise<void> } | { kind: 'full' };

/** What a drain found: every in-flight request done, or `left` of them still running at the bound. */
export interface DrainOutcome {
  left: number;
}

const ADMITTED: Admission = { kind: 'admitted' };
const FULL: Admission = { kind: 'full' };

export class RequestGate {
  private inFlight = 0;
  private holding = false;
  private held: (() => void)[] = [];
  private drained: (() => void) | undefined;

  constructor(
    private readonly bounds: GateBounds = DEFAULT_GATE_BOUNDS,
    /** Hears the number of waiting requests whenever it changes. */
    private readonly onWaiting: (count: number) => void = () => undefined,
  ) {}

  /** Counts the request in flight now, or queues it until the swap is over. Call {@link leave} once it is done. */
  enter(): Admission {
    if (!this.holding) {
      this.inFlight++;
      return ADMITTED;
    }
    if (this.held.length >= this.bounds.maxHeld) return FULL;
    return {
      kind: 'held',
      admitted: new Promise((resolve) => {
        this.held.push(() => {
          this.inFlight++;
          resolve();
        });
        this.onWaiting(this.held.length);
      }),
    };
  }

  /** A request that entered is done (answered, failed or its client went away). */
  leave(): void {
    this.inFlight--;
    if (this.inFlight === 0) this.drained?.();
  }

  /** Requests waiting for a swap to end. */
  get waiting(): number {
    return this.held.length;
  }

  /** Stops admitting and waits until nothing is in flight, or the drain bound passes. */
  async hold(): Promise<DrainOutcome> {
    this.holding = true;
    if (this.inFlight === 0) return { left: 0 };
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.drained?.(), this.bounds.drainMs);
      this.drained = () => {
        clearTimeout(timer);
        this.drained = undefined;
        resolve();
      };
    });
    return { left: this.inFlight };
  }

  /** Admits again: every waiting request goes on, in the order it came. */
  release(): void {
    this.holding = false;
    const waiting = this.held;
    this.held = [];
    for (const admit of waiting) admit();
    if (waiting.length > 0) this.onWaiting(0);
  }
}
