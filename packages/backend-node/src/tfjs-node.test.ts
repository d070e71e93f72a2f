import { defaultWorkload } from '@overparam/core';
import { describe, expect, it } from 'vitest';
import { ONEDNN_MIN_WIDTH, onednnFor, onednnSetting, tensorflowEnv, threadSetting } from './tfjs-node';

describe('the environment libtensorflow loads with', () => {
  it('turns oneDNN on for conv nets, wide dense nets and replicas, and off for a solo narrow dense net', () => {
    expect(onednnFor(defaultWorkload)).toBe(false);
    expect(onednnFor({ convolutional: false, width: 100, replicas: 1 })).toBe(false);
    expect(onednnFor({ convolutional: false, width: ONEDNN_MIN_WIDTH - 1, replicas: 1 })).toBe(false);
    expect(onednnFor({ convolutional: false, width: ONEDNN_MIN_WIDTH, replicas: 1 })).toBe(true);
    expect(onednnFor({ convolutional: true, replicas: 1 })).toBe(true);
    expect(onednnFor({ convolutional: false, width: 100, replicas: 10 })).toBe(true);
    expect(onednnFor({ convolutional: false, width: 10, replicas: 10 })).toBe(true);
    expect(onednnFor({ convolutional: false, replicas: 10 })).toBe(true);
    // A group of width-1 nets (the c10 deep linear nets): matrix-vector products, faster without.
    expect(onednnFor({ convolutional: false, width: 1, replicas: 10 })).toBe(false);
  });

  it("keeps the user's TF_ENABLE_ONEDNN_OPTS whatever the workload, and says so", () => {
    const conv = { convolutional: true, replicas: 1 };
    expect(onednnSetting({}, conv)).toEqual({ onednn: true, onednnChosenBy: 'workload' });
    expect(onednnSetting({ TF_ENABLE_ONEDNN_OPTS: '0' }, conv)).toEqual({ onednn: false, onednnChosenBy: 'environment' });
    expect(onednnSetting({ TF_ENABLE_ONEDNN_OPTS: 'false' }, conv)).toEqual({ onednn: false, onednnChosenBy: 'environment' });
    expect(onednnSetting({ TF_ENABLE_ONEDNN_OPTS: '1' }, defaultWorkload)).toEqual({ onednn: true, onednnChosenBy: 'environment' });
    // An empty value is no choice (a shell's `VAR= cmd`).
    expect(onednnSetting({ TF_ENABLE_ONEDNN_OPTS: '' }, defaultWorkload)).toEqual({ onednn: false, onednnChosenBy: 'workload' });
  });

  it('quiets TensorFlow unless the user chose a log level, and writes the oneDNN decision', () => {
    expect(tensorflowEnv({}, { onednn: false, onednnChosenBy: 'workload' })).toEqual({ TF_CPP_MIN_LOG_LEVEL: '2', TF_ENABLE_ONEDNN_OPTS: '0' });
    expect(tensorflowEnv({ TF_CPP_MIN_LOG_LEVEL: '0' }, { onednn: true, onednnChosenBy: 'workload' })).toEqual({ TF_CPP_MIN_LOG_LEVEL: '0', TF_ENABLE_ONEDNN_OPTS: '1' });
  });

  it("leaves TensorFlow's threads at its default however many processes share the cores; the user's counts apply", () => {
    expect(threadSetting({})).toEqual({});
    expect(threadSetting({ TF_NUM_INTRAOP_THREADS: '3' })).toEqual({ intraOpThreads: 3, interOpThreads: 3, threadsChosenBy: 'environment' });
    expect(threadSetting({ TF_NUM_INTRAOP_THREADS: '3', TF_NUM_INTEROP_THREADS: '1' })).toEqual({ intraOpThreads: 3, interOpThreads: 1, threadsChosenBy: 'environment' });
    // Not a count: no choice.
    expect(threadSetting({ TF_NUM_INTRAOP_THREADS: 'many' })).toEqual({});
    // Without the user's count nothing is chosen (a thread count would change the numbers); the user's count goes to TensorFlow.
    expect(tensorflowEnv({}, { onednn: true, onednnChosenBy: 'workload', ...threadSetting({}) })).toEqual({ TF_CPP_MIN_LOG_LEVEL: '2', TF_ENABLE_ONEDNN_OPTS: '1' });
    const user = threadSetting({ TF_NUM_INTRAOP_THREADS: '3' });
    expect(tensorflowEnv({}, { onednn: true, onednnChosenBy: 'workload', ...user })).toEqual({ TF_CPP_MIN_LOG_LEVEL: '2', TF_ENABLE_ONEDNN_OPTS: '1', TF_NUM_INTRAOP_THREADS: '3', TF_NUM_INTEROP_THREADS: '3' });
  });
});
