import { BackendUnavailableError, ConfigError, OverparamError } from '@overparam/core';
import { expect, test } from 'vitest';
import { describeError, UsageError } from './errors';

const flagOf = (field: string) => (field === 'archOptions.depth' ? '--depth' : undefined);

test('config errors are usage errors named by flag when one sets the field', () => {
  expect(describeError(new ConfigError('archOptions.depth', 'too small'), flagOf, false)).toEqual({ lines: ['overparam: --depth: too small'], code: 2 });
  expect(describeError(new ConfigError('schedule.factor', 'must be > 0'), flagOf, false)).toEqual({ lines: ['overparam: schedule.factor: must be > 0'], code: 2 });
  expect(describeError(new UsageError('--lr', 'bad'), flagOf, false)).toEqual({ lines: ['overparam: --lr: bad'], code: 2 });
});

test('an unavailable backend is blamed on --backend', () => {
  const described = describeError(new BackendUnavailableError('node', 'not installed'), flagOf, false);
  expect(described).toEqual({ lines: ["overparam: --backend: backend 'node' is not available: not installed"], code: 2 });
});

test('expected failures print their message; unexpected ones one line and a hint, or the stack with --verbose', () => {
  expect(describeError(new OverparamError('RUN_IO', 'disk full'), flagOf, false)).toEqual({ lines: ['overparam: disk full'], code: 1 });

  const bug = new TypeError('x is undefined');
  const quiet = describeError(bug, flagOf, false);
  expect(quiet.code).toBe(1);
  expect(quiet.lines).toEqual(['overparam: unexpected error: TypeError: x is undefined (rerun with --verbose for the stack trace)']);

  const loud = describeError(bug, flagOf, true);
  expect(loud.code).toBe(1);
  expect(loud.lines.join('\n')).toContain(bug.stack!);
});
