/** A benchmark suite: runs its measurements on the active backend and emits one line for each. */
export interface Suite {
  readonly name: string;
  readonly description: string;
  /** Environment the suite wants before any backend loads (libtensorflow reads it once); a variable the caller set wins. */
  readonly env?: Readonly<Record<string, string>>;
  run(context: SuiteContext): Promise<void>;
}

export interface SuiteContext {
  /** Our name of the active backend (`cpu`, `wasm`, `node`). */
  readonly backend: string;
  readonly settings: BenchSettings;
  /** `--model`: substrings a workload name must contain (any of them); undefined runs every workload. */
  readonly models?: readonly string[];
}

export interface BenchSettings {
  /** Timed repetitions per measurement. */
  readonly reps: number;
  /** Roughly how long one repetition should last. */
  readonly targetSeconds: number;
  /** Bounds on the steps one repetition takes. */
  readonly minSteps: number;
  readonly maxSteps: number;
  readonly quick: boolean;
}

// One step of MLP-10-1000 takes ~17 s on the cpu backend here, so the floor is a single step:
// anything more would push the full run past ten minutes on a 2-core machine.
export const fullSettings: BenchSettings = { reps: 5, targetSeconds: 1, minSteps: 1, maxSteps: 200, quick: false };
export const quickSettings: BenchSettings = { reps: 2, targetSeconds: 0.2, minSteps: 1, maxSteps: 20, quick: true };
