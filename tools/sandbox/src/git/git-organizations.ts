import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { GitIds } from './git-ids';

export type OrgVisibility = 'public' | 'limited' | 'private';

/** A team's access to every repository of its organization (Gitea: `includes_all_repositories`). */
export type TeamPermission = 'read' | 'write' | 'admin' | 'owner';

export interface OrgTeam {
  name: string;
  permission: TeamPermission;
  /** Gitea's `can_create_org_repo`; the Owners team always can. */
  canCreateOrgRepo: boolean;
  members: string[];
}

export interface Organization {
  id: number;
  name: string;
  fullName: string;
  description: string;
  email: string;
  website: string;
  location: string;
  visibility: OrgVisibility;
  repoAdminChangeTeamAccess: boolean;
  createdAt: string;
  teams: OrgTeam[];
}

export interface NewOrganization {
  name: string;
  /** The user who creates it: Gitea makes the creator the only member of the Owners team. */
  owner: string;
  visibility?: OrgVisibility;
  fullName?: string;
  description?: string;
  email?: string;
  website?: string;
  location?: string;
  repoAdminChangeTeamAccess?: boolean;
  /** More teams besides Owners. */
  teams?: OrgTeam[];
}

const RECORD = 'sandbox-org.json';

/**
 * The organizations, one folder each under the git root (`<root>/<org>/`, lower-cased as Gitea
 * stores them) holding its record and its repositories.
 */
export class GitOrganizations {
  constructor(
    private readonly root: string,
    private readonly ids: GitIds,
  ) {}

  /** The organization of that name (case-insensitive), or undefined. */
  find(name: string): Organization | undefined {
    const file = path.join(this.folderOf(name), RECORD);
    if (!existsSync(file)) return undefined;
    return JSON.parse(readFileSync(file, 'utf8')) as Organization;
  }

  folderOf(name: string): string {
    return path.join(this.root, name.toLowerCase());
  }

  /** Creates it; undefined when the name is taken (the caller checks users too). */
  create(input: NewOrganization): Organization | undefined {
    const folder = this.folderOf(input.name);
    mkdirSync(this.root, { recursive: true });
    try {
      mkdirSync(folder);
    } catch {
      return undefined;
    }
    const org: Organization = {
      id: this.ids.next('user'),
      name: input.name,
      fullName: input.fullName ?? '',
      description: input.description ?? '',
      email: input.email ?? '',
      website: input.website ?? '',
      location: input.location ?? '',
      visibility: input.visibility ?? 'public',
      repoAdminChangeTeamAccess: input.repoAdminChangeTeamAccess ?? false,
      createdAt: new Date().toISOString(),
      teams: [
        { name: 'Owners', permission: 'owner', canCreateOrgRepo: true, members: [input.owner] },
        ...(input.teams ?? []),
      ],
    };
    writeFileSync(path.join(folder, RECORD), JSON.stringify(org, null, 2));
    return org;
  }

  list(): Organization[] {
    const entries = existsSync(this.root) ? readdirSync(this.root, { withFileTypes: true }) : [];
    return entries
      .filter((e) => e.isDirectory())
      .map((e) => this.find(e.name))
      .filter((o): o is Organization => o !== undefined)
      .sort((a, b) => a.id - b.id);
  }
}

/** The user's teams in the organization. */
export function teamsOf(org: Organization, login: string): OrgTeam[] {
  const lower = login.toLowerCase();
  return org.teams.filter((t) => t.members.some((m) => m.toLowerCase() === lower));
}

export function isOwner(org: Organization, login: string): boolean {
  return teamsOf(org, login).some((t) => t.permission === 'owner');
}

/** Gitea's CanCreateOrgRepo: a member of a team that may create repositories (Owners always may). */
export function canCreateOrgRepo(org: Organization, login: string): boolean {
  return teamsOf(org, login).some((t) => t.permission === 'owner' || t.canCreateOrgRepo);
}
