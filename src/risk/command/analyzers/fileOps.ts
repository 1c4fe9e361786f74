import type { Finding } from '../../types';
import type { SimpleCommand, Word } from '../model';
import { args, finding, hasFlag, optionValues, pathFindings, pathOf, positionals, type AnalyzerContext, type CommandAnalyzer } from './context';
import { looksLikePath } from '../../shared/paths';
import { isTestPath } from '../../diff/pathRules';

function copyLike(cmd: SimpleCommand, ctx: AnalyzerContext, withValue: string[]): Finding[] {
  const a = args(cmd);
  const out: Finding[] = [];
  const target = optionValues(a, '-t', '--target-directory')[0];
  const pos = positionals(a, withValue);
  const dest = target ?? pos.at(-1);
  const sources = target ? pos : pos.slice(0, -1);
  const isMove = cmd.argv[0]?.value.endsWith('mv');
  for (const s of sources) if (/^(\/usr)?\/bin\/(ba|da|z|k|c|tc|fi|mk)?sh$/.test(s.value)) out.push(finding('hidden-shell', `copies the shell ${s.text} to another name or place`, cmd, s.span));
  // A move within the workspace is a rename; a move out of it deletes from the workspace.
  const destInside = dest ? ['workspace', 'build-output'].includes(pathOf(dest, cmd, ctx).kind) : true;
  for (const s of sources) out.push(...pathFindings(s, isMove ? 'delete' : 'read', cmd, ctx, { recursive: true }).filter((f) => !isMove || !destInside || (f.rule !== 'delete-workspace-file' && f.rule !== 'delete-workspace-tree')));
  if (dest) out.push(...pathFindings(dest, 'write', cmd, ctx));
  return out;
}

const rm: CommandAnalyzer = {
  names: ['rm', 'rmdir', 'unlink', 'shred', 'srm', 'trash', 'trash-put'],
  analyze(cmd, ctx) {
    const a = args(cmd);
    const recursive = hasFlag(a, 'r', '--recursive') || hasFlag(a, 'R') || cmd.argv[0]?.value === 'rmdir';
    const targets = positionals(a);
    const out = targets.flatMap((t) => pathFindings(t, 'delete', cmd, ctx, { recursive }));
    if (cmd.argv[0]?.value.endsWith('shred') || cmd.argv[0]?.value === 'srm') out.push(finding('secure-delete', `${cmd.argv[0]?.text} overwrites files beyond recovery`, cmd));
    if (targets.length === 0 && cmd.stdinArgs) out.push(finding('delete-unknown', 'deletes paths read from its input', cmd));
    if (hasFlag(a, null, '--no-preserve-root')) out.push(finding('delete-system', 'rm --no-preserve-root', cmd));
    return out;
  },
};

const copy: CommandAnalyzer = {
  names: ['cp', 'mv', 'install', 'rsync-local'],
  analyze(cmd, ctx) {
    return copyLike(cmd, ctx, ['-S', '--suffix', '-m', '--mode', '-o', '--owner', '-g', '--group']);
  },
};

const writers: CommandAnalyzer = {
  names: ['touch', 'mkdir', 'tee', 'truncate', 'mkfifo', 'mknod'],
  analyze(cmd, ctx) {
    const a = args(cmd);
    const name = cmd.argv[0]?.value.split('/').pop();
    const out: Finding[] = [];
    const withValue = name === 'truncate' ? ['-s', '--size', '-r', '--reference'] : name === 'touch' ? ['-d', '-t', '-r', '--reference', '--date'] : name === 'mkdir' ? ['-m', '--mode'] : [];
    for (const p of positionals(a, withValue)) {
      const f = pathFindings(p, 'write', cmd, ctx);
      if (name === 'truncate' && pathOf(p, cmd, ctx).resolved.startsWith('/var/log')) out.push(finding('log-tamper', `truncates the log ${p.text}`, cmd, p.span));
      else if (name === 'truncate' && optionValues(a, '-s', '--size').some((s) => /^0+$/.test(s.value))) out.push(...pathFindings(p, 'delete', cmd, ctx));
      out.push(...f);
    }
    if (name === 'touch' && (hasFlag(a, null, '-r', '--reference', '-t', '-d', '--date') || a.some((w) => /^-[acm]*[rtd]$/.test(w.value)))) {
      out.push(finding('timestomp', 'sets file timestamps to chosen values', cmd));
    }
    return out;
  },
};

const link: CommandAnalyzer = {
  names: ['ln', 'link'],
  analyze(cmd, ctx) {
    const a = args(cmd);
    const pos = positionals(a, ['-t', '--target-directory', '-S', '--suffix']);
    const out: Finding[] = [];
    const target = pos[0];
    const linkName = pos[1];
    if (linkName) out.push(...pathFindings(linkName, 'write', cmd, ctx));
    if (target) {
      const info = pathOf(target, cmd, ctx);
      if (info.tags.includes('secret')) out.push(finding('secret-read', `links to ${target.text}, a secret file`, cmd, target.span));
      else if (!['workspace', 'build-output', 'temp'].includes(info.kind) && (!linkName || pathOf(linkName, cmd, ctx).kind === 'workspace')) {
        out.push(finding('symlink-outside', `links ${target.text} (outside the workspace) into it`, cmd, target.span));
      }
    }
    return out;
  },
};

const permissions: CommandAnalyzer = {
  names: ['chmod', 'chown', 'chgrp', 'setfacl', 'chattr', 'chflags', 'setcap'],
  analyze(cmd, ctx) {
    const a = args(cmd);
    const name = cmd.argv[0]?.value.split('/').pop();
    // chattr and chmod take modes that look like options (`-i`, `-x`): the first +/-/= word is the mode.
    const modeFirst = (name === 'chattr' || name === 'chmod') && /^[-+=][a-zA-Z]+$/.test(a[0]?.value ?? '') && !/^-(R|f|v|c|-)/.test(a[0]?.value ?? '');
    const pos = modeFirst ? a : positionals(a, ['--reference']);
    const out: Finding[] = [];
    const mode = name === 'chmod' || name === 'chown' || name === 'chgrp' || name === 'chattr' || name === 'chflags' || name === 'setfacl' ? pos[0] : undefined;
    const targets = mode ? pos.slice(1) : pos;
    if (name === 'setcap') {
      out.push(finding('chmod-setuid', 'grants file capabilities', cmd));
      return out;
    }
    if (name === 'chmod' && mode && /(^|[,ugoa])[ugoa]*[+=][rwxXt]*s|^[0-7]?[4-7][0-7]{3}$/.test(mode.value)) {
      out.push(finding('chmod-setuid', `chmod ${mode.text} sets the setuid/setgid bit`, cmd, mode.span));
    }
    if ((name === 'chown' || name === 'chgrp') && mode) out.push(finding('ownership-change', `${name} ${mode.text} changes file ownership`, cmd, mode.span));
    if (name === 'chmod' && mode && (/(^|,)[ugo]*[ao][ugo]*[+=][rwxXt]*w|(^|,)\+?w/.test(mode.value) || /^[0-7]?[0-7]{2}[2367]$/.test(mode.value))) out.push(finding('permissions-weaken', `chmod ${mode.text} makes files writable by everyone`, cmd, mode.span));
    if (name === 'chattr' && mode && /[-+=].*[ia]/.test(mode.value)) out.push(finding('hide-file', `chattr ${mode.text} makes files immutable or append-only`, cmd, mode.span));
    if (name === 'chflags' && mode && /hidden|schg|uchg|simmutable/.test(mode.value)) out.push(finding('hide-file', `chflags ${mode.text} hides or locks files`, cmd, mode.span));
    for (const t of targets) {
      const info = pathOf(t, cmd, ctx);
      if (info.tags.includes('airlock')) out.push(finding('policy-tamper', `changes permissions of ${t.text}, Airlock's own files`, cmd, t.span));
      else if (info.kind === 'workspace' || info.kind === 'build-output' || info.kind === 'temp') {
        if (info.tags.includes('protected') || info.tags.includes('git-internal')) out.push(finding('write-protected', `changes permissions of ${t.text}`, cmd, t.span));
        else out.push(finding('permissions-workspace', `changes permissions of ${t.text}`, cmd, t.span));
      } else if (info.kind === 'unknown') out.push(finding('write-unknown', `changes permissions of ${t.text}, a path known only at run time`, cmd, t.span));
      else out.push(finding(info.tags.includes('persistence') ? 'persistence' : 'permissions-outside', `changes permissions of ${t.text}, outside the workspace`, cmd, t.span));
    }
    return out;
  },
};

const dd: CommandAnalyzer = {
  names: ['dd'],
  analyze(cmd, ctx) {
    const out: Finding[] = [];
    for (const w of args(cmd)) {
      const m = /^(if|of)=(.*)$/s.exec(w.value);
      if (!m || m[2] === undefined) continue;
      const word: Word = { ...w, value: m[2], text: m[2] };
      out.push(...pathFindings(word, m[1] === 'if' ? 'read' : 'write', cmd, ctx));
    }
    // Overwriting a file with random bytes or zeros destroys it.
    const from = args(cmd).find((w) => /^if=\/dev\/(u?random|zero)$/.test(w.value));
    const to = args(cmd).find((w) => w.value.startsWith('of='));
    if (from && to) out.push(...pathFindings({ ...to, value: to.value.slice(3), text: to.text.replace(/^of=/, '') }, 'delete', cmd, ctx));
    return out;
  },
};

const disk: CommandAnalyzer = {
  names: ['mkfs', 'mkfs.ext4', 'mkfs.ext3', 'mkfs.xfs', 'mkfs.vfat', 'mkfs.btrfs', 'mke2fs', 'fdisk', 'sfdisk', 'parted', 'gdisk', 'wipefs', 'mkswap', 'swapon', 'swapoff', 'diskutil', 'blkdiscard', 'hdparm', 'badblocks', 'cryptsetup'],
  analyze(cmd) {
    return [finding('wipe-disk', `${cmd.argv[0]?.text} partitions, formats or wipes disks`, cmd)];
  },
};

/** sed: -i edits files in place; the `e` command and `s///e` run shell commands; `w FILE` writes. */
const sed: CommandAnalyzer = {
  names: ['sed', 'gsed'],
  analyze(cmd, ctx) {
    const a = args(cmd);
    const out: Finding[] = [];
    const scripts = optionValues(a, '-e', '--expression');
    const scriptFiles = optionValues(a, '-f', '--file');
    const pos = positionals(a, ['-e', '--expression', '-f', '--file', '-l', '--line-length']);
    const inPlace = a.some((w) => /^-[a-zA-Z]*i/.test(w.value) || w.value.startsWith('--in-place'));
    const program = scripts.length ? scripts : pos.slice(0, 1);
    const files = scripts.length || scriptFiles.length ? pos : pos.slice(1);
    for (const p of program) {
      if (p.dynamic) continue;
      if (sedRunsCommands(p.value)) out.push(finding('sed-exec', 'the sed script runs shell commands (e / s///e)', cmd, p.span));
      for (const target of sedWriteTargets(p.value)) out.push(...pathFindings({ ...p, value: target, text: target }, 'write', cmd, ctx));
    }
    for (const f of scriptFiles) out.push(...pathFindings(f, 'read', cmd, ctx));
    for (const f of files) out.push(...pathFindings(f, inPlace ? 'write' : 'read', cmd, ctx));
    // Deleting assertion lines from tests by pattern is test tampering, whatever tool does it.
    if (inPlace && program.some((p) => /\/[^/]*\b(assert|expect|should|assertEqual|toBe|t\.(is|equal))\b[^/]*\/\s*d\b/.test(p.value)) && files.some((f) => isTestPath(pathOf(f, cmd, ctx).relative ?? f.value))) {
      out.push(finding('test-assertion-removed', 'sed deletes assertion lines from a test file', cmd));
    }
    return out;
  },
};

/** `e` as a command (optionally addressed) or the `e` flag of `s`. Conservative: any doubt counts. */
function sedRunsCommands(script: string): boolean {
  for (const raw of script.split(/[;\n]/)) {
    const s = raw.trim().replace(/^(\d+|\$|\/(?:[^/\\]|\\.)*\/)(,(\d+|\$|\/(?:[^/\\]|\\.)*\/))?!?\s*/, '');
    if (/^e(\s|$)/.test(s)) return true;
    const sub = /^s(.)/.exec(s);
    if (sub?.[1]) {
      const d = sub[1].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const m = new RegExp(`^s${d}(?:[^\\\\]|\\\\.)*?${d}(?:[^\\\\]|\\\\.)*?${d}([a-zA-Z0-9]*)`).exec(s);
      if (m?.[1]?.includes('e')) return true;
    }
  }
  return false;
}

function sedWriteTargets(script: string): string[] {
  const out: string[] = [];
  for (const raw of script.split('\n')) {
    const s = raw.trim().replace(/^(\d+|\$|\/(?:[^/\\]|\\.)*\/)(,(\d+|\$|\/(?:[^/\\]|\\.)*\/))?!?\s*/, '');
    const w = /^[wW]\s+(\S.*)$/.exec(s);
    if (w?.[1]) out.push(w[1].trim());
    const sub = /^s(.)(?:[^\\]|\\.)*?\1(?:[^\\]|\\.)*?\1[gpiImM0-9]*w\s*(\S.*)$/.exec(s);
    if (sub?.[2]) out.push(sub[2].trim());
  }
  return out;
}

const patch: CommandAnalyzer = {
  names: ['patch'],
  analyze(cmd, ctx) {
    const a = args(cmd);
    const out: Finding[] = [];
    for (const o of optionValues(a, '-o', '--output')) out.push(...pathFindings(o, 'write', cmd, ctx));
    for (const d of optionValues(a, '-d', '--directory')) out.push(...pathFindings(d, 'write', cmd, ctx));
    for (const p of positionals(a, ['-p', '-i', '--input', '-o', '--output', '-d', '--directory', '-F', '-z', '-B', '-V', '-r', '-D'])) {
      if (looksLikePath(p.value) || /^[\w.-]+$/.test(p.value)) out.push(...pathFindings(p, 'write', cmd, ctx));
    }
    if (out.length === 0) out.push(finding('write-workspace', 'applies a patch in the working directory', cmd));
    return out;
  },
};

/** Archivers: extraction writes; some options run programs. */
const archive: CommandAnalyzer = {
  names: ['tar', 'zip', 'unzip', 'gzip', 'gunzip', 'bzip2', 'bunzip2', 'xz', 'unxz', '7z', '7za', 'cpio', 'ar', 'zstd', 'unzstd'],
  analyze(cmd, ctx) {
    const a = args(cmd);
    const name = cmd.argv[0]?.value.split('/').pop();
    const out: Finding[] = [];
    const execOpt = a.find((w) => /^--(checkpoint-action|to-command|use-compress-program|rsh-command|info-script|new-volume-script|rmt-command)\b/.test(w.value) || (name === 'tar' && /^-[A-Za-z]*I$/.test(w.value)) || (name === 'tar' && /^-[A-Za-z]*F$/.test(w.value)));
    if (execOpt) out.push(finding('archive-exec', `${name} ${execOpt.text} runs a program`, cmd, execOpt.span));
    if (name === 'zip' && (hasFlag(a, null, '-TT', '--unzip-command') || (hasFlag(a, 'T') && a.some((w) => w.value === '-TT')))) out.push(finding('archive-exec', 'zip -TT runs a program to test the archive', cmd));
    if (name === 'tar' && a.some((w) => /^[^-]*:/.test(w.value) && /@/.test(w.value))) out.push(finding('remote-shell', 'tar reads an archive from a remote host over ssh', cmd));
    const extract = name === 'tar' ? a.some((w) => /^-?[A-Za-z]*x/.test(w.value) && !w.value.startsWith('--')) || hasFlag(a, null, '--extract', '--get') : name === 'unzip' || name === 'cpio' && hasFlag(a, 'i') || hasFlag(a, 'd', '--decompress');
    for (const d of optionValues(a, '-C', '--directory').concat(name === 'unzip' ? optionValues(a, '-d') : [])) out.push(...pathFindings(d, 'write', cmd, ctx));
    for (const f of optionValues(a, '-f', '--file')) out.push(...pathFindings(f, extract ? 'read' : 'write', cmd, ctx));
    if (name === 'cpio' && hasFlag(a, 'p')) for (const d of positionals(a)) out.push(...pathFindings(d, 'write', cmd, ctx));
    if (name !== 'tar') {
      const pos = positionals(a, ['-d', '-x', '-i', '-o', '-P', '-p']);
      const [archiveFile, ...members] = pos;
      if (archiveFile) out.push(...pathFindings(archiveFile, extract ? 'read' : name === 'zip' || name === '7z' ? 'write' : 'read', cmd, ctx));
      for (const m of members) out.push(...pathFindings(m, 'read', cmd, ctx));
    } else {
      for (const m of positionals(a, ['-f', '--file', '-C', '--directory', '-T', '--files-from', '-X', '--exclude-from', '-b', '--blocking-factor', '--exclude', '-N', '--newer', '--owner', '--group', '--mode', '--transform', '--xform']).slice(/^[A-Za-z]+$/.test(a[0]?.value ?? '') ? 1 : 0)) {
        out.push(...pathFindings(m, 'read', cmd, ctx));
      }
    }
    return out;
  },
};

export const fileOpsAnalyzers = [rm, copy, writers, link, permissions, dd, disk, sed, patch, archive];
