import type { StringKey } from '../src/shared/strings';

/** TeX for the tooltips that an equation explains better than words. Rendered with KaTeX on hover. */
export const EQUATIONS: Partial<Record<StringKey, string>> = {
  'gate.forget': 'f_t = \\sigma(W_f [h_{t-1}, x_t] + b_f)',
  'gate.input': 'i_t = \\sigma(W_i [h_{t-1}, x_t] + b_i)',
  'gate.candidate': 'g_t = \\tanh(W_g [h_{t-1}, x_t] + b_g)',
  'gate.output': 'o_t = \\sigma(W_o [h_{t-1}, x_t] + b_o)',
  'cell.lstm.cellLine': '\\frac{\\partial c_T}{\\partial c_t} = \\prod_{k=t+1}^{T} f_k \\quad(\\text{along the cell line})',
  'cell.lstm.add': 'c_t = f_t \\odot c_{t-1} + i_t \\odot g_t',
  'cell.lstm.outputMul': 'h_t = o_t \\odot \\tanh(c_t)',
  'gate.reset': 'r_t = \\sigma(W_r x_t + U_r h_{t-1} + b_r)',
  'gate.update': 'z_t = \\sigma(W_z x_t + U_z h_{t-1} + b_z)',
  'gate.gruCandidate': 'g_t = \\tanh(W x_t + U (r_t \\odot h_{t-1}) + b)',
  'cell.gru.mix': 'h_t = (1 - z_t) \\odot g_t + z_t \\odot h_{t-1}',
  'cell.rnn.block': '\\frac{\\partial h_t}{\\partial h_{t-1}} = \\operatorname{diag}(\\tanh\'(a_t))\\, W_{hh}',
  'cell.rnn.whh': '\\Big\\|\\frac{\\partial h_T}{\\partial h_k}\\Big\\| \\le \\big(\\gamma\\, \\sigma_{\\max}(W_{hh})\\big)^{T-k}',
  'cell.rnn.activation': '\\tanh\'(a) = 1 - \\tanh^2(a) \\le 1',
  'arch.recurrent': 'h_t = f(W_{hh} h_{t-1} + W_{xh} x_t + b)',
};
