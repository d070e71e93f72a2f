/**
 * Job scripts for running a sweep on many machines with an existing engine: a Slurm job array
 * or a Kubernetes Indexed Job. Each task runs one shard into its own directory; `overparam sweep
 * merge` joins them. Paths are written as given, so give absolute ones for a cluster.
 */
export interface EmitOptions {
  readonly sweepFile: string;
  readonly outDir: string;
  readonly name: string;
  /** Tasks (shards); default one per cell, at most 100. */
  readonly tasks: number;
  /** The command that runs overparam on the cluster's nodes. */
  readonly command: string;
  /** Worker processes per task (`--jobs`), and so CPUs per task. */
  readonly jobs: number;
}

const quote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

export function slurmScript(o: EmitOptions): string {
  return [
    '#!/bin/bash',
    `# overparam sweep '${o.name}' as a Slurm job array of ${o.tasks} tasks; submit with: sbatch THIS_FILE`,
    `#SBATCH --job-name=overparam-${o.name}`,
    `#SBATCH --array=0-${o.tasks - 1}`,
    `#SBATCH --cpus-per-task=${o.jobs}`,
    `#SBATCH --output=${o.outDir}/slurm-%A_%a.out`,
    'set -euo pipefail',
    '# Each task reads its shard from SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT and writes its own',
    '# directory; a rerun of the array skips finished runs and resumes the others from their checkpoints.',
    `${o.command} sweep ${quote(o.sweepFile)} --out ${quote(o.outDir)}/shard-"$SLURM_ARRAY_TASK_ID" --jobs ${o.jobs}`,
    `# When every task has ended: ${o.command} sweep merge --out ${quote(o.outDir)}/merged ${quote(o.outDir)}/shard-*`,
    '',
  ].join('\n');
}

export function kubernetesJob(o: EmitOptions): string {
  return [
    `# overparam sweep '${o.name}' as a Kubernetes Indexed Job of ${o.tasks} completions; apply with: kubectl apply -f THIS_FILE`,
    '# The image must hold overparam and the sweep file; /results should be a volume all pods share.',
    'apiVersion: batch/v1',
    'kind: Job',
    'metadata:',
    `  name: overparam-${o.name.toLowerCase().replace(/[^a-z0-9-]/g, '-')}`,
    'spec:',
    `  completions: ${o.tasks}`,
    `  parallelism: ${o.tasks}`,
    '  completionMode: Indexed',
    '  backoffLimit: 3',
    '  template:',
    '    spec:',
    '      restartPolicy: OnFailure',
    '      containers:',
    '        - name: sweep',
    '          image: overparam:latest',
    `          command: ["sh", "-c", ${JSON.stringify(`${o.command} sweep ${o.sweepFile} --out ${o.outDir}/shard-$JOB_COMPLETION_INDEX --shard-count ${o.tasks} --jobs ${o.jobs}`)}]`,
    '          resources:',
    `            requests: { cpu: "${o.jobs}" }`,
    '',
  ].join('\n');
}
