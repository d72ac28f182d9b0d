// Prints the hottest functions of V8 CPU profiles (`node --cpu-prof`): self time and inclusive time.
// Usage: node --import tsx bench/suite/profile-summary.ts FILE.cpuprofile [--top 25]
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

interface HotSpot {
  name: string;
  selfMs: number;
  selfPercent: number;
  totalMs: number;
  totalPercent: number;
}

function frameName(f: CallFrame): string {
  const where = f.url ? `${relative(process.cwd(), f.url.replace(/^file:\/\//, ''))}:${f.lineNumber + 1}` : '';
  return `${f.functionName || '(anonymous)'}${where ? ` ${where}` : ''}`;
}

/** Self and inclusive time per function (same name and location merged), busiest first by self time. */
function hotSpots(profile: CpuProfile): { spots: HotSpot[]; busyMs: number; idleMs: number } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let busyUs = 0;
  let idleUs = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    const node = byId.get(id);
    if (!node) return;
    const name = frameName(node.callFrame);
    if (node.callFrame.functionName === '(idle)') {
      idleUs += dt;
      return;
    }
    busyUs += dt;
    self.set(name, (self.get(name) ?? 0) + dt);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur);
      if (!n) break;
      const nm = frameName(n.callFrame);
      if (seen.has(nm)) continue;
      seen.add(nm);
      total.set(nm, (total.get(nm) ?? 0) + dt);
    }
  });
  const spots = [...self.entries()]
    .map(([name, us]) => ({
      name,
      selfMs: us / 1000,
      selfPercent: (100 * us) / Math.max(1, busyUs),
      totalMs: (total.get(name) ?? us) / 1000,
      totalPercent: (100 * (total.get(name) ?? us)) / Math.max(1, busyUs),
    }))
    .sort((a, b) => b.selfMs - a.selfMs);
  return { spots, busyMs: busyUs / 1000, idleMs: idleUs / 1000 };
}

function main(): void {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '25' } } });
  const top = Number(values.top);
  for (const file of positionals) {
    const { spots, busyMs, idleMs } = hotSpots(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile);
    process.stdout.write(`${file}: busy ${(busyMs / 1000).toFixed(1)} s, idle ${(idleMs / 1000).toFixed(1)} s\n`);
    process.stdout.write('self %  self ms   incl %  function\n');
    for (const s of spots.slice(0, top)) {
      process.stdout.write(`${s.selfPercent.toFixed(1).padStart(6)} ${s.selfMs.toFixed(0).padStart(8)} ${s.totalPercent.toFixed(1).padStart(8)}  ${s.name}\n`);
    }
  }
}

main();
