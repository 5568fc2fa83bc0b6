/** The answers upstream trouble may get: every other 5xx is a defect. */
export const GATEWAY_STATUSES: ReadonlySet<number> = new Set([502, 503, 504]);

export interface Finding {
  what: string;
  detail: string;
}

/**
 * Everything the soak's clients observed: each answer's status, the 5xx that are not 502/503/504,
 * and every cross-team leak (a response or event for one team's caller naming another team's app).
 */
export class Recorder {
  readonly statuses = new Map<string, number>();
  readonly unexpected5xx: Finding[] = [];
  readonly leaks: Finding[] = [];
  /** Responses and events scanned for other teams' apps. */
  leakChecks = 0;
  /** 4xx and 5xx answers by status, error code and route. */
  readonly refusals = new Map<string, number>();
  /** Requests without an answer, by route. */
  readonly noAnswer = new Map<string, number>();
  private readonly teams = new Map<string, string>();

  /** Tells the recorder which team an app belongs to (seeded at start, created on the way). */
  own(app: string, team: string): void {
    this.teams.set(app, team);
  }

  answered(route: string, status: number, body: string): void {
    this.count(String(status));
    if (status >= 400) {
      const code = /"code":"([A-Z_]+)"/.exec(body)?.[1] ?? '';
      const key = `${status} ${code} ${route}`;
      this.refusals.set(key, (this.refusals.get(key) ?? 0) + 1);
    }
    if (status >= 500 && !GATEWAY_STATUSES.has(status)) {
      this.unexpected5xx.push({ what: `${status} ${route}`, detail: body.slice(0, 300) });
    }
  }

  /** A request that got no answer at all (connection refused or reset, timeout). */
  unanswered(route: string): void {
    this.count('no answer');
    this.noAnswer.set(route, (this.noAnswer.get(route) ?? 0) + 1);
  }

  /**
   * Scans what `team`'s caller received for app names (and task ids, which start with their app's
   * name) of other teams.
   */
  scan(team: string, where: string, text: string): void {
    this.leakChecks += 1;
    for (const match of text.matchAll(/\b(app-\d{5}|[a-z]+-soak-\d+)\b/g)) {
      const owner = this.teams.get(match[1] ?? '');
      if (owner !== undefined && owner !== team) {
        this.leaks.push({ what: `${team} got ${match[1] ?? ''} of ${owner}`, detail: where });
        return;
      }
    }
  }

  get requests(): number {
    let total = 0;
    for (const n of this.statuses.values()) total += n;
    return total;
  }

  /** `200 1234, 202 56, ...`, most frequent first. */
  statusMix(): string {
    return [...this.statuses.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([status, n]) => `${status} ${n}`)
      .join(', ');
  }

  private count(key: string): void {
    this.statuses.set(key, (this.statuses.get(key) ?? 0) + 1);
  }
}
