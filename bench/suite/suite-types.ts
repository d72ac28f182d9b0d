import type { BenchResult } from '../context.js';
import type { ScenarioName } from '../options.js';
import type { MachineInfo } from './machine-info.js';
import type { ServerKind } from './server-launcher.js';

/** One scenario run against one server in the suite. */
export interface SuiteRun {
  kind: ServerKind;
  round: number;
  scenario: ScenarioName;
  /** Distinguishes runs of one scenario with different settings (latency: own half ceiling, common rate). */
  variant: string;
  result: BenchResult;
  /** CPU other processes used during the run, in cores (machine busy minus server minus generator). */
  foreignLoadCores: number;
  /** The same, measured just before the run (the suite waits for a quiet machine first). */
  foreignLoadBeforeCores: number;
}

export interface SuiteReport {
  machine: MachineInfo;
  command: string;
  /** How server and generator were placed: cores and niceness. */
  placement: string;
  runs: SuiteRun[];
}
