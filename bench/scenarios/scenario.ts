/** What a scenario function returns; run-bench wraps it into a BenchResult. */
export interface ScenarioOutcome<T> {
  /** Generator CPU (fraction of one core) in the measurement windows, the highest of them. */
  generatorCpu: number;
  /** Generator CPU while connecting (informational: connect phases are not measurements of throughput). */
  connectGeneratorCpu?: number;
  problems: string[];
  data: T;
}
