import Ajv, { type ValidateFunction } from 'ajv';

/**
 * The few definitions of Gitea's OpenAPI document (go-gitea/gitea `templates/swagger/v1_json.tmpl`)
 * the platform relies on, transcribed by hand: every property with its swagger type. Responses are
 * checked with no other property allowed, so a field the sandbox invents, or one with the wrong
 * type, fails the test. `required` lists what the platform reads (the swagger marks none).
 */
type Property =
  'string' | 'integer' | 'boolean' | 'date-time' | 'string[]' | { ref: string } | { enum: string[] };

const DEFINITIONS: Record<string, { properties: Record<string, Property>; required?: string[] }> = {
  ServerVersion: { properties: { version: 'string' }, required: ['version'] },
  Permission: { properties: { admin: 'boolean', pull: 'boolean', push: 'boolean' } },
  InternalTracker: {
    properties: {
      allow_only_contributors_to_track_time: 'boolean',
      enable_issue_dependencies: 'boolean',
      enable_time_tracker: 'boolean',
    },
  },
  User: {
    properties: {
      active: 'boolean',
      avatar_url: 'string',
      created: 'date-time',
      description: 'string',
      email: 'string',
      followers_count: 'integer',
      following_count: 'integer',
      full_name: 'string',
      html_url: 'string',
      id: 'integer',
      is_admin: 'boolean',
      language: 'string',
      last_login: 'date-time',
      location: 'string',
      login: 'string',
      login_name: 'string',
      prohibit_login: 'boolean',
      restricted: 'boolean',
      source_id: 'integer',
      starred_repos_count: 'integer',
      visibility: 'string',
      website: 'string',
    },
    required: ['id', 'login'],
  },
  Organization: {
    properties: {
      avatar_url: 'string',
      description: 'string',
      email: 'string',
      full_name: 'string',
      id: 'integer',
      location: 'string',
      name: 'string',
      repo_admin_change_team_access: 'boolean',
      username: 'string',
      visibility: 'string',
      website: 'string',
    },
    required: ['id', 'name', 'visibility'],
  },
  Repository: {
    properties: {
      allow_fast_forward_only_merge: 'boolean',
      allow_manual_merge: 'boolean',
      allow_merge_commits: 'boolean',
      allow_rebase: 'boolean',
      allow_rebase_explicit: 'boolean',
      allow_rebase_update: 'boolean',
      allow_squash_merge: 'boolean',
      archived: 'boolean',
      archived_at: 'date-time',
      autodetect_manual_merge: 'boolean',
      avatar_url: 'string',
      clone_url: 'string',
      created_at: 'date-time',
      default_allow_maintainer_edit: 'boolean',
      default_branch: 'string',
      default_delete_branch_after_merge: 'boolean',
      default_merge_style: 'string',
      description: 'string',
      empty: 'boolean',
      external_tracker: { ref: 'ExternalTracker' },
      external_wiki: { ref: 'ExternalWiki' },
      fork: 'boolean',
      forks_count: 'integer',
      full_name: 'string',
      has_actions: 'boolean',
      has_code: 'boolean',
      has_issues: 'boolean',
      has_packages: 'boolean',
      has_projects: 'boolean',
      has_pull_requests: 'boolean',
      has_releases: 'boolean',
      has_wiki: 'boolean',
      html_url: 'string',
      id: 'integer',
      ignore_whitespace_conflicts: 'boolean',
      internal: 'boolean',
      internal_tracker: { ref: 'InternalTracker' },
      language: 'string',
      languages_url: 'string',
      licenses: 'string[]',
      link: 'string',
      mirror: 'boolean',
      mirror_interval: 'string',
      mirror_updated: 'date-time',
      name: 'string',
      object_format_name: { enum: ['sha1', 'sha256'] },
      open_issues_count: 'integer',
      open_pr_counter: 'integer',
      original_url: 'string',
      owner: { ref: 'User' },
      parent: { ref: 'Repository' },
      permissions: { ref: 'Permission' },
      private: 'boolean',
      projects_mode: 'string',
      release_counter: 'integer',
      repo_transfer: { ref: 'RepoTransfer' },
      size: 'integer',
      ssh_url: 'string',
      stars_count: 'integer',
      template: 'boolean',
      topics: 'string[]',
      updated_at: 'date-time',
      url: 'string',
      watchers_count: 'integer',
      website: 'string',
    },
    required: [
      'id',
      'name',
      'full_name',
      'owner',
      'private',
      'empty',
      'default_branch',
      'clone_url',
      'html_url',
      'ssh_url',
      'created_at',
      'updated_at',
      'permissions',
    ],
  },
  /** Request bodies: what the platform's clients and scripts may send. */
  CreateRepoOption: {
    properties: {
      auto_init: 'boolean',
      default_branch: 'string',
      description: 'string',
      gitignores: 'string',
      issue_labels: 'string',
      license: 'string',
      name: 'string',
      object_format_name: { enum: ['sha1', 'sha256'] },
      private: 'boolean',
      readme: 'string',
      template: 'boolean',
      trust_model: { enum: ['default', 'collaborator', 'committer', 'collaboratorcommitter'] },
    },
    required: ['name'],
  },
  CreateOrgOption: {
    properties: {
      description: 'string',
      email: 'string',
      full_name: 'string',
      location: 'string',
      repo_admin_change_team_access: 'boolean',
      username: 'string',
      visibility: { enum: ['public', 'limited', 'private'] },
      website: 'string',
    },
    required: ['username'],
  },
  /** Not used by the platform: any object passes. */
  ExternalTracker: { properties: {} },
  ExternalWiki: { properties: {} },
  RepoTransfer: { properties: {} },
};

const OPEN = new Set(['ExternalTracker', 'ExternalWiki', 'RepoTransfer']);

function schema(property: Property): object {
  if (typeof property === 'object') {
    return 'ref' in property
      ? { $ref: `#/definitions/${property.ref}` }
      : { type: 'string', enum: property.enum };
  }
  switch (property) {
    case 'date-time':
      // Go's time.Time: RFC 3339, seconds, a zone.
      return {
        type: 'string',
        pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$',
      };
    case 'string[]':
      return { type: 'array', items: { type: 'string' } };
    default:
      return { type: property };
  }
}

const definitions = Object.fromEntries(
  Object.entries(DEFINITIONS).map(([name, d]) => [
    name,
    {
      type: 'object',
      properties: Object.fromEntries(Object.entries(d.properties).map(([k, p]) => [k, schema(p)])),
      required: d.required ?? [],
      additionalProperties: OPEN.has(name),
    },
  ]),
);

const ajv = new Ajv({ allErrors: true, strict: false });
const validators = new Map<string, ValidateFunction>();

/** Problems of `value` against the swagger definition `name` (an array for `name[]`), none when it conforms. */
export function swaggerProblems(name: string, value: unknown): string[] {
  let validate = validators.get(name);
  if (validate === undefined) {
    const list = name.endsWith('[]');
    const ref = { $ref: `#/definitions/${list ? name.slice(0, -2) : name}` };
    validate = ajv.compile({ definitions, ...(list ? { type: 'array', items: ref } : ref) });
    validators.set(name, validate);
  }
  if (validate(value)) return [];
  return (validate.errors ?? []).map(
    (e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
  );
}
