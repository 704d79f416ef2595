// CPU time used by each process of a benchmark run, from Linux's /proc: the reference
// server, this Node process (the front server and the driver) and every Chromium process
// it started, by kind, with the renderer's main thread on its own. Taken before and after
// a load, it says whether the load waited on the network or on the machine's cores, and
// whose work filled them. Elsewhere than Linux, `cpuSnapshot` returns null.
import { readdirSync, readFileSync } from 'node:fs';

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** `[utime + stime]` in ms of a `/proc/<pid>[/task/<tid>]/stat`, and its parent pid. */
function stat(path) {
  const text = readFileSync(path, 'utf8');
  // The command name is in parentheses and may hold spaces: fields follow its last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { ppid: Number(fields[1]), ms: (Number(fields[11]) + Number(fields[12])) * TICK_MS };
}

function kindOf(pid, serverPid) {
  if (pid === serverPid) return 'reference server';
  if (pid === process.pid) return 'front server and driver (Node)';
  // Chromium's child processes rewrite their command line as one string with spaces.
  const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/);
  const type = args.find((a) => a.startsWith('--type='))?.slice(7);
  if (type === 'renderer') return 'renderer, other threads';
  if (type === 'gpu-process') return 'GPU process';
  if (type === 'utility') return args.some((a) => a.includes('NetworkService')) ? 'network service' : 'other utility';
  if (type === 'zygote') return 'other (zygote)';
  return type ? `other (${type})` : 'browser process';
}

/** CPU ms so far of each of our processes (and each thread of a renderer), with its
 * kind; null where /proc cannot be read. */
export function cpuSnapshot(serverPid) {
  let pids;
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number);
  } catch {
    return null;
  }
  const parent = new Map();
  for (const pid of pids) {
    try { parent.set(pid, stat(`/proc/${pid}/stat`).ppid); } catch { /* gone */ }
  }
  const ours = (pid) => {
    for (let p = pid; p > 1; p = parent.get(p) ?? 0) if (p === process.pid) return true;
    return pid === serverPid;
  };
  const totals = new Map();
  const add = (key, kind, ms) => totals.set(key, { kind, ms });
  for (const pid of pids.filter(ours)) {
    try {
      const kind = kindOf(pid, serverPid);
      if (kind !== 'renderer, other threads') {
        add(String(pid), kind, stat(`/proc/${pid}/stat`).ms);
        continue;
      }
      // The renderer's main thread is the one whose id is the process id.
      for (const tid of readdirSync(`/proc/${pid}/task`).map(Number)) {
        add(`${pid}/${tid}`, tid === pid ? 'renderer main thread' : kind, stat(`/proc/${pid}/task/${tid}/stat`).ms);
      }
    } catch { /* a process that ended meanwhile */ }
  }
  return totals;
}

/** What each kind of process used between two snapshots (a process or thread that ended
 * meanwhile is not counted), largest first, and the total. */
export function cpuBetween(before, after) {
  if (!before || !after) return null;
  const byKind = {};
  for (const [key, { kind, ms }] of after) {
    byKind[kind] = (byKind[kind] ?? 0) + ms - (before.get(key)?.ms ?? 0);
  }
  const used = Object.entries(byKind)
    .filter(([, ms]) => ms > 0)
    .sort((a, b) => b[1] - a[1]);
  return { used, total: used.reduce((sum, [, ms]) => sum + ms, 0) };
}
