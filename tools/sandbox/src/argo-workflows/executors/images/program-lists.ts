import type { ProgramList, ProgramSource } from './image-facts';
import { hostBusyboxApplets } from './host-programs';

/**
 * The busybox applets an Alpine image has on its PATH: the script-relevant ones its busybox
 * config enables (alpinelinux/aports main/busybox/busyboxconfig: coreutils, editors, finding,
 * archival, networking, process utilities, `sh` = ash; FEATURE_SH_STANDALONE off, so the shell
 * finds applets through PATH like any program). Only those this machine's busybox also has are
 * linked; Debian's build has nearly all of them.
 */
export const ALPINE_APPLETS: readonly string[] = [
  ...'[ [[ ash sh basename cat chgrp chmod chown chroot cksum comm cp cut date dd df dirname'.split(' '),
  ...'dos2unix unix2dos du echo env expand unexpand expr factor false fold fsync head hostid id'.split(' '),
  ...'groups install link ln ls md5sum sha1sum sha256sum sha512sum sha3sum mkdir mkfifo mknod'.split(' '),
  ...'mktemp mv nice nl nohup nproc od paste printenv printf pwd readlink realpath rm rmdir seq'.split(' '),
  ...'shred shuf sleep sort split stat stty sum sync tac tail tee test timeout touch tr true'.split(' '),
  ...'truncate tty uname uniq unlink usleep uudecode base64 uuencode wc whoami yes clear reset'.split(' '),
  ...'run-parts which awk cmp diff ed patch sed vi find grep egrep fgrep xargs su login passwd'.split(' '),
  ...'adduser addgroup deluser delgroup dmesg fallocate flock getopt hexdump hd xxd ionice more'.split(' '),
  ...'mount mountpoint nsenter rev setpriv setsid umount unshare crontab dc less strings time'.split(' '),
  ...'watch hostname dnsdomainname ifconfig ip nc netstat nslookup ping ping6 traceroute wget'.split(' '),
  ...'whois free fuser kill killall pgrep pkill pidof ps pwdx top uptime logger gunzip zcat'.split(' '),
  ...'bunzip2 bzcat bzip2 unlzma lzcat lzma unxz xzcat cpio gzip tar unzip'.split(' '),
];

/** Each applet an image's busybox has (`'all'`: every applet), where this machine's busybox installs it. */
export function busyboxPrograms(applets: readonly string[] | 'all'): Array<[string, ProgramSource]> {
  const host = hostBusyboxApplets();
  const wanted = applets === 'all' ? [...host.keys()] : applets;
  const out: Array<[string, ProgramSource]> = [];
  for (const applet of wanted) {
    const location = host.get(applet);
    if (location !== undefined) out.push([location, { kind: 'busybox', applet }]);
  }
  return out;
}

/** Programs of this machine installed in the image at `dir` under the same names. */
export function hostPrograms(dir: string, names: readonly string[]): Array<[string, ProgramSource]> {
  return names.map((name) => [`${dir}/${name}`, { kind: 'host', name }]);
}

/** A program at `containerPath` that the sandbox interprets under `name`. */
export function emulatedProgram(containerPath: string, name: string): [string, ProgramSource] {
  return [containerPath, { kind: 'emulated', name }];
}

/** One program list from several parts; a later part replaces an earlier one's path (apk's git over busybox). */
export function programList(...parts: Array<Array<[string, ProgramSource]>>): ProgramList {
  return new Map(parts.flat());
}

/**
 * What a Debian or Ubuntu base image ships on its PATH (its `Priority: required` packages:
 * coreutils, dash as /bin/sh, bash, grep, sed, findutils, diffutils, gzip, tar, hostname, mawk,
 * debianutils, util-linux, perl-base, login), as this machine's programs of the same names.
 */
export const DEBIAN_BASE_PROGRAMS: readonly string[] = [
  ...'[ arch b2sum base32 base64 basename basenc cat chcon chgrp chmod chown chroot cksum comm cp'.split(' '),
  ...'csplit cut date dd df dir dircolors dirname du echo env expand expr factor false fmt fold'.split(' '),
  ...'groups head hostid id install join link ln logname ls md5sum mkdir mkfifo mknod mktemp mv'.split(' '),
  ...'nice nl nohup nproc numfmt od paste pathchk pinky pr printenv printf ptx pwd readlink'.split(' '),
  ...'realpath rm rmdir runcon seq sha1sum sha224sum sha256sum sha384sum sha512sum shred shuf'.split(' '),
  ...'sleep sort split stat stdbuf stty sum sync tac tail tee test timeout touch tr true'.split(' '),
  ...'truncate tsort tty uname unexpand uniq unlink users vdir wc who whoami yes'.split(' '),
  ...'bash dash grep egrep fgrep sed find xargs diff diff3 sdiff cmp gzip gunzip zcat tar'.split(' '),
  ...'hostname mawk which run-parts tempfile savelog getopt more flock setpriv setsid su perl'.split(' '),
];

/** A Debian-family base: the programs above in /usr/bin, with dash as `sh` and mawk as `awk`. */
export function debianBasePrograms(): Array<[string, ProgramSource]> {
  return [
    ...hostPrograms('/usr/bin', DEBIAN_BASE_PROGRAMS),
    ['/usr/bin/sh', { kind: 'host', name: 'dash' }],
    ['/usr/bin/awk', { kind: 'host', name: 'mawk' }],
  ];
}
