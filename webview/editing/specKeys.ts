import type { Shape } from '../../src/core/diagram/cellLayout';

/**
 * Which spec key sets a part of the cell diagram, for click-to-reveal and cursor highlighting: the forget
 * gate's starting bias, the cell type for the other gates and the vanilla cell's block, the activation for
 * the vanilla cell's nonlinearity. Wires, ports and the products have none.
 */
export function specKeyOfShape(shape: Shape): string | null {
  if (shape.kind === 'gate') return shape.gate === 'forget' ? 'model.init.forgetBias' : 'model.cell';
  if (shape.id === 'rnn-block') return 'model.cell';
  if (shape.id === 'op-activation') return 'model.activation';
  return null;
}
