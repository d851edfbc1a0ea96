/**
 * Cold starts from zero: the spans during which work waits (queued or arriving) while no replica is
 * ready, each from its first waiting item to the first ready pod. Fed one step of the event loop at a
 * time (ready replicas, arrival rate and queue are constant within a step), without allocation.
 */
export class ColdStartTracker {
  /** Spans that began. */
  public count = 0;
  /** The longest span that ended, or (at `finish`) the open one up to the end of the run. */
  public maxSeconds = 0;
  /** Items that waited through a span: queued when it began, or arriving during it. */
  public items = 0;
  private open = false;
  private start = 0;

  /**
   * One step from `t` to `next` with `ready` replicas serving, items arriving at `rate` per second and
   * `queue` items waiting at `t`.
   */
  public step(t: number, next: number, ready: number, rate: number, queue: number): void {
    if (ready > 0) {
      if (this.open) {
        this.open = false;
        if (t - this.start > this.maxSeconds) this.maxSeconds = t - this.start;
      }
      return;
    }
    if (!this.open) {
      if (rate <= 0 && queue <= 0) return;
      this.open = true;
      this.start = t;
      this.count++;
      this.items += queue;
    }
    this.items += rate * (next - t);
  }

  /** Ends the run at `end`: a span still open counts up to it (a lower bound). */
  public finish(end: number): void {
    if (this.open && end - this.start > this.maxSeconds) this.maxSeconds = end - this.start;
    this.open = false;
  }
}
