import * as tf from '@tensorflow/tfjs-core';
import { MathBackendWebGL, type GPGPUProgram } from '@tensorflow/tfjs-backend-webgl';
import { LSTM_BACKWARD, LSTM_FORWARD } from '../../src/core/train/kernels/lstm';

/**
 * The fused LSTM kernels as WebGL programs (unpacked float32 textures). A time step then costs one draw
 * forward and one backward besides its matmul, instead of a dozen: at these sizes the number of draws, not
 * the arithmetic, sets the step time. Call `registerLstmWebglKernels` once the webgl backend is up.
 */

const HELPERS = `
  float sigm(float x) { return 1.0 / (1.0 + exp(-x)); }
  float tanhSafe(float x) { float e = exp(-2.0 * abs(x)); return sign(x) * (1.0 - e) / (1.0 + e); }
`;

function program(variableNames: string[], outputShape: number[], body: string): GPGPUProgram {
  return { variableNames, outputShape, userCode: `${HELPERS}\nvoid main() {\n${body}\n}` };
}

/** i, f, o, g of unit k for sample b, from the pre-activations Z [4H, B]. */
function gates(H: number): string {
  return `
    float i = sigm(getZ(k, b));
    float f = sigm(getZ(k + ${H}, b));
    float o = sigm(getZ(k + ${2 * H}, b));
    float g = tanhSafe(getZ(k + ${3 * H}, b));`;
}

/** [c; h], [2H, B]: rows below H are c, the rest h. */
function forwardProgram(H: number, B: number): GPGPUProgram {
  return program(['Z', 'CPrev'], [2 * H, B], `
    ivec2 rc = getOutputCoords();
    bool isH = rc.x >= ${H};
    int k = isH ? rc.x - ${H} : rc.x;
    int b = rc.y;
    ${gates(H)}
    float c = f * getCPrev(k, b) + i * g;
    setOutput(isH ? o * tanhSafe(c) : c);`);
}

function backwardCommon(H: number): string {
  return `${gates(H)}
    float tc = tanhSafe(getC(k, b));
    float dh = getDh(k, b);
    float dc = getDcNext(k, b) + dh * o * (1.0 - tc * tc);`;
}

/** [dz; dc_prev], [5H, B]: four gate blocks of dz, then dc_prev. */
function backwardProgram(H: number, B: number): GPGPUProgram {
  return program(['Dh', 'DcNext', 'Z', 'CPrev', 'C'], [5 * H, B], `
    ivec2 rc = getOutputCoords();
    int gate = rc.x / ${H};
    int k = rc.x - gate * ${H};
    int b = rc.y;
    ${backwardCommon(H)}
    float v;
    if (gate == 0) { v = dc * g * i * (1.0 - i); }
    else if (gate == 1) { v = dc * getCPrev(k, b) * f * (1.0 - f); }
    else if (gate == 2) { v = dh * tc * o * (1.0 - o); }
    else if (gate == 3) { v = dc * i * (1.0 - g * g); }
    else { v = dc * f; }
    setOutput(v);`);
}

function webglOf(backend: unknown): MathBackendWebGL {
  if (!(backend instanceof MathBackendWebGL)) throw new Error('the fused LSTM WebGL kernels run on the webgl backend only');
  return backend;
}

export function registerLstmWebglKernels(): void {
  if (!tf.getKernel(LSTM_FORWARD, 'webgl')) {
    tf.registerKernel({
      kernelName: LSTM_FORWARD,
      backendName: 'webgl',
      kernelFunc: ({ inputs, backend }) => {
        const gl = webglOf(backend);
        const { z, cPrev } = inputs as { z: tf.TensorInfo; cPrev: tf.TensorInfo };
        const [H, B] = cPrev.shape;
        // What backward needs is z itself: a second reference to the same texture (as tfjs's Identity does).
        gl.incRef(z.dataId);
        return [
          gl.runWebGLProgram(forwardProgram(H, B), [z, cPrev], 'float32'),
          { dataId: z.dataId, shape: z.shape, dtype: z.dtype },
        ];
      },
    });
  }
  if (!tf.getKernel(LSTM_BACKWARD, 'webgl')) {
    tf.registerKernel({
      kernelName: LSTM_BACKWARD,
      backendName: 'webgl',
      kernelFunc: ({ inputs, backend }) => {
        const gl = webglOf(backend);
        const { dh, dcNext, saved, cPrev, c } = inputs as Record<string, tf.TensorInfo>;
        const [H, B] = c.shape;
        const all = [dh, dcNext, saved, cPrev, c];
        return [gl.runWebGLProgram(backwardProgram(H, B), all, 'float32')];
      },
    });
  }
}
