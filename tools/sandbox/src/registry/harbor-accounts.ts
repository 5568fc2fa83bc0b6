import { randomBytes, timingSafeEqual } from 'node:crypto';

/** What a principal may do in a project's repositories (Harbor's repository actions). */
export type RegistryAction = 'pull' | 'push' | 'delete';

export interface HarborProject {
  name: string;
  public: boolean;
  createdAt: Date;
}

export interface RobotPermission {
  /** A project name, or `*` for every project (a system robot "covering all projects"). */
  namespace: string;
  actions: RegistryAction[];
}

export interface RobotAccount {
  /** `robot$<project>+<name>` (project robot) or `robot$<name>` (system robot). */
  name: string;
  secret: string;
  level: 'project' | 'system';
  permissions: RobotPermission[];
}

/** Who a request is: Harbor's admin, a robot account, or nobody (anonymous). */
export type Principal = { kind: 'admin' } | { kind: 'robot'; robot: RobotAccount } | { kind: 'anonymous' };

export const ROBOT_PREFIX = 'robot$';
const PROJECT_NAME = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const ROBOT_NAME = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

export class HarborAccountError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HarborAccountError';
  }
}

/**
 * Harbor's projects and robot accounts (goharbor/harbor `src/controller/robot`,
 * `src/server/middleware/security/robot.go`): a project robot acts in its own project only, a
 * system robot in the projects its permissions name (`*`: all). Anonymous users may pull from
 * public projects and nothing else; the admin may do everything.
 */
export class HarborAccounts {
  private readonly projects = new Map<string, HarborProject>();
  private readonly robots = new Map<string, RobotAccount>();

  constructor(
    readonly adminUsername: string,
    private readonly adminPassword: string,
  ) {}

  createProject(name: string, options: { public?: boolean } = {}): HarborProject {
    if (!PROJECT_NAME.test(name) || name.length > 255) {
      throw new HarborAccountError(
        400,
        'BAD_REQUEST',
        `project name is not in lower case or contains illegal characters`,
      );
    }
    if (this.projects.has(name)) {
      throw new HarborAccountError(409, 'CONFLICT', `The project named ${name} already exists`);
    }
    const project = { name, public: options.public === true, createdAt: new Date() };
    this.projects.set(name, project);
    return project;
  }

  /** The project, creating it (private) when missing: what a platform team's onboarding does. */
  ensureProject(name: string): HarborProject {
    return this.projects.get(name) ?? this.createProject(name);
  }

  project(name: string): HarborProject | undefined {
    return this.projects.get(name);
  }

  /**
   * A robot account. With `project` it is `robot$<project>+<name>` acting in that project only;
   * without, a system robot `robot$<name>` acting where `permissions` say.
   */
  createRobot(spec: {
    name: string;
    project?: string;
    actions: RegistryAction[];
    namespaces?: string[];
    /** Harbor lets an admin set a robot's secret (PATCH /robots/{id}/secret); default: generated. */
    secret?: string;
  }): RobotAccount {
    if (!ROBOT_NAME.test(spec.name)) {
      throw new HarborAccountError(
        400,
        'BAD_REQUEST',
        `robot name is not in lower case or contains illegal characters`,
      );
    }
    const namespaces = spec.project === undefined ? (spec.namespaces ?? ['*']) : [spec.project];
    for (const namespace of namespaces) {
      if (namespace !== '*' && !this.projects.has(namespace)) {
        throw new HarborAccountError(404, 'NOT_FOUND', `project ${namespace} not found`);
      }
    }
    const name = `${ROBOT_PREFIX}${spec.project === undefined ? spec.name : `${spec.project}+${spec.name}`}`;
    if (this.robots.has(name)) {
      throw new HarborAccountError(409, 'CONFLICT', `robot account ${name} already exists`);
    }
    const robot: RobotAccount = {
      name,
      secret: spec.secret ?? robotSecret(),
      level: spec.project === undefined ? 'system' : 'project',
      permissions: namespaces.map((namespace) => ({ namespace, actions: [...spec.actions] })),
    };
    this.robots.set(name, robot);
    return robot;
  }

  robot(name: string): RobotAccount | undefined {
    return this.robots.get(name);
  }

  /**
   * Basic credentials as Harbor's security middleware judges them: a `robot$` name is looked up
   * among robots, any other against the admin; a wrong secret leaves the request anonymous.
   */
  authenticate(username: string, password: string): Principal {
    if (username.startsWith(ROBOT_PREFIX)) {
      const robot = this.robots.get(username);
      return robot !== undefined && sameText(robot.secret, password) ? { kind: 'robot', robot } : ANONYMOUS;
    }
    return username === this.adminUsername && sameText(this.adminPassword, password)
      ? { kind: 'admin' }
      : ANONYMOUS;
  }

  /** Whether `principal` may do `action` in the repositories of `project` (which must exist). */
  can(principal: Principal, project: string, action: RegistryAction): boolean {
    const target = this.projects.get(project);
    if (target === undefined) return false;
    switch (principal.kind) {
      case 'admin':
        return true;
      case 'anonymous':
        return target.public && action === 'pull';
      case 'robot':
        return (
          (target.public && action === 'pull') ||
          principal.robot.permissions.some(
            (p) => (p.namespace === '*' || p.namespace === project) && p.actions.includes(action),
          )
        );
    }
  }

  clear(): void {
    this.projects.clear();
    this.robots.clear();
  }
}

export const ANONYMOUS: Principal = { kind: 'anonymous' };

/** Harbor generates 32 characters with upper case, lower case and digits. */
function robotSecret(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  for (;;) {
    const secret = [...randomBytes(32)].map((b) => alphabet[b % alphabet.length]).join('');
    if (/[A-Z]/.test(secret) && /[a-z]/.test(secret) && /[0-9]/.test(secret)) return secret;
  }
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
