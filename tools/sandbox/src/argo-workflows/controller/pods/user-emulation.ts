/**
 * Running a step as its image's user (setpriv) and giving volumes to root or to an fsGroup
 * (chown) needs root. CI runs the sandbox as root, so every permission a cluster enforces is
 * enforced. Elsewhere (`npm start` on a laptop) steps run as the sandbox's own user and volumes
 * stay its own: a step that a cluster would refuse a write can succeed there. That is accepted
 * for local development, where the tests that check ownership are not what runs, and said once.
 */
export function emulatesUsers(): boolean {
  return process.getuid?.() === 0;
}

let warned = false;

/** Says once, on stderr, why permissions are not enforced (the sandbox does not run as root). */
export function warnIfUsersNotEmulated(): void {
  if (warned || emulatesUsers()) return;
  warned = true;
  console.warn(
    `sandbox: uid emulation is off (the sandbox runs as uid ${process.getuid?.() ?? '?'}, not root): ` +
      "workflow steps run as this user instead of their image's, so volume permissions are not enforced",
  );
}
