// Requests the edge has sent to each app instance and not yet finished, so an instance taken out
// of the route table is only stopped once what it is serving has been answered.

export class InFlight {
  private readonly byOrigin = new Map<string, number>();

  add(origin: string): void {
    this.byOrigin.set(origin, (this.byOrigin.get(origin) ?? 0) + 1);
  }

  done(origin: string): void {
    const left = (this.byOrigin.get(origin) ?? 1) - 1;
    if (left <= 0) this.byOrigin.delete(origin);
    else this.byOrigin.set(origin, left);
  }

  count(origin: string): number {
    return this.byOrigin.get(origin) ?? 0;
  }
}
