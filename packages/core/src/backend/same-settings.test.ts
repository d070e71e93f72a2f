import { describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { registerBackend, selectBackend } from './registry';
import type { BackendPlugin, Workload } from './types';

/** A plugin over tfjs's cpu backend that, like node's, fixes a setting at its first load from the workload. */
function fixingPlugin(name: string, priority: number): BackendPlugin {
  let loaded: { wide: boolean } | undefined;
  const wide = (w: Workload) => (w.width ?? 0) >= 1000;
  return {
    name,
    tfName: 'cpu',
    priority,
    platforms: ['node'],
    packageName: name,
    async load(workload = { convolutional: false, replicas: 1 }) {
      loaded ??= { wide: wide(workload) };
      await tf.setBackend('cpu');
    },
    settings: () => loaded ?? {},
    plannedSettings: (workload) => ({ wide: wide(workload) }),
  };
}

describe('sameSettings: a backend loaded for other work is refused, not reused', () => {
  const narrow: Workload = { convolutional: false, width: 16, replicas: 1 };
  const broad: Workload = { convolutional: false, width: 1024, replicas: 1 };

  it('by name: the same settings load again, other ones are BACKEND_SETTINGS naming both, and without sameSettings the first load stands', async () => {
    registerBackend(fixingPlugin('fixing', -1));
    await selectBackend('fixing', { workload: narrow, sameSettings: true });
    await expect(selectBackend('fixing', { workload: narrow, sameSettings: true })).resolves.toMatchObject({ settings: { wide: false } });
    await expect(selectBackend('fixing', { workload: broad, sameSettings: true })).rejects.toMatchObject({ code: 'BACKEND_SETTINGS', message: expect.stringMatching(/wide=false.*wide=true/) });
    await expect(selectBackend('fixing', { workload: broad })).resolves.toMatchObject({ settings: { wide: false } });
  });

  it('under auto the refusal is not a reason to fall back to a worse backend', async () => {
    registerBackend(fixingPlugin('fixing-best', 10_000));
    await selectBackend('auto', { workload: broad, sameSettings: true });
    await expect(selectBackend('auto', { workload: narrow, sameSettings: true })).rejects.toMatchObject({ code: 'BACKEND_SETTINGS' });
  });
});
