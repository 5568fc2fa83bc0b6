/** How long a health probe may take; a probe that is slower counts as a failure. */
export interface ProbeOptions {
  timeoutMs?: number;
}

/** The Argo Workflows server's build, as `GET /api/v1/version` reports it. */
export interface ArgoWorkflowsVersion {
  version: string;
  [key: string]: unknown;
}

/** Who Argo CD takes the caller for (`GET /api/v1/session/userinfo`); false fields are omitted on the wire. */
export interface ArgoCdUserInfo {
  loggedIn?: boolean;
  username?: string;
  iss?: string;
  groups?: string[];
}
