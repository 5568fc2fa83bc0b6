import type { GitUser } from './git-accounts';
import { isOwner, type Organization } from './git-organizations';
import { RepoExistsError, type GitRepositories, type RepoInfo } from './git-repositories';
import { bind, type FieldSpec } from './gitea-binding';
import { repoNameRefusal } from './gitea-names';
import { commitFiles } from './git-commit';
import type { IncomingMessage } from 'node:http';

/** api.CreateRepoOption with its binding tags (modules/structs/repo.go). */
const CREATE_REPO_OPTION: FieldSpec[] = [
  { go: 'Name', key: 'name', type: 'string', rules: ['Required', 'AlphaDashDot', { maxSize: 100 }] },
  { go: 'Description', key: 'description', type: 'string', rules: [{ maxSize: 2048 }] },
  { go: 'Private', key: 'private', type: 'bool' },
  { go: 'IssueLabels', key: 'issue_labels', type: 'string' },
  { go: 'AutoInit', key: 'auto_init', type: 'bool' },
  { go: 'Template', key: 'template', type: 'bool' },
  { go: 'Gitignores', key: 'gitignores', type: 'string' },
  { go: 'License', key: 'license', type: 'string' },
  { go: 'Readme', key: 'readme', type: 'string' },
  { go: 'DefaultBranch', key: 'default_branch', type: 'string', rules: ['GitRefName', { maxSize: 100 }] },
  { go: 'TrustModel', key: 'trust_model', type: 'string' },
  { go: 'ObjectFormatName', key: 'object_format_name', type: 'string', rules: [{ maxSize: 6 }] },
];

/** The only README template Gitea ships (options/readme/Default). */
const README_TEMPLATES = ['Default'];
const LABEL_SETS = ['', 'Default', 'Advanced'];

export interface CreateRepoOption {
  name: string;
  description: string;
  private: boolean;
  issueLabels: string;
  autoInit: boolean;
  template: boolean;
  gitignores: string;
  license: string;
  readme: string;
  defaultBranch: string;
  objectFormatName: string;
}

export type CreateRepoOutcome =
  { status: 201; repo: RepoInfo } | { status: 400 | 409 | 422 | 500; message: string };

/** `bind(api.CreateRepoOption{})`: the option, or the 422 message. */
export async function bindCreateRepoOption(
  req: IncomingMessage,
): Promise<{ ok: true; option: CreateRepoOption } | { ok: false; message: string }> {
  const bound = await bind(req, 'CreateRepoOption', CREATE_REPO_OPTION);
  if (!bound.ok) return bound;
  const v = bound.values;
  return {
    ok: true,
    option: {
      name: v.text('name'),
      description: v.text('description'),
      private: v.flag('private'),
      issueLabels: v.text('issue_labels'),
      autoInit: v.flag('auto_init'),
      template: v.flag('template'),
      gitignores: v.text('gitignores'),
      license: v.text('license'),
      readme: v.text('readme'),
      defaultBranch: v.text('default_branch'),
      objectFormatName: v.text('object_format_name'),
    },
  };
}

/**
 * routers/api/v1/repo/repo.go CreateUserRepo and services/repository/create.go, once the caller
 * may create repositories in the organization. The answers and messages are Gitea's, including
 * the 500 a name with characters the binding let through (`a..b`) gets.
 */
export async function createRepo(
  repos: GitRepositories,
  org: Organization,
  doer: GitUser,
  option: CreateRepoOption,
): Promise<CreateRepoOutcome> {
  const readme = option.autoInit && option.readme === '' ? 'Default' : option.readme;
  if (option.autoInit && readme !== '' && !README_TEMPLATES.includes(readme)) {
    return {
      status: 400,
      message: `readme template does not exist, available templates: [${README_TEMPLATES.join(' ')}]`,
    };
  }
  if (!LABEL_SETS.includes(option.issueLabels)) {
    return {
      status: 422,
      message: `failed to load label template file "${option.issueLabels}": label template does not exist`,
    };
  }
  const refusal = repoNameRefusal(option.name);
  if (refusal !== undefined) {
    // ErrNameCharsNotAllowed is not among the errors CreateUserRepo maps: APIErrorInternal, whose
    // message a production server leaves empty for non-admins.
    return refusal.kind === 'chars'
      ? { status: 500, message: doer.isAdmin ? refusal.message : '' }
      : { status: 422, message: refusal.message };
  }
  const format = option.objectFormatName === '' ? 'sha1' : option.objectFormatName;
  if (format !== 'sha1' && format !== 'sha256') return { status: 500, message: '' };
  // The sandbox keeps no .gitignore or licence templates: a server without the template fails so.
  if (option.autoInit && (option.gitignores !== '' || option.license !== ''))
    return { status: 500, message: '' };
  let repo: RepoInfo;
  try {
    repo = await repos.create({
      owner: org.name,
      name: option.name,
      description: option.description,
      private: option.private,
      template: option.template,
      defaultBranch: option.defaultBranch === '' ? 'main' : option.defaultBranch,
      objectFormat: format,
      // A creator who does not own the organization is made the repository's admin.
      collaborators: doer.isAdmin || isOwner(org, doer.login) ? {} : { [doer.login]: 'admin' },
    });
  } catch (error) {
    if (error instanceof RepoExistsError) {
      return { status: 409, message: 'The repository with the same name already exists.' };
    }
    throw error;
  }
  if (option.autoInit) {
    const text = `# ${option.name}\n\n${option.description}`;
    await commitFiles(
      repos.pathOf(org.name, repo.name),
      repo.defaultBranch,
      { 'README.md': text },
      {
        name: doer.login,
        email: `${doer.login}@sandbox.local`,
        message: 'Initial commit',
      },
    );
    return { status: 201, repo: await repos.mustInfo(org.name, repo.name) };
  }
  return { status: 201, repo };
}
