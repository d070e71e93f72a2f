import { tf, type BackendPlugin, type BackendTraits } from '@overparam/core';

/**
 * What `load()` found out about the GPU. tfjs-webgl keeps every tensor in a texture; where the GPU
 * cannot render to float32 textures (WEBGL_RENDER_FLOAT32_CAPABLE false, common on phones) or
 * float16 is forced (WEBGL_FORCE_F16_TEXTURES), every intermediate result is rounded to float16,
 * about 3 decimal digits: tolerances and divergence checks must know that.
 */
export interface WebglCapabilities {
  /** 1 or 2; tfjs reports 0 when the browser gives no WebGL context at all. */
  readonly webglVersion: number;
  readonly floatBits: BackendTraits['floatBits'];
}

let detected: WebglCapabilities | undefined;

/** The GPU's WebGL version and texture precision, once the backend has loaded; undefined before. */
export function webglCapabilities(): WebglCapabilities | undefined {
  return detected;
}

function detectCapabilities(): WebglCapabilities {
  const env = tf.env();
  return { webglVersion: env.getNumber('WEBGL_VERSION'), floatBits: env.getBool('WEBGL_RENDER_FLOAT32_ENABLED') ? 32 : 16 };
}

/**
 * WebGL through ANGLE: the GPU backend every browser has. Kernels are fragment shaders writing
 * to textures, float32 where the GPU can render to float textures and float16 where it cannot.
 */
export const webglBackend: BackendPlugin = {
  name: 'webgl',
  tfName: 'webgl',
  priority: 200,
  platforms: ['browser'],
  packageName: '@overparam/backend-webgl',
  // A getter: the precision is a property of the GPU, known only once the backend has loaded.
  get traits(): Partial<BackendTraits> {
    return { floatBits: detected?.floatBits ?? 32 };
  },
  async load() {
    await import('@tensorflow/tfjs-backend-webgl');
    // Asking for the version creates a throwaway context: the one cheap way to tell "no WebGL"
    // apart from a shader that failed to compile.
    if (tf.env().getNumber('WEBGL_VERSION') === 0) {
      throw new Error('this browser gives no WebGL context (WebGL is disabled, blocklisted for this GPU, or the page runs headless without a software renderer)');
    }
    if (!(await tf.setBackend('webgl'))) throw new Error('tfjs could not initialize the webgl backend (see the console for the shader or context error)');
    await tf.ready();
    detected = detectCapabilities();
    if (detected.floatBits === 16) {
      console.warn('[overparam] webgl: this GPU cannot render to float32 textures, so tfjs computes in float16 (about 3 significant digits); activeBackendTraits().floatBits is 16');
    }
  },
};
