/** Who is calling, as read from the portal's JWT. */
export interface Principal {
  /** The `sub` claim. */
  id: string;
  name?: string;
  teams: string[];
  groups: string[];
  /** Member of the configured admin group: sees and acts on every team's apps. */
  admin: boolean;
  /**
   * When the token stops being valid (epoch ms: its `exp`, or sooner under AUTH_MAX_TOKEN_AGE);
   * long-lived streams end then.
   */
  expiresAt: number;
}

/** May `principal` see and act on an app of `team`? */
export function canAccessTeam(principal: Principal, team: string | null | undefined): boolean {
  return principal.admin || (team !== null && team !== undefined && principal.teams.includes(team));
}
