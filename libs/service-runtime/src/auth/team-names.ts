/**
 * A team name as the platform uses it: a label value (`platform-api/team`), a Redis key part and
 * a label-selector term. Only DNS-1123 labels qualify; anything else in a token's teams claim
 * (`*`, `a,b`, `-`, spaces, non-ASCII) could act as a wildcard or a separator downstream.
 */
const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const MAX_LENGTH = 63;

export function isTeamName(value: string): boolean {
  return value.length <= MAX_LENGTH && DNS_1123_LABEL.test(value);
}

/** How many distinct refused values are remembered (so each is logged once); then no more are. */
const REMEMBERED_REFUSALS = 1000;
/** A refused value is logged cut to this length: it came from a token, whatever its size. */
const LOGGED_LENGTH = 80;

/**
 * Keeps the team names of a claim that are DNS-1123 labels and reports each distinct refused
 * value once. Memory is bounded: after {@link REMEMBERED_REFUSALS} distinct values nothing more is
 * remembered or reported, so a flood of odd tokens cannot grow the process or the log.
 */
export class TeamNameFilter {
  private readonly reported = new Set<string>();

  constructor(private readonly report: (message: string) => void) {}

  keep(teams: readonly string[]): string[] {
    const kept: string[] = [];
    for (const team of teams) {
      if (isTeamName(team)) {
        if (!kept.includes(team)) kept.push(team);
      } else this.refused(team);
    }
    return kept;
  }

  private refused(team: string): void {
    const shown = team.slice(0, LOGGED_LENGTH);
    if (this.reported.has(shown) || this.reported.size >= REMEMBERED_REFUSALS) return;
    this.reported.add(shown);
    this.report(
      `ignored team ${JSON.stringify(shown)} of a token's teams claim: team names must be DNS-1123 labels (this value is reported once)`,
    );
  }
}
