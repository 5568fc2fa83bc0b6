/**
 * The options of one `helm template` run, as the repo server fills argo-cd `util/helm/cmd.go`
 * TemplateOpts. Maps keep Go's last-assignment-wins for repeated parameter names.
 */
export interface TemplateOpts {
  name: string;
  namespace: string;
  kubeVersion: string;
  apiVersions: string[];
  set: Map<string, string>;
  setString: Map<string, string>;
  setFile: Map<string, string>;
  /** Value files, resolved to absolute paths (or http(s) URLs), in the Application's order. */
  values: string[];
  /** The temporary file holding `helm.values` / `helm.valuesObject`, if any. */
  extraValues?: string;
  skipCrds: boolean;
  skipSchemaValidation: boolean;
  skipTests: boolean;
}

/** `(*Cmd).template`'s argument list for the chart at `chartPath` (the repo server passes "."). */
export function templateArgs(chartPath: string, opts: TemplateOpts): string[] {
  const args = ['template', chartPath, '--name-template', opts.name];
  if (opts.namespace !== '') args.push('--namespace', opts.namespace);
  if (opts.kubeVersion !== '') args.push('--kube-version', opts.kubeVersion);
  for (const [key, value] of opts.set) args.push('--set', `${key}=${cleanSetParameters(value)}`);
  for (const [key, value] of opts.setString) args.push('--set-string', `${key}=${cleanSetParameters(value)}`);
  for (const [key, value] of opts.setFile) args.push('--set-file', `${key}=${cleanSetParameters(value)}`);
  for (const file of opts.values) args.push('--values', file);
  if (opts.extraValues !== undefined) args.push('--values', opts.extraValues);
  for (const version of opts.apiVersions) args.push('--api-versions', version);
  if (!opts.skipCrds) args.push('--include-crds');
  if (opts.skipSchemaValidation) args.push('--skip-schema-validation');
  if (opts.skipTests) args.push('--skip-tests');
  return args;
}

/**
 * `cleanSetParameters`: a parameter value is one value to Helm, so its commas are escaped (unless
 * already escaped); a `{...}` value is Helm's list syntax and passes as it is.
 */
export function cleanSetParameters(value: string): string {
  if (value.startsWith('{') && value.endsWith('}')) return value;
  let out = '';
  let previous = '';
  for (const char of value) {
    out += char === ',' && previous !== '\\' ? '\\,' : char;
    previous = char;
  }
  return out;
}

/**
 * `v1alpha1.Env.Envsubst` (Go's `os.Expand`): `$NAME` and `${NAME}` become the build environment's
 * value, or nothing when it has no such variable; `$$` is a literal `$`.
 */
export function envsubst(text: string, env: Record<string, string>): string {
  let out = '';
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i] ?? '';
    if (char !== '$' || i + 1 >= text.length) {
      out += char;
      continue;
    }
    const { name, width } = shellName(text.slice(i + 1));
    if (name === '' && width === 0) out += char;
    else if (name !== '') out += name === '$' ? '$' : (env[name] ?? '');
    i += width;
  }
  return out;
}

/** Go's `getShellName`: the variable name after a `$` and how many characters it spans. */
function shellName(rest: string): { name: string; width: number } {
  if (rest.startsWith('{')) {
    if (rest.length > 2 && isSpecial(rest[1] ?? '') && rest[2] === '}')
      return { name: rest[1] ?? '', width: 3 };
    const close = rest.indexOf('}', 1);
    if (close < 0) return { name: '', width: 1 };
    if (close === 1) return { name: '', width: 2 };
    return { name: rest.slice(1, close), width: close + 1 };
  }
  if (isSpecial(rest[0] ?? '')) return { name: rest[0] ?? '', width: 1 };
  let width = 0;
  while (width < rest.length && /[A-Za-z0-9_]/.test(rest[width] ?? '')) width += 1;
  return { name: rest.slice(0, width), width };
}

function isSpecial(char: string): boolean {
  return char !== '' && '*#$@!?-0123456789'.includes(char);
}
