/** How the workflows' argocd CLI connects to the Argo CD server. */
export const ARGOCD_CLI_TLS_MODES = ['verify', 'insecure', 'plaintext'] as const;
export type ArgoCdCliTls = (typeof ARGOCD_CLI_TLS_MODES)[number];

/**
 * The value of the WorkflowTemplates' `argocd-tls` parameter (a global flag of the argocd CLI,
 * passed in ARGOCD_OPTS): `--plaintext` for a server without TLS, `--insecure` for TLS whose
 * certificate is not verified, nothing when the argocd image trusts the certificate. Without a
 * choice it follows the services' own connection: an `http://` URL is plaintext, a skipped
 * verification is insecure.
 */
export function argocdTlsFlag(
  mode: ArgoCdCliTls | undefined,
  serverUrl: URL,
  insecureSkipTlsVerify: boolean,
): '' | '--insecure' | '--plaintext' {
  const effective =
    mode ?? (serverUrl.protocol === 'http:' ? 'plaintext' : insecureSkipTlsVerify ? 'insecure' : 'verify');
  switch (effective) {
    case 'plaintext':
      return '--plaintext';
    case 'insecure':
      return '--insecure';
    case 'verify':
      return '';
  }
}
