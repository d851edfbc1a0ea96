/**
 * The pods of the workload: `pods` exist, `ready` of them serve; the others become ready at their
 * ready times. Scale-down removes starting pods first (the newest first), as a ReplicaSet does.
 * Starting pods are kept as groups (a ready time and a count, one per scale-up), so memory follows the
 * scale events, not the replica count.
 */
export class ReplicaSet {
  public pods: number;
  public ready: number;
  public scaleEvents = 0;
  /** Pods created during the run (each a cold start from creation to Ready). */
  public started = 0;
  public peak: number;
  public lowest: number;
  /** When the next starting pod becomes ready (Infinity if none is starting). */
  public nextReady = Infinity;
  /** Ready times of the groups of starting pods, ascending from `pendingHead`, and their pod counts. */
  private readonly pendingTimes: number[] = [];
  private readonly pendingCounts: number[] = [];
  private pendingHead = 0;

  constructor(initial: number, private readonly coldStart: number) {
    this.pods = initial;
    this.ready = initial;
    this.peak = initial;
    this.lowest = initial;
  }

  /** Makes the pods whose ready time has come (up to float noise) ready. */
  public promote(t: number): void {
    const times = this.pendingTimes;
    while (times.length > this.pendingHead && times[this.pendingHead] <= t + 1e-9) {
      this.ready += this.pendingCounts[this.pendingHead];
      this.pendingHead++;
    }
    if (this.pendingHead > 1024 && this.pendingHead === times.length) {
      times.length = 0;
      this.pendingCounts.length = 0;
      this.pendingHead = 0;
    }
    this.updateNextReady();
  }

  /** Sets the replica count at `now`. */
  public scaleTo(next: number, now: number): void {
    const pods = this.pods;
    if (next === pods) return;
    this.scaleEvents++;
    if (next > pods) {
      this.started += next - pods;
      if (this.coldStart <= 0) {
        this.ready += next - pods;
      } else {
        this.pendingTimes.push(now + this.coldStart);
        this.pendingCounts.push(next - pods);
      }
    } else {
      let remove = pods - next;
      const times = this.pendingTimes;
      const counts = this.pendingCounts;
      while (remove > 0 && times.length > this.pendingHead) {
        // the newest starting pods go first
        const last = counts.length - 1;
        const taken = Math.min(remove, counts[last]);
        counts[last] -= taken;
        remove -= taken;
        if (counts[last] === 0) {
          counts.pop();
          times.pop();
        }
      }
      this.ready -= remove;
    }
    this.pods = next;
    if (next > this.peak) this.peak = next;
    if (next < this.lowest) this.lowest = next;
    this.updateNextReady();
  }

  private updateNextReady(): void {
    this.nextReady = this.pendingTimes.length > this.pendingHead ? this.pendingTimes[this.pendingHead] : Infinity;
  }
}
